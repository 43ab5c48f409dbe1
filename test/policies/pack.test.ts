import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlannedResource } from "../../lib/plan";
import { POLICIES } from "../../policies/registry";
import type { PolicyResource } from "../../policies/types";
import { ROOT } from "../helpers/project";
import { renderCommitted } from "../helpers/render";
import { PackProcess } from "./engine";
import { bucket, nodePool } from "./fixtures";

/**
 * The pack as `pulumi preview --policy-pack policies` runs it: Pulumi's run-policy-pack starts
 * policies/ (ts-node, the real PolicyPack), and ./engine.ts plays the engine over gRPC.
 */

let pack: PackProcess;
let prod: Plan;

/**
 * The stack as the engine hands it to AnalyzeStack: the root `pulumi:pulumi:Stack` resource, whose
 * properties are the registered outputs (the budget the monthly-budget policy reads), then the rest.
 */
function withRoot(plan: Plan, resources: readonly PlannedResource[] = plan.resources): PlannedResource[] {
  const name = `${plan.project}-${plan.stack}`;
  const root: PlannedResource = { urn: `urn:pulumi:${plan.stack}::${plan.project}::pulumi:pulumi:Stack::${name}`, type: "pulumi:pulumi:Stack", name, parent: null, inputs: plan.outputs, options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [] } };
  return [root, ...resources];
}

const config = (env: string) => JSON.parse(fs.readFileSync(path.join(ROOT, "policies/config", `${env}.json`), "utf8"));
const planned = (r: PolicyResource): PlannedResource => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parentUrn ?? null, inputs: r.inputs, options: { protect: r.options.protect, retainOnDelete: false, dependsOn: [], ignoreChanges: [] } });

beforeAll(async () => {
  [pack, { prod }] = await Promise.all([PackProcess.start(), renderCommitted("prod")]);
}, 180_000);

afterAll(() => pack?.stop());

describe("the policy pack under Pulumi's policy runner", () => {
  it("serves every policy of the registry, at prod's level until configured, with its config schema", async () => {
    const info = await pack.info();
    expect(info).toMatchObject({ name: "llmops", version: "0.1.0", supportsConfig: true });
    expect(info.policies.map((p) => p.name).sort()).toEqual(POLICIES.map((p) => p.name).sort());
    for (const p of info.policies) expect(p.level, p.name).toBe(POLICIES.find((x) => x.name === p.name)?.enforcement.prod);
    expect(info.policies.find((p) => p.name === "accelerator-budget")?.configKeys).toEqual(["caps"]);
  });

  it("with dev's config, reports a dev bucket open to the public as advisory", async () => {
    await pack.configure(config("dev"));
    const open = bucket({ publicAccessPrevention: "inherited" }, { stack: "dev" });
    expect(await pack.analyze(planned(open))).toEqual([expect.objectContaining({ policy: "storage-public-access-prevention", level: "advisory", message: expect.stringContaining('publicAccessPrevention is "inherited"') })]);
  });

  it("with prod's config, makes it mandatory, and leaves values unknown in preview alone", async () => {
    await pack.configure(config("prod"));
    expect(await pack.analyze(planned(bucket({ publicAccessPrevention: "inherited" })))).toEqual([expect.objectContaining({ policy: "storage-public-access-prevention", level: "mandatory" })]);
    expect(await pack.analyze(planned(bucket({ publicAccessPrevention: "[unknown]" })))).toEqual([]);
    expect(await pack.analyze(planned(nodePool({ autoscaling: { totalMinNodeCount: 2 } })))).toEqual([expect.objectContaining({ policy: "accelerator-pool-autoscaling", level: "mandatory" })]);
  });

  it("finds no violation in the committed prod stack, resource by resource and as a whole", async () => {
    const perResource = (await Promise.all(prod.resources.map((r) => pack.analyze(r)))).flat();
    expect(perResource).toEqual([]);
    expect(await pack.analyzeStack(withRoot(prod))).toEqual([]);
  });

  it("catches a model served from one region when it analyzes the stack", async () => {
    const oneRegion = prod.resources.filter((r) => !(r.name.startsWith("model-support-assistant-") && r.name.includes("europe-west4")));
    const found = await pack.analyzeStack(withRoot(prod, oneRegion));
    expect(found).toEqual([expect.objectContaining({ policy: "prod-multi-region-serving", level: "mandatory", urn: expect.stringMatching(/::model-support-assistant-us-central1$/) })]);
  });
});
