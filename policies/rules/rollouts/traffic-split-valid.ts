import { T } from "../../lib/resources";
import { asArray, asRecord, asString, isOpaque, isRecord } from "../../lib/values";
import type { Finding } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Vertex AI splits an endpoint's traffic by deployed model id. A split that does not add up to
 * 100, or that names a model the deployment does not deploy, is refused mid-rollout at best and
 * at worst sends traffic to a version that is about to be undeployed.
 */
function check(split: Readonly<Record<string, unknown>>, deployed: readonly string[] | undefined): Finding[] {
  const findings: Finding[] = [];
  let sum = 0;
  for (const [id, percent] of Object.entries(split)) {
    if (typeof percent !== "number" || !Number.isInteger(percent) || percent < 0 || percent > 100) {
      findings.push({ message: `trafficSplit gives ${JSON.stringify(percent)} to ${id}; allowed: whole percents from 0 to 100` });
      continue;
    }
    sum += percent;
    if (deployed && !deployed.includes(id)) findings.push({ message: `trafficSplit sends ${percent}% to ${id}, which this deployment does not deploy; allowed: ${deployed.join(", ") || "no ids"}` });
  }
  const empty = Object.keys(split).length === 0 && (deployed?.length ?? 0) === 0;
  if (!empty && sum !== 100) findings.push({ message: `trafficSplit adds up to ${sum}%; allowed: exactly 100` });
  return findings;
}

export default definePolicy({
  name: "traffic-split-valid",
  description: "Every endpoint's traffic split adds up to 100 and names only models deployed on it.",
  group: "rollouts",
  severity: "high",
  mirrors: [],
  remediation:
    "Let the rollout block decide the split (llmops:models.<m>.rollout: stable, candidate, stage); a hand-written trafficSplit must use the deployed model ids of the same deployment and add up to 100.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.endpointDeployment, T.endpoint],
    check(resource) {
      const raw = resource.inputs.trafficSplit;
      if (raw === undefined || isOpaque(raw)) return [];
      if (resource.type === T.endpoint) {
        // The google provider takes the split as a JSON string; llmops leaves it to the deployment.
        try {
          const parsed: unknown = JSON.parse(asString(raw) ?? "");
          return isRecord(parsed) ? check(parsed, undefined) : [{ message: "trafficSplit is not a JSON object; allowed: {\"<deployed model id>\": percent}" }];
        } catch {
          return [{ message: "trafficSplit is not valid JSON; allowed: {\"<deployed model id>\": percent}" }];
        }
      }
      const ids = asArray(resource.inputs.deployments).map((d) => asString(asRecord(d).deployedModelId) ?? "?");
      const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
      return [...duplicates.map((id) => ({ message: `deployed model id ${id} appears twice; allowed: each id once` })), ...check(asRecord(raw), ids)];
    },
  },
});
