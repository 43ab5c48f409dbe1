import { createHash } from "node:crypto";
import type { PlannedResource, SummarySection } from "../../lib/plan";
import { contentHashOf } from "./providers/kfp-template-inputs";

const KFP_TEMPLATE = "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate";

/**
 * The published templates, and each schedule's pipeline, cron and the template it runs (named by
 * its content-hash tag, which changes with any of the schedule's parameter values).
 */
export const pipelinesSummary: SummarySection = (plan) => {
  const templates = plan.resources.filter((r) => r.type === KFP_TEMPLATE);
  const ofSchedules = (t: PlannedResource) => t.parent?.includes("llmops:pipelines:Schedules") === true;
  const schedules = plan.resources.filter((r) => r.type === "gcp:colab/schedule:Schedule");
  // The registry names a version by the SHA-256 of its bytes: the digest in a schedule's
  // templateUri finds the template it runs without relying on resource names.
  const byDigest = new Map(templates.map((t) => [`sha256:${createHash("sha256").update(String(t.inputs.content)).digest("hex")}`, t]));
  const lines = [`pipelines: ${templates.filter((t) => !ofSchedules(t)).length} templates published, ${schedules.length} schedule(s) on their own templates`];
  for (const s of schedules) {
    const job = (s.inputs.createPipelineJobRequest as { pipelineJob?: { labels?: Record<string, string>; templateUri?: string } } | undefined)?.pipelineJob;
    const digest = /sha256:[0-9a-f]{64}$/.exec(job?.templateUri ?? "")?.[0];
    const template = digest === undefined ? undefined : byDigest.get(digest);
    const runs = template ? ` on template ${contentHashOf(String(template.inputs.content))}` : "";
    lines.push(`  ${job?.labels?.schedule ?? s.name}: ${job?.labels?.pipeline ?? "?"} at "${s.inputs.cron}"${runs}${s.inputs.desiredState === "PAUSED" ? " (paused)" : ""}`);
  }
  return lines;
};
