import { grantsOf, IAM_TYPES, isDefaultServiceAccount } from "../../lib/iam";
import { T } from "../../lib/resources";
import { asArray, asRecord, asString, isOpaque } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * The Compute Engine and App Engine default accounts are shared by everything in a project that
 * does not name an identity (and hold Editor unless an org policy stops it). Granting them more,
 * or running serving on them, gives that access to every such workload at once.
 */
function grants(resource: PolicyResource): Finding[] {
  return grantsOf(resource)
    .filter((g) => isDefaultServiceAccount(g.member))
    .map((g) => ({ message: `grants ${g.role} to the default account ${g.member}; allowed: a dedicated service account per workload` }));
}

/** A deployed model without a service account runs as Vertex AI's shared custom-code service agent. */
function deployments(resource: PolicyResource): Finding[] {
  return asArray(resource.inputs.deployments)
    .map(asRecord)
    .flatMap((d) => {
      const account = d.serviceAccount;
      if (isOpaque(account)) return [];
      const id = asString(d.deployedModelId) ?? "?";
      if (typeof account !== "string" || account === "") return [{ message: `deployed model ${id} sets no serviceAccount and runs as Vertex AI's shared service agent; allowed: the stack's serving account` }];
      return isDefaultServiceAccount(account) ? [{ message: `deployed model ${id} runs as the default account ${account}; allowed: the stack's serving account` }] : [];
    });
}

export default definePolicy({
  name: "iam-no-default-service-accounts",
  description: "No role is granted to a default service account, and no model is served as one.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_GCP_46", "AVD-GCP-0006"],
  remediation:
    "Use the dedicated accounts of llmops:platform:ServiceAccounts (pipelines, serving, deployer) or create one per workload, grant it what it needs, and set it as the workload's serviceAccount.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [...IAM_TYPES, T.endpointDeployment],
    check(resource) {
      return resource.type === T.endpointDeployment ? deployments(resource) : grants(resource);
    },
  },
});
