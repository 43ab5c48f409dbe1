import { T } from "../../lib/resources";
import { asArray, show } from "../../lib/values";
import type { Finding } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * The default node pool is configured through the cluster: changing most of its settings
 * replaces the cluster, and it escapes the per-pool settings (taints, identity, autoscaling)
 * the accelerator pools get. Pools defined inline in the cluster have the same problem.
 */
export default definePolicy({
  name: "gke-no-default-node-pool",
  description: "GKE clusters remove the default node pool and define every pool as its own NodePool resource.",
  group: "security",
  severity: "medium",
  mirrors: ["CKV_GCP_123"],
  remediation: "Set removeDefaultNodePool: true and initialNodeCount: 1 on the cluster, drop inline nodePools, and create gcp.container.NodePool resources (a system pool plus the accelerator pools).",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.cluster],
    check(cluster) {
      if (cluster.inputs.enableAutopilot === true) return [];
      const findings: Finding[] = [];
      if (cluster.inputs.removeDefaultNodePool !== true) findings.push({ message: `removeDefaultNodePool is ${show(cluster.inputs.removeDefaultNodePool)}; allowed: true` });
      if (asArray(cluster.inputs.nodePools).length > 0) findings.push({ message: "defines node pools inline (nodePools); allowed: separate gcp.container.NodePool resources" });
      return findings;
    },
  },
});
