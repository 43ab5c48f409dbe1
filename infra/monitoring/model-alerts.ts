import type * as gcp from "@pulumi/gcp";
import { type AlertScope, createAlert } from "./alert";
import { VERTEX } from "./metrics";
import type { ModelThresholds, SloConfig } from "./schema";
import { type ServedRegion, TOTAL_LATENCY, endpointFilter, titleOf } from "./served-region";

/** The serving shape the saturation alert compares against. */
export interface ServingShape {
  readonly maxReplicas: number;
  readonly autoscaling: { readonly metric: "accelerator-duty-cycle" | "cpu-utilization"; readonly target: number };
}

const vertexConsole = (project: string) => ({ displayName: "Endpoints in the Vertex AI console", url: `https://console.cloud.google.com/vertex-ai/online-prediction/endpoints?project=${project}` });

/**
 * p99 end-to-end latency over 5-minute windows above the model's budget for 10 minutes. The
 * distributions are summed across replicas and versions first (ALIGN_DELTA, then the 99th
 * percentile of the merged distribution): the percentile of per-series percentiles would be
 * meaningless.
 */
export function latencyAlert(scope: AlertScope, served: ServedRegion, slo: SloConfig): gcp.monitoring.AlertPolicy {
  return createAlert(scope, {
    name: `${served.prefix}-latency`,
    title: titleOf(served, `p99 latency above ${slo.latencyP99Ms} ms`),
    severity: "WARNING",
    signal: "latency",
    labels: served.labels,
    conditions: [
      {
        displayName: `p99 prediction latency > ${slo.latencyP99Ms} ms for 10 min`,
        conditionThreshold: {
          filter: endpointFilter(served, VERTEX.latencies, TOTAL_LATENCY),
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99", groupByFields: ["resource.label.endpoint_id"] }],
          comparison: "COMPARISON_GT",
          thresholdValue: slo.latencyP99Ms,
          duration: "600s",
          trigger: { count: 1 },
        },
      },
    ],
    runbook: {
      meaning: `The slowest 1% of predictions from **${served.model}** in **${served.region}** take longer than its budget of ${slo.latencyP99Ms} ms (\`slo.latencyP99Ms\`). The latency SLO's burn-rate alerts say how fast this spends the error budget.`,
      steps: [
        "Check the dashboard's replica and duty-cycle charts: at maxReplicas with a busy accelerator the model is saturated; raise `serving.maxReplicas` or move traffic to another region.",
        "If a candidate version receives traffic, compare latency per deployed model; a slower candidate is rolled back with `rollout.stage: rollback`.",
        "Look for longer prompts or outputs (max tokens) in recent client changes; the budget assumes today's request shape.",
      ],
      links: [vertexConsole(scope.project)],
    },
  });
}

/**
 * Failed predictions as a share of predictions, over 5 minutes, above the threshold for 5
 * minutes. `error_count / prediction_count`: whichever way Vertex AI counts errored requests in
 * `prediction_count`, the ratio differs from errors/requests by under a hundredth of a point at
 * the rates that matter.
 */
export function errorRateAlert(scope: AlertScope, served: ServedRegion, thresholds: ModelThresholds): gcp.monitoring.AlertPolicy {
  const aggregation = { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.endpoint_id"] };
  return createAlert(scope, {
    name: `${served.prefix}-errors`,
    title: titleOf(served, `error rate above ${thresholds.errorRatePercent}%`),
    severity: "ERROR",
    signal: "errors",
    labels: served.labels,
    conditions: [
      {
        displayName: `errors / predictions > ${thresholds.errorRatePercent}% for 5 min`,
        conditionThreshold: {
          filter: endpointFilter(served, VERTEX.errors),
          aggregations: [aggregation],
          denominatorFilter: endpointFilter(served, VERTEX.predictions),
          denominatorAggregations: [aggregation],
          comparison: "COMPARISON_GT",
          thresholdValue: thresholds.errorRatePercent / 100,
          duration: "300s",
          trigger: { count: 1 },
        },
      },
    ],
    runbook: {
      meaning: `More than ${thresholds.errorRatePercent}% of predictions from **${served.model}** in **${served.region}** fail. Failures spend the availability SLO's error budget.`,
      steps: [
        "Read the serving container's logs (Logs Explorer, `resource.type=\"aiplatform.googleapis.com/Endpoint\"` and the endpoint id) for crashes, out-of-memory kills or Model Armor call failures.",
        "If errors started with a rollout stage change, set `rollout.stage: rollback` and run the deploy: all traffic returns to the stable version.",
        "If replicas are restarting, check accelerator memory: `--gpu-memory-utilization` and `--max-model-len` in the version's args.",
      ],
      links: [vertexConsole(scope.project)],
    },
  });
}

/**
 * Saturation: the deployment runs at `maxReplicas` and its autoscaling signal stays above the
 * threshold, both for 15 minutes. Vertex AI scales only on CPU or accelerator duty cycle (and
 * request rate), so this compares the same signal, at a level above the autoscaling target.
 */
export function saturationAlert(scope: AlertScope, served: ServedRegion, thresholds: ModelThresholds, shape: ServingShape): gcp.monitoring.AlertPolicy {
  const accelerator = shape.autoscaling.metric === "accelerator-duty-cycle";
  const signal = accelerator ? VERTEX.dutyCycle : VERTEX.cpu;
  const signalName = accelerator ? "accelerator duty cycle" : "CPU utilisation";
  const perDeployedModel = ["resource.label.endpoint_id", "metric.label.deployed_model_id"];
  return createAlert(scope, {
    name: `${served.prefix}-saturation`,
    title: titleOf(served, `saturated at ${shape.maxReplicas} replicas`),
    severity: "WARNING",
    signal: "saturation",
    labels: served.labels,
    combiner: "AND_WITH_MATCHING_RESOURCE",
    conditions: [
      {
        displayName: `replicas at maxReplicas (${shape.maxReplicas}) for 15 min`,
        conditionThreshold: {
          filter: endpointFilter(served, VERTEX.replicas),
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MIN", crossSeriesReducer: "REDUCE_MAX", groupByFields: perDeployedModel }],
          comparison: "COMPARISON_GE",
          thresholdValue: shape.maxReplicas,
          duration: "900s",
          trigger: { count: 1 },
        },
      },
      {
        displayName: `${signalName} > ${thresholds.replicaSaturationPercent}% for 15 min (autoscaling target ${shape.autoscaling.target}%)`,
        conditionThreshold: {
          filter: endpointFilter(served, signal),
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: perDeployedModel }],
          comparison: "COMPARISON_GT",
          thresholdValue: thresholds.replicaSaturationPercent / 100,
          duration: "900s",
          trigger: { count: 1 },
        },
      },
    ],
    runbook: {
      meaning: `**${served.model}** in **${served.region}** runs at its ceiling of ${shape.maxReplicas} replicas while its ${signalName} stays above ${thresholds.replicaSaturationPercent}% (the autoscaler aims for ${shape.autoscaling.target}%). More traffic will queue: latency rises next.`,
      steps: [
        "Raise `serving.maxReplicas` (check the project's accelerator quota in the region first).",
        "Or shift load: serve the model from another region of the stack, or lower `rollout` weight of a costlier candidate.",
        "If the signal is high while traffic is flat, a version is slower than before: compare deployed models on the dashboard.",
      ],
      links: [vertexConsole(scope.project)],
    },
  });
}
