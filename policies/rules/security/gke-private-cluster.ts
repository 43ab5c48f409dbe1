import { T } from "../../lib/resources";
import { at, isOpaque, show } from "../../lib/values";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Private nodes have internal addresses only: a GPU node is not an internet host that one open
 * port or one vulnerable DaemonSet away from being reached. (The control plane may keep a public
 * endpoint; IAM and authorized networks guard it.)
 */
export default definePolicy({
  name: "gke-private-cluster",
  description: "GKE clusters run private nodes, and no node pool opts out.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_GCP_25", "CKV_GCP_64", "AVD-GCP-0059"],
  remediation:
    "Set privateClusterConfig.enablePrivateNodes: true (with a masterIpv4CidrBlock) on the cluster and reach the internet through Cloud NAT, as llmops:gke:Cluster does; remove networkConfig.enablePrivateNodes: false from node pools.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.cluster, T.nodePool],
    check(resource) {
      if (resource.type === T.nodePool) {
        return at(resource.inputs, "networkConfig.enablePrivateNodes") === false ? [{ message: "networkConfig.enablePrivateNodes is false: this pool's nodes get public addresses; allowed: true or not set" }] : [];
      }
      const value = at(resource.inputs, "privateClusterConfig.enablePrivateNodes");
      if (value === true || isOpaque(value)) return [];
      return [{ message: `privateClusterConfig.enablePrivateNodes is ${show(value)}; allowed: true` }];
    },
  },
});
