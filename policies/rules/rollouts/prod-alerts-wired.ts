import { nodePoolAccelerator, nodePoolRegion } from "../../lib/accelerators";
import { endpointRegion, modelOf } from "../../lib/models";
import { labelsOf, ofType, T } from "../../lib/resources";
import { asArray, asString, at, isOpaque } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * A prod endpoint or accelerator pool nobody is paged about fails silently: a canary that
 * doubles latency, a pool stuck at zero nodes. Each must be covered by an enabled alert policy
 * that notifies at least one channel. An alert covers what its user labels say (how a person
 * reading it knows too) or what its conditions name:
 * - an endpoint: userLabels `model` and `region`, or a condition naming the endpoint id;
 * - an accelerator pool: userLabels `pool` (the platform's pool) or `node-pool` (the GKE name)
 *   with `region` or `cluster`, or a condition naming the pool's cluster (llmops:monitoring
 *   watches accelerators per cluster: utilisation and unschedulable pods).
 */
interface Alert {
  readonly resource: PolicyResource;
  readonly labels: Readonly<Record<string, string>>;
  readonly notifies: boolean;
  /** The conditions as text, to find the names they watch. */
  readonly conditions: string;
}

/** Whether `text` names `id` as a whole name, not as part of a longer one. */
function names(text: string, id: string): boolean {
  return id !== "" && new RegExp(`(^|[^A-Za-z0-9_-])${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^A-Za-z0-9_-])`).test(text);
}

function alertsOf(resources: readonly PolicyResource[]): Alert[] {
  return ofType(resources, T.alertPolicy)
    .filter((a) => a.inputs.enabled !== false)
    .map((a) => {
      const channels = a.inputs.notificationChannels;
      return { resource: a, labels: labelsOf(a) ?? {}, notifies: isOpaque(channels) || asArray(channels).length > 0, conditions: JSON.stringify(a.inputs.conditions ?? []) };
    });
}

function covering(alerts: readonly Alert[], matches: (alert: Alert) => boolean): Finding | "wired" | "none" {
  const matching = alerts.filter(matches);
  if (matching.some((a) => a.notifies)) return "wired";
  return matching.length ? { message: `alert ${matching.map((a) => a.resource.name).join(", ")} covers it but notifies no channel` } : "none";
}

function report(resource: PolicyResource, result: Finding | "wired" | "none", what: string, labels: string): Finding[] {
  if (result === "wired") return [];
  const why = result === "none" ? "no enabled alert policy covers it" : result.message;
  return [{ urn: resource.urn, message: `${what}: ${why}; allowed: an enabled AlertPolicy with userLabels ${labels} and notificationChannels` }];
}

export default definePolicy({
  name: "prod-alerts-wired",
  description: "In prod, every Vertex AI endpoint and every accelerator node pool is covered by an enabled alert policy wired to a notification channel.",
  group: "rollouts",
  severity: "high",
  mirrors: [],
  remediation:
    "Configure llmops:monitoring (alert policies per model, region and pool, labelled with what they cover) and give it notification channels; for alerts created elsewhere, set the userLabels above and notificationChannels.",
  enforcement: DEFAULT_ENFORCEMENT,
  stack: {
    check(resources, ctx) {
      if (ctx.environment !== "prod") return [];
      const alerts = alertsOf(resources);
      const findings: Finding[] = [];
      for (const endpoint of ofType(resources, T.endpoint)) {
        const model = modelOf(endpoint) ?? endpoint.name;
        const region = endpointRegion(endpoint) ?? "?";
        const id = asString(endpoint.inputs.name) ?? "";
        const result = covering(alerts, (a) => (a.labels.model === model && a.labels.region === region) || names(a.conditions, id));
        findings.push(...report(endpoint, result, `endpoint of ${model} in ${region}`, `model=${model}, region=${region}`));
      }
      for (const pool of ofType(resources, T.nodePool)) {
        if (!nodePoolAccelerator(pool)) continue;
        const region = nodePoolRegion(pool) ?? "?";
        const cluster = asString(pool.inputs.cluster) ?? "?";
        const group = asString(at(pool.inputs, "nodeConfig.resourceLabels.llmops-pool"));
        const gkeName = asString(pool.inputs.name) ?? pool.name;
        const result = covering(alerts, ({ labels: l, conditions }) => {
          const poolMatch = (group !== undefined && l.pool === group) || l["node-pool"] === gkeName;
          return (poolMatch && (l.region === region || l.cluster === cluster)) || names(conditions, cluster);
        });
        findings.push(...report(pool, result, `accelerator pool ${group ?? gkeName} in ${region}`, `pool=${group ?? gkeName}, region=${region} (or cluster=${cluster})`));
      }
      return findings;
    },
  },
});
