import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { type AlertScope, createAlert } from "./alert";
import { logMetricType, metricFilter } from "./metrics";
import type { ModelThresholds } from "./config/schema";
import { sanitizeMetricName } from "./config/names";
import { type ServedRegion, titleOf } from "./served-region";

/**
 * Model Armor writes one log entry per sanitize call when a template sets
 * `logSanitizeOperations` (infra/models/safety.ts does): log `modelarmor.googleapis.com/sanitize_operations`
 * on the monitored resource `modelarmor.googleapis.com/SanitizeOperation` (labels `template_id`,
 * `location`), payload `SanitizeOperationLogEntry` with `operationType` (SANITIZE_USER_PROMPT or
 * SANITIZE_MODEL_RESPONSE) and `sanitizationResult.filterMatchState` (MATCH_FOUND when any filter
 * matched) and `.invocationResult`. https://cloud.google.com/model-armor/configure-logging and
 * https://cloud.google.com/security-command-center/docs/reference/model-armor/rest/v1/SanitizationResult
 */
export const SANITIZE_LOG = { id: "modelarmor.googleapis.com%2Fsanitize_operations", resource: "modelarmor.googleapis.com/SanitizeOperation" } as const;

/** Below this many sanitize calls in 10 minutes a share means little (1 of 3 is 33%): the alert waits. */
export const SAFETY_MIN_CALLS = 50;

export interface SafetyMetricsArgs {
  readonly project: string;
  readonly environment: string;
}

const LABELS = {
  template_id: ["EXTRACT(resource.labels.template_id)", "Model Armor template: one per model version"],
  location: ["EXTRACT(resource.labels.location)", "region of the template"],
  operation: ["EXTRACT(jsonPayload.operationType)", "SANITIZE_USER_PROMPT or SANITIZE_MODEL_RESPONSE"],
  match_state: ["EXTRACT(jsonPayload.sanitizationResult.filterMatchState)", "MATCH_FOUND when a filter matched (flagged, or blocked under INSPECT_AND_BLOCK)"],
  invocation: ["EXTRACT(jsonPayload.sanitizationResult.invocationResult)", "SUCCESS, PARTIAL or FAILURE of the filters themselves"],
} as const;

/**
 * The stack's log-based metric over Model Armor sanitize results: a counter labelled by template,
 * region, prompt or response, and match state. Alerts take the flagged share per model and
 * region as a ratio of the same counter with and without `match_state="MATCH_FOUND"`.
 */
export class SafetyMetrics extends pulumi.ComponentResource {
  /** The log metric's name; its Monitoring type is `logging.googleapis.com/user/<name>`. */
  public readonly metricName: string;
  public readonly metric: gcp.logging.Metric;

  constructor(name: string, args: SafetyMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:SafetyMetrics", name, {}, opts);
    // Log metrics are project-wide: the environment in the name keeps two stacks sharing a project apart.
    this.metricName = sanitizeMetricName(args.environment);
    this.metric = new gcp.logging.Metric(
      `${name}-sanitize-operations`,
      {
        project: args.project,
        name: this.metricName,
        description: "Model Armor sanitize calls on prompts and responses, by template, region, operation and match state (llmops).",
        filter: `logName="projects/${args.project}/logs/${SANITIZE_LOG.id}" AND resource.type="${SANITIZE_LOG.resource}"`,
        labelExtractors: Object.fromEntries(Object.entries(LABELS).map(([key, [extractor]]) => [key, extractor])),
        metricDescriptor: {
          metricKind: "DELTA",
          valueType: "INT64",
          unit: "1",
          displayName: `Model Armor sanitize operations (${args.environment})`,
          labels: Object.entries(LABELS).map(([key, [, description]]) => ({ key, valueType: "STRING", description })),
        },
      },
      childOf(this, opts),
    );
    this.registerOutputs({ metricName: this.metricName });
  }
}

export interface SafetyAlertArgs {
  readonly metricName: string;
  /** The model's Model Armor template ids (one per version; the same id in every region). */
  readonly templateIds: readonly string[];
  readonly thresholds: ModelThresholds;
}

/** Filters on the sanitize counter for this model in this region. */
export function sanitizeFilters(served: ServedRegion, args: Pick<SafetyAlertArgs, "metricName" | "templateIds">): { all: string; matched: string } {
  const base = { template_id: [...args.templateIds], location: served.region };
  return {
    all: metricFilter({ metric: logMetricType(args.metricName), metricLabels: base }),
    matched: metricFilter({ metric: logMetricType(args.metricName), metricLabels: { ...base, match_state: "MATCH_FOUND" } }),
  };
}

/**
 * The share of a model's prompts and responses that Model Armor matched, over 10 minutes,
 * above the threshold, once there is enough traffic for a share to mean something.
 */
export function safetyAlert(scope: AlertScope, served: ServedRegion, args: SafetyAlertArgs): gcp.monitoring.AlertPolicy {
  const { all, matched } = sanitizeFilters(served, args);
  const sum = { alignmentPeriod: "600s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM" };
  const threshold = args.thresholds.safetyBlockedPercent;
  return createAlert(scope, {
    name: `${served.prefix}-safety`,
    title: titleOf(served, `Model Armor blocking over ${threshold}% of prompts and responses`),
    severity: "WARNING",
    signal: "safety",
    labels: served.labels,
    combiner: "AND",
    conditions: [
      {
        displayName: `flagged or blocked share > ${threshold}% over 10 min`,
        conditionThreshold: { filter: matched, aggregations: [sum], denominatorFilter: all, denominatorAggregations: [sum], comparison: "COMPARISON_GT", thresholdValue: threshold / 100, duration: "0s" },
      },
      {
        displayName: `at least ${SAFETY_MIN_CALLS} sanitize calls over 10 min`,
        conditionThreshold: { filter: all, aggregations: [sum], comparison: "COMPARISON_GT", thresholdValue: SAFETY_MIN_CALLS, duration: "0s" },
      },
    ],
    runbook: {
      meaning: `Model Armor matched more than ${threshold}% of the prompts and responses of **${served.model}** in **${served.region}** in the last 10 minutes (templates ${args.templateIds.join(", ")}). Under \`enforcement: INSPECT_AND_BLOCK\` those requests were refused. Either someone is probing the model (prompt injection, jailbreaks), or a filter is too strict for real traffic.`,
      steps: [
        `In Logs Explorer, query \`logName="projects/${scope.project}/logs/${SANITIZE_LOG.id}" AND jsonPayload.sanitizationResult.filterMatchState="MATCH_FOUND"\` and read \`filterResults\`: which filter matched, on prompts or on responses.`,
        "Prompt-injection or jailbreak matches from few callers: an attack; rate-limit or block those callers upstream. Keep the filters.",
        "Matches spread across normal traffic, on responses: the model's outputs changed (a new version?) or a filter level is too strict; roll back the candidate, or lower the confidence level of that harm category in a reviewed change.",
      ],
      links: [{ displayName: "Model Armor logging", url: "https://cloud.google.com/model-armor/configure-logging" }],
    },
  });
}
