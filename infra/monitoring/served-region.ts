import * as pulumi from "@pulumi/pulumi";
import { type LabelMatch, PROMETHEUS_TARGET, VERTEX, VLLM, VLLM_ABORTED, VLLM_COMPLETED, metricFilter, prometheusMetricType } from "./metrics";

/**
 * Where a served model's request signals come from in one region: its Vertex AI endpoint, or
 * its namespace in the region's GKE cluster, whose vLLM servers Managed Service for Prometheus
 * scrapes (the PodMonitoring of infra/models/gke).
 */
export type SignalSource =
  | { readonly platform: "vertex"; /** The endpoint's numeric id, read from its resource name. */ readonly endpointId: pulumi.Output<string> }
  | {
      readonly platform: "gke";
      /** The model's namespace (the same in every cluster). */
      readonly namespace: string;
      /** The Prometheus gauge the HorizontalPodAutoscaler keeps at `target` per replica (`serving.queue`). */
      readonly queue: { readonly metric: string; readonly target: number };
    };

/** One model in one region: what every per-region alert, SLO and chart is scoped to. */
export interface ServedRegion {
  readonly model: string;
  readonly region: string;
  readonly environment: string;
  readonly source: SignalSource;
  /** Logical-name prefix of this region's children: `<component>-<region>`. */
  readonly prefix: string;
  /** User labels: the stack's, plus `model` and `region`. */
  readonly labels: Readonly<Record<string, string>>;
}

/** `projects/P/locations/R/endpoints/ID` → `ID`: Vertex metrics label endpoints by id alone. */
export function endpointIdOf(endpoint: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(endpoint).apply((name) => name.slice(name.lastIndexOf("/") + 1));
}

/** A filter on one Vertex AI endpoint metric of this model in this region. */
export function endpointFilter(endpointId: pulumi.Input<string>, region: string, metric: string, metricLabels?: Readonly<Record<string, LabelMatch>>): pulumi.Output<string> {
  return pulumi.output(endpointId).apply((id) => metricFilter({ metric, resource: VERTEX.resource, resourceLabels: { endpoint_id: id, location: region }, metricLabels }));
}

/**
 * A filter on one Managed Prometheus metric of the model's servers in this region: the model's
 * namespace in the regional cluster (`location` is the cluster's region).
 */
export function namespaceFilter(namespace: string, region: string, metric: string, metricLabels?: Readonly<Record<string, LabelMatch>>): pulumi.Output<string> {
  return pulumi.output(metricFilter({ metric, resource: PROMETHEUS_TARGET, resourceLabels: { namespace, location: region }, metricLabels }));
}

/**
 * End-to-end latency only: `prediction_latencies` also reports `model` and `overhead` series,
 * and merging them would understate the latency a caller sees.
 */
export const TOTAL_LATENCY = { latency_type: "total" } as const;

/** What the per-region alerts and SLOs read, whichever platform serves the model. */
export interface RequestSignals {
  /** End-to-end request latency, a distribution. */
  readonly latency: pulumi.Output<string>;
  /** The latency metric's unit, and a budget in ms converted to it. */
  readonly latencyUnit: "ms" | "s";
  readonly latencyValue: (ms: number) => number;
  /** Requests that succeeded (the SLO's good), and that failed (its bad and the error ratio's numerator). */
  readonly good: pulumi.Output<string>;
  readonly bad: pulumi.Output<string>;
  /** The error ratio's denominator: every request. */
  readonly requests: pulumi.Output<string>;
  /** Cross-series grouping that keeps one series per model and region. */
  readonly groupBy: string[];
  /** Where to read the servers' logs, for runbooks. */
  readonly logs: string;
  readonly console: { readonly displayName: string; readonly url: string };
}

/** The request signals of a served region, by platform: the one switch every builder shares. */
export function signalsOf(served: ServedRegion, project: string): RequestSignals {
  const { source, region } = served;
  if (source.platform === "vertex") {
    const on = (metric: string, labels?: Readonly<Record<string, LabelMatch>>) => endpointFilter(source.endpointId, region, metric, labels);
    return {
      latency: on(VERTEX.latencies, TOTAL_LATENCY),
      latencyUnit: "ms",
      latencyValue: (ms) => ms,
      // good + bad, not total: Vertex AI reports successes and errors as separate counters.
      good: on(VERTEX.predictions),
      bad: on(VERTEX.errors),
      requests: on(VERTEX.predictions),
      groupBy: ["resource.label.endpoint_id"],
      logs: 'the serving container\'s logs (Logs Explorer, `resource.type="aiplatform.googleapis.com/Endpoint"` and the endpoint id)',
      console: { displayName: "Endpoints in the Vertex AI console", url: `https://console.cloud.google.com/vertex-ai/online-prediction/endpoints?project=${project}` },
    };
  }
  const on = (metric: string, labels?: Readonly<Record<string, LabelMatch>>) => namespaceFilter(source.namespace, region, metric, labels);
  return {
    latency: on(VLLM.e2eLatency),
    latencyUnit: "s",
    latencyValue: (ms) => ms / 1000,
    good: on(VLLM.finished, { finished_reason: [...VLLM_COMPLETED] }),
    bad: on(VLLM.finished, { finished_reason: VLLM_ABORTED }),
    requests: on(VLLM.finished),
    groupBy: ["resource.label.namespace"],
    logs: `the vLLM servers' logs (Logs Explorer, \`resource.type="k8s_container" AND resource.labels.namespace_name="${source.namespace}" AND resource.labels.location="${region}"\`)`,
    console: { displayName: "Workloads in the GKE console", url: `https://console.cloud.google.com/kubernetes/workload/overview?project=${project}` },
  };
}

/** The queue-depth gauge of a GKE-served model, per replica. */
export function queueFilter(source: Extract<SignalSource, { platform: "gke" }>, region: string): pulumi.Output<string> {
  return namespaceFilter(source.namespace, region, prometheusMetricType(source.queue.metric, "gauge"));
}

/** Short human title prefix: `[prod] support-assistant us-central1`. */
export function titleOf(served: ServedRegion, what: string): string {
  return `[${served.environment}] ${served.model} ${served.region}: ${what}`;
}
