import type * as gcp from "@pulumi/gcp";
import { type AlertScope, createAlert } from "./alert";
import { VERTEX } from "./metrics";
import type { ModelThresholds, SloConfig } from "./config/schema";
import { type ServedRegion, endpointFilter, queueFilter, signalsOf, titleOf } from "./served-region";

/** The serving shape the saturation alert compares against. */
export interface ServingShape {
  readonly maxReplicas: number;
  readonly autoscaling: { readonly metric: "accelerator-duty-cycle" | "cpu-utilization"; readonly target: number };
}

/**
 * p99 end-to-end latency over 5-minute windows above the model's budget for 10 minutes. The
 * distributions are summed across replicas and versions first (ALIGN_DELTA, then the 99th
 * percentile of the merged distribution): the percentile of per-series percentiles would be
 * meaningless. On Vertex AI the distribution is `prediction_latencies` (ms); on GKE vLLM's
 * `e2e_request_latency_seconds` (s), so the budget is converted to the metric's unit.
 */
export function latencyAlert(scope: AlertScope, served: ServedRegion, slo: SloConfig): gcp.monitoring.AlertPolicy {
  const signals = signalsOf(served, scope.project);
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
          filter: signals.latency,
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99", groupByFields: signals.groupBy }],
          comparison: "COMPARISON_GT",
          thresholdValue: signals.latencyValue(slo.latencyP99Ms),
          duration: "600s",
          trigger: { count: 1 },
        },
      },
    ],
    runbook: {
      meaning: `The slowest 1% of predictions from **${served.model}** in **${served.region}** take longer than its budget of ${slo.latencyP99Ms} ms (\`slo.latencyP99Ms\`). The latency SLO's burn-rate alerts say how fast this spends the error budget.`,
      steps: [
        served.source.platform === "vertex"
          ? "Check the dashboard's replica and duty-cycle charts: at maxReplicas with a busy accelerator the model is saturated; raise `serving.maxReplicas` or move traffic to another region."
          : "Check the dashboard's queue-depth chart: requests waiting above `serving.queue.target` per replica mean the autoscaler is at `serving.maxReplicas` or the pool has no free accelerators; raise either, or let the front door move callers to another region.",
        "If a candidate version receives traffic, compare latency per deployed model; a slower candidate is rolled back with `rollout.stage: rollback`.",
        "Look for longer prompts or outputs (max tokens) in recent client changes; the budget assumes today's request shape.",
      ],
      links: [signals.console],
    },
  });
}

/**
 * Failed predictions as a share of predictions, over 5 minutes, above the threshold for 5
 * minutes. `error_count / prediction_count`: whichever way Vertex AI counts errored requests in
 * `prediction_count`, the ratio differs from errors/requests by under a hundredth of a point at
 * the rates that matter. On GKE: vLLM's finished requests with `finished_reason="abort"` over all
 * finished requests (vLLM counts no HTTP errors; requests that never reach a server are not seen).
 */
export function errorRateAlert(scope: AlertScope, served: ServedRegion, thresholds: ModelThresholds): gcp.monitoring.AlertPolicy {
  const signals = signalsOf(served, scope.project);
  const aggregation = { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: signals.groupBy };
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
          filter: signals.bad,
          aggregations: [aggregation],
          denominatorFilter: signals.requests,
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
        `Read ${signals.logs} for crashes, out-of-memory kills or Model Armor call failures.`,
        "If errors started with a rollout stage change, set `rollout.stage: rollback` and run the deploy: all traffic returns to the stable version.",
        "If replicas are restarting, check accelerator memory: `--gpu-memory-utilization` and `--max-model-len` in the version's args.",
      ],
      links: [signals.console],
    },
  });
}

/**
 * Saturation: the deployment runs at `maxReplicas` and its autoscaling signal stays above the
 * threshold, both for 15 minutes. Vertex AI scales only on CPU or accelerator duty cycle (and
 * request rate), so this compares the same signal, at a level above the autoscaling target.
 */
export function saturationAlert(scope: AlertScope, served: ServedRegion, thresholds: ModelThresholds, shape: ServingShape): gcp.monitoring.AlertPolicy {
  const { source } = served;
  if (source.platform === "gke") return queueSaturationAlert(scope, served, source, shape);
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
          filter: endpointFilter(source.endpointId, served.region, VERTEX.replicas),
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
          filter: endpointFilter(source.endpointId, served.region, signal),
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
      links: [signalsOf(served, scope.project).console],
    },
  });
}

/**
 * Saturation on GKE: the HorizontalPodAutoscaler keeps the queue gauge (`serving.queue`) at its
 * target per replica, so a per-replica mean above the target for 15 minutes means it cannot add
 * replicas: it is at `maxReplicas`, or the pool has no accelerator to place one on.
 */
function queueSaturationAlert(scope: AlertScope, served: ServedRegion, source: Extract<ServedRegion["source"], { platform: "gke" }>, shape: ServingShape): gcp.monitoring.AlertPolicy {
  const { metric, target } = source.queue;
  return createAlert(scope, {
    name: `${served.prefix}-saturation`,
    title: titleOf(served, `requests queueing above ${target} per replica`),
    severity: "WARNING",
    signal: "saturation",
    labels: served.labels,
    conditions: [
      {
        displayName: `${metric} per replica > ${target} (serving.queue.target) for 15 min`,
        conditionThreshold: {
          filter: queueFilter(source, served.region),
          aggregations: [{ alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: ["resource.label.namespace"] }],
          comparison: "COMPARISON_GT",
          thresholdValue: target,
          duration: "900s",
          trigger: { count: 1 },
        },
      },
    ],
    runbook: {
      meaning: `More than ${target} requests per replica of **${served.model}** in **${served.region}** have waited for a batch slot for 15 minutes, although the autoscaler adds replicas above ${target} (\`serving.queue\`): it is at its ceiling of ${shape.maxReplicas} replicas, or new replicas cannot be placed. Latency rises next.`,
      steps: [
        "In the GKE console, check the model's HorizontalPodAutoscaler: at `serving.maxReplicas`, raise it; below it with Pending pods, the accelerator pool is full (see the stack's unschedulable-pods alert) and its autoscaling maximum or quota needs raising.",
        "Or shift load: the front door sends callers to the nearest region with capacity; check the other regions are healthy.",
        "If the queue is long while traffic is flat, a version is slower than before: compare versions on the dashboard and roll a candidate back.",
      ],
      links: [signalsOf(served, scope.project).console],
    },
  });
}
