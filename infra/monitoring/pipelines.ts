import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { createAlert } from "./alert";
import type { NotificationChannels } from "./channels";
import { logMetricType, metricFilter } from "./metrics";

/**
 * Vertex AI Pipelines logs every pipeline job's state changes: log
 * `aiplatform.googleapis.com/pipeline_job_events` on the monitored resource
 * `aiplatform.googleapis.com/PipelineJob` (labels `pipeline_job_id`, `location`), payload
 * `PipelineJobLogEntry` with `state`, and the log label `pipeline_name`.
 * https://cloud.google.com/vertex-ai/docs/pipelines/logging and
 * https://cloud.google.com/logging/docs/api/platform-logs#vertex-ai
 */
export const PIPELINE_LOG = { id: "aiplatform.googleapis.com%2Fpipeline_job_events", resource: "aiplatform.googleapis.com/PipelineJob" } as const;

/** The terminal states counted; a run reaches exactly one of them. */
export const TERMINAL_STATES = ["PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED", "PIPELINE_STATE_CANCELLED"] as const;

export interface PipelineMonitoringArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly channels: NotificationChannels;
}

/**
 * Finished pipeline runs as a log-based metric (by pipeline, region and final state) and an
 * alert on every failed run. It watches every Vertex AI pipeline job in the project, scheduled
 * or not, so it needs nothing from `llmops:pipelines` and covers runs started by hand or by CI.
 */
export class PipelineMonitoring extends pulumi.ComponentResource {
  public readonly metricName: string;
  public readonly metric: gcp.logging.Metric;
  public readonly alert: gcp.monitoring.AlertPolicy;

  constructor(name: string, args: PipelineMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:PipelineMonitoring", name, {}, opts);
    this.metricName = `llmops/${args.environment}/pipeline_runs`;
    const states = TERMINAL_STATES.map((s) => `jsonPayload.state="${s}"`).join(" OR ");
    this.metric = new gcp.logging.Metric(
      `${name}-runs`,
      {
        project: args.project,
        name: this.metricName,
        description: "Finished Vertex AI pipeline runs by pipeline, region and final state (llmops).",
        filter: `logName="projects/${args.project}/logs/${PIPELINE_LOG.id}" AND resource.type="${PIPELINE_LOG.resource}" AND (${states})`,
        labelExtractors: {
          pipeline: "EXTRACT(labels.pipeline_name)",
          location: "EXTRACT(resource.labels.location)",
          state: "EXTRACT(jsonPayload.state)",
        },
        metricDescriptor: {
          metricKind: "DELTA",
          valueType: "INT64",
          unit: "1",
          displayName: `Vertex AI pipeline runs (${args.environment})`,
          labels: [
            { key: "pipeline", valueType: "STRING", description: "pipeline name" },
            { key: "location", valueType: "STRING", description: "region the run ran in" },
            { key: "state", valueType: "STRING", description: "final state of the run" },
          ],
        },
      },
      childOf(this, opts),
    );

    this.alert = createAlert(
      { project: args.project, channels: args.channels, opts: childOf(this, opts, this.metric) },
      {
        name: `${name}-failed`,
        title: `[${args.environment}] Vertex AI pipeline run failed`,
        severity: "ERROR",
        signal: "pipeline-failure",
        labels: { ...args.labels },
        conditions: [
          {
            displayName: "a pipeline run ended in PIPELINE_STATE_FAILED",
            conditionThreshold: {
              filter: metricFilter({ metric: logMetricType(this.metricName), metricLabels: { state: "PIPELINE_STATE_FAILED" } }),
              // One series per pipeline: two pipelines failing are two incidents.
              aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["metric.label.pipeline", "metric.label.location"] }],
              comparison: "COMPARISON_GT",
              thresholdValue: 0,
              duration: "0s",
              trigger: { count: 1 },
            },
          },
        ],
        runbook: {
          meaning: `A Vertex AI pipeline run in the ${args.environment} project ended in PIPELINE_STATE_FAILED. A scheduled tuning or evaluation run that fails leaves the next model version unbuilt.`,
          steps: [
            `Find the run: Vertex AI > Pipelines in project ${args.project}, or Logs Explorer with \`logName="projects/${args.project}/logs/${PIPELINE_LOG.id}" AND jsonPayload.state="PIPELINE_STATE_FAILED"\`.`,
            "Open the failed task's logs: quota or capacity errors (no accelerators in the region) are retried by re-running; code errors need a fix in pipelines/.",
            "If the run was scheduled, the next scheduled run starts as usual; re-run now only if a release waits on it.",
          ],
          links: [{ displayName: "Vertex AI Pipelines logging", url: "https://cloud.google.com/vertex-ai/docs/pipelines/logging" }],
        },
        // A failed run is an event: the incident closes itself a day after the last failure.
        autoClose: "86400s",
      },
    );
    this.registerOutputs({ metricName: this.metricName, alert: this.alert.name });
  }
}
