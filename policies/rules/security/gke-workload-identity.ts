import { T } from "../../lib/resources";
import { asString, at, isOpaque, show } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * With Workload Identity, pods authenticate as their own Kubernetes service account mapped to a
 * Google identity, and the GKE metadata server hides the node's credentials from them. Without
 * it every pod on a GPU node can act as the node's account.
 */
function cluster(resource: PolicyResource): Finding[] {
  if (resource.inputs.enableAutopilot === true) return [];
  const findings: Finding[] = [];
  const pool = at(resource.inputs, "workloadIdentityConfig.workloadPool");
  if (!isOpaque(pool) && !asString(pool)?.endsWith(".svc.id.goog")) {
    findings.push({ message: `workloadIdentityConfig.workloadPool is ${show(pool)}; allowed: "<project>.svc.id.goog"` });
  }
  // The cluster's nodeConfig only shapes the default pool; when that is removed it never serves pods.
  if (resource.inputs.removeDefaultNodePool !== true) findings.push(...metadataServer(resource, "nodeConfig", "the default node pool"));
  return findings;
}

function metadataServer(resource: PolicyResource, path: string, what: string): Finding[] {
  const mode = at(resource.inputs, `${path}.workloadMetadataConfig.mode`);
  if (mode === "GKE_METADATA" || isOpaque(mode)) return [];
  return [{ message: `${what} has ${path}.workloadMetadataConfig.mode ${show(mode)}; allowed: "GKE_METADATA" (pods must not see the node's credentials)` }];
}

export default definePolicy({
  name: "gke-workload-identity",
  description: "GKE clusters enable Workload Identity and every node pool serves the GKE metadata server.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_GCP_69", "AVD-GCP-0057"],
  remediation:
    'Set workloadIdentityConfig.workloadPool: "<project>.svc.id.goog" on the cluster and nodeConfig.workloadMetadataConfig.mode: "GKE_METADATA" on every node pool; give each model server a Kubernetes service account bound to its own Google service account.',
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.cluster, T.nodePool],
    check(resource) {
      return resource.type === T.cluster ? cluster(resource) : metadataServer(resource, "nodeConfig", `node pool ${resource.name}`);
    },
  },
});
