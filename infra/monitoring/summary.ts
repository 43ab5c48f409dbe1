import type { Plan, PlannedResource, SummarySection } from "../../lib/plan";
import type { ChannelsSummary } from "./channels";

const ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
const SLO = "gcp:monitoring/slo:Slo";

interface MonitoringOutput {
  channels: ChannelsSummary;
  models: Record<string, { slo: { availability: number; latencyP99Ms: number }; autoscaling: { metric: string; target: number }; thresholds: Record<string, number> }>;
}

const labelsOf = (r: PlannedResource) => (r.inputs.userLabels ?? {}) as Record<string, string>;

/** `errors, latency, slo-burn ×4`: what a set of alert policies watch, each signal once with its count. */
function signals(policies: readonly PlannedResource[]): string {
  const counts = new Map<string, number>();
  for (const p of policies) counts.set(labelsOf(p).signal ?? "other", (counts.get(labelsOf(p).signal ?? "other") ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([signal, n]) => (n > 1 ? `${signal} ×${n}` : signal))
    .join(", ");
}

function channelsLine(c: ChannelsSummary): string {
  const parts = [`email ×${c.emails}`];
  if (c.slack) parts.push(`slack ${c.slack.channel} (${c.slack.minSeverity} and above)`);
  if (c.pagerduty) parts.push(`pagerduty (${c.pagerduty.minSeverity} and above)`);
  return parts.join(", ");
}

/**
 * `llmops plan`'s monitoring section: where alerts go; per model its SLO beside the autoscaling
 * target; per model and region the alert policies and SLOs the plan creates; then the stack-wide
 * alerts (pipelines, accelerator pools).
 */
export const monitoringSummary: SummarySection = (plan: Plan) => {
  const out = plan.outputs.monitoring as MonitoringOutput | undefined;
  if (!out) return ["monitoring: none"];
  const policies = plan.resources.filter((r) => r.type === ALERT_POLICY);
  const slos = plan.resources.filter((r) => r.type === SLO);
  const dashboards = plan.resources.filter((r) => r.type === "gcp:monitoring/dashboard:Dashboard").length;
  const lines = [`monitoring: ${policies.length} alert policies, ${slos.length} SLOs, ${dashboards} dashboard${dashboards === 1 ? "" : "s"}; channels: ${channelsLine(out.channels)}`];
  for (const [model, m] of Object.entries(out.models)) {
    const { metric, target } = m.autoscaling;
    // Vertex AI scales on a utilisation percentage; GKE on a queue gauge per replica.
    const scaling = metric === "accelerator-duty-cycle" ? `accelerator duty cycle at ${target}%` : metric === "cpu-utilization" ? `CPU at ${target}%` : `${metric} at ${target} per replica`;
    lines.push(`  ${model}: SLO ${m.slo.availability}% available, p99 ≤ ${m.slo.latencyP99Ms} ms | autoscaling on ${scaling}`);
    const own = (r: PlannedResource) => labelsOf(r).model === model;
    const regions = [...new Set([...policies, ...slos].filter(own).map((r) => labelsOf(r).region))].sort();
    for (const region of regions) {
      const here = (r: PlannedResource) => own(r) && labelsOf(r).region === region;
      const regionSlos = slos.filter(here).map((s) => labelsOf(s).objective).sort();
      lines.push(`    ${region}: ${policies.filter(here).length} alert policies (${signals(policies.filter(here))}), ${regionSlos.length} SLOs (${regionSlos.join(", ")})`);
    }
  }
  const stackWide = policies.filter((p) => labelsOf(p).model === undefined);
  if (stackWide.length) lines.push(`  stack-wide: ${stackWide.length} alert policies (${signals(stackWide)})`);
  return lines;
};
