import { PolicyPack } from "@pulumi/policy";
import { toCrossGuard } from "./crossguard";
import { POLICIES } from "./registry";

/**
 * The CrossGuard entry point, run by `pulumi preview --policy-pack policies`. Constructing a
 * PolicyPack starts a gRPC server and waits for the Pulumi engine, so nothing imports this file:
 * the offline runner and the tests use the same rules through registry.ts and crossguard.ts.
 */
new PolicyPack("llmops", {
  description: "LLMOps on Google Cloud: security, reliability, cost and rollout policies for the llmops stacks.",
  policies: POLICIES.map(toCrossGuard),
});
