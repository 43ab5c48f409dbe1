import type { SummarySection } from "../testing/plan";

/** The published templates and each schedule's pipeline and cron. */
export const pipelinesSummary: SummarySection = (plan) => {
  const templates = plan.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate");
  const schedules = plan.resources.filter((r) => r.type === "gcp:colab/schedule:Schedule");
  const lines = [`pipelines: ${templates.length} templates published, ${schedules.length} schedule(s)`];
  for (const s of schedules) {
    const job = (s.inputs.createPipelineJobRequest as { pipelineJob?: { labels?: Record<string, string> } } | undefined)?.pipelineJob;
    lines.push(`  ${job?.labels?.schedule ?? s.name}: ${job?.labels?.pipeline ?? "?"} at "${s.inputs.cron}"${s.inputs.desiredState === "PAUSED" ? " (paused)" : ""}`);
  }
  return lines;
};
