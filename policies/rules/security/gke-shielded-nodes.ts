import { T } from "../../lib/resources";
import { at, isOpaque, show } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Shielded nodes prove their identity to the control plane, so a stolen bootstrap credential
 * cannot register an impostor node; secure boot refuses unsigned kernels and modules, integrity
 * monitoring reports a changed boot chain. Secure boot is off unless asked for.
 */
function shielded(resource: PolicyResource, path: string, what: string): Finding[] {
  const secureBoot = at(resource.inputs, `${path}.shieldedInstanceConfig.enableSecureBoot`);
  const integrity = at(resource.inputs, `${path}.shieldedInstanceConfig.enableIntegrityMonitoring`);
  const findings: Finding[] = [];
  if (secureBoot !== true && !isOpaque(secureBoot)) findings.push({ message: `${what}: shieldedInstanceConfig.enableSecureBoot is ${show(secureBoot)}; allowed: true` });
  if (integrity === false) findings.push({ message: `${what}: shieldedInstanceConfig.enableIntegrityMonitoring is false; allowed: true or not set` });
  return findings;
}

export default definePolicy({
  name: "gke-shielded-nodes",
  description: "GKE clusters use shielded nodes, and every node pool enables secure boot and integrity monitoring.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_GCP_71", "CKV_GCP_68", "CKV_GCP_72", "AVD-GCP-0055"],
  remediation:
    "Leave enableShieldedNodes on (the default) and set nodeConfig.shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true } on every node pool. GPU drivers installed by GKE are signed and boot fine.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.cluster, T.nodePool],
    check(resource) {
      if (resource.type === T.nodePool) return shielded(resource, "nodeConfig", `node pool ${resource.name}`);
      if (resource.inputs.enableAutopilot === true) return [];
      const findings: Finding[] = resource.inputs.enableShieldedNodes === false ? [{ message: "enableShieldedNodes is false; allowed: true or not set" }] : [];
      if (resource.inputs.removeDefaultNodePool !== true) findings.push(...shielded(resource, "nodeConfig", "the default node pool"));
      return findings;
    },
  },
});
