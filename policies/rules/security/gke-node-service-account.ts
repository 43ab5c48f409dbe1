import { isDefaultServiceAccount } from "../../lib/iam";
import { T } from "../../lib/resources";
import { at, isOpaque } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Nodes without a service account run as the Compute Engine default account, usually Editor on
 * the project. A dedicated node account needs only logging, monitoring and image pulls.
 */
function nodeAccount(resource: PolicyResource, path: string, what: string): Finding[] {
  const account = at(resource.inputs, path);
  // An unknown value is another resource's output, i.e. an account this stack creates.
  if (isOpaque(account)) return [];
  if (typeof account !== "string" || account === "") return [{ message: `${what} sets no ${path} and runs as the Compute Engine default account; allowed: a dedicated node service account` }];
  return isDefaultServiceAccount(account) ? [{ message: `${what} runs as the default account ${account}; allowed: a dedicated node service account` }] : [];
}

export default definePolicy({
  name: "gke-node-service-account",
  description: "GKE nodes run as a dedicated, least-privilege service account, never the Compute Engine default.",
  group: "security",
  severity: "high",
  mirrors: ["AVD-GCP-0050"],
  remediation:
    "Create a node service account with roles/logging.logWriter, roles/monitoring.metricWriter, roles/monitoring.viewer, roles/stackdriver.resourceMetadata.writer and artifactregistry.reader on the images repository (llmops:gke:Cluster does), and set it as nodeConfig.serviceAccount on the cluster and every node pool.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.cluster, T.nodePool],
    check(resource) {
      if (resource.type === T.nodePool) return nodeAccount(resource, "nodeConfig.serviceAccount", `node pool ${resource.name}`);
      if (resource.inputs.enableAutopilot === true) return nodeAccount(resource, "clusterAutoscaling.autoProvisioningDefaults.serviceAccount", "the Autopilot cluster");
      // Even a removed default pool boots first, and would boot as the default account.
      return nodeAccount(resource, "nodeConfig.serviceAccount", "the default node pool");
    },
  },
});
