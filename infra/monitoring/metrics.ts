/**
 * The Google Cloud metric types the alerts, SLOs and dashboard read, each with the page that
 * documents it. Checked 2026-11-27. A metric type that appears in a filter must come from here
 * (or be one of the stack's own log-based metrics), so a typo cannot silently match nothing.
 */
export const METRICS_CHECKED = "2026-11-27";

const VERTEX_DOC = "https://cloud.google.com/monitoring/api/metrics_gcp_a_b#gcp-aiplatform";
const GKE_DOC = "https://cloud.google.com/monitoring/api/metrics_kubernetes";

/** Vertex AI online prediction, on the monitored resource `aiplatform.googleapis.com/Endpoint`. */
export const VERTEX = {
  resource: "aiplatform.googleapis.com/Endpoint",
  /** Distribution in ms; label `latency_type` is `model`, `overhead` or `total`. */
  latencies: "aiplatform.googleapis.com/prediction/online/prediction_latencies",
  predictions: "aiplatform.googleapis.com/prediction/online/prediction_count",
  errors: "aiplatform.googleapis.com/prediction/online/error_count",
  replicas: "aiplatform.googleapis.com/prediction/online/replicas",
  targetReplicas: "aiplatform.googleapis.com/prediction/online/target_replicas",
  /** Fraction of time the accelerators were busy, 0-1: what `accelerator-duty-cycle` autoscaling tracks. */
  dutyCycle: "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle",
  /** Fraction of the replica's CPUs in use: what `cpu-utilization` autoscaling tracks. */
  cpu: "aiplatform.googleapis.com/prediction/online/cpu/utilization",
} as const;

/** GKE, for accelerator pools. DCGM and kube-state metrics arrive through Managed Prometheus. */
export const GKE = {
  /** TPU TensorCore utilisation per node, percent (GKE system metrics). */
  tpuUtilization: "kubernetes.io/node/accelerator/tensorcore_utilization",
  /** GPU utilisation per GPU, percent, from GKE's managed DCGM exporter (every GPU node, busy or not). */
  gpuUtilization: "DCGM_FI_DEV_GPU_UTIL",
  /** 1 while a pod cannot be scheduled (kube-state-metrics "POD" package). */
  unschedulablePods: "kube_pod_status_unschedulable",
} as const;

/**
 * Models served on GKE: vLLM's Prometheus metrics, scraped by the model's PodMonitoring
 * (infra/models/gke) into Managed Service for Prometheus, which stores a Prometheus metric
 * `<name>` of kind `<kind>` as `prometheus.googleapis.com/<name>/<kind>` on the monitored
 * resource `prometheus_target` (labels `project_id`, `location`, `cluster`, `namespace`, `job`,
 * `instance`). https://cloud.google.com/stackdriver/docs/managed-prometheus/query-cm; the vLLM
 * metrics: https://cloud.google.com/stackdriver/docs/managed-prometheus/exporters/vllm and
 * https://docs.vllm.ai/en/stable/usage/metrics/.
 */
export const PROMETHEUS_TARGET = "prometheus_target";

/** The Cloud Monitoring type of a Prometheus metric scraped by Managed Service for Prometheus. */
export function prometheusMetricType(name: string, kind: "counter" | "gauge" | "histogram"): string {
  return `prometheus.googleapis.com/${name}/${kind}`;
}

export const VLLM = {
  /** Histogram in seconds of each finished request's end-to-end latency (arrival to last token). */
  e2eLatency: prometheusMetricType("vllm:e2e_request_latency_seconds", "histogram"),
  /** Counter of finished requests, label `finished_reason`: `stop` or `length` when completed, `abort` when not. */
  finished: prometheusMetricType("vllm:request_success_total", "counter"),
  /** Gauge of requests waiting for a batch slot: the default HPA signal (`serving.queue`). */
  waiting: prometheusMetricType("vllm:num_requests_waiting", "gauge"),
} as const;

/** `finished_reason` values of a completed request; `abort` is a request the engine gave up on. */
export const VLLM_COMPLETED = ["stop", "length"] as const;
export const VLLM_ABORTED = "abort";

const VLLM_DOC = "https://cloud.google.com/stackdriver/docs/managed-prometheus/exporters/vllm";

/** Every documented metric type used, with its reference page. Tests check dashboards against it. */
export const DOCUMENTED_METRICS: Readonly<Record<string, string>> = {
  [VERTEX.latencies]: VERTEX_DOC,
  [VERTEX.predictions]: VERTEX_DOC,
  [VERTEX.errors]: VERTEX_DOC,
  [VERTEX.replicas]: VERTEX_DOC,
  [VERTEX.targetReplicas]: VERTEX_DOC,
  [VERTEX.dutyCycle]: VERTEX_DOC,
  [VERTEX.cpu]: VERTEX_DOC,
  [GKE.tpuUtilization]: GKE_DOC,
  [GKE.gpuUtilization]: "https://cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics",
  [GKE.unschedulablePods]: "https://cloud.google.com/kubernetes-engine/docs/how-to/kube-state-metrics",
  [VLLM.e2eLatency]: VLLM_DOC,
  [VLLM.finished]: VLLM_DOC,
  [VLLM.waiting]: VLLM_DOC,
};

/** The metric type of one of the stack's log-based metrics. */
export function logMetricType(name: string): string {
  return `logging.googleapis.com/user/${name}`;
}

/**
 * A label restriction: an exact value, or any of several (`one_of`). Monitoring filter syntax:
 * https://cloud.google.com/monitoring/api/v3/filters.
 */
export type LabelMatch = string | readonly string[];

export interface MetricQuery {
  readonly metric: string;
  readonly resource?: string;
  /** `resource.label.<key>` restrictions. */
  readonly resourceLabels?: Readonly<Record<string, LabelMatch>>;
  /** `metric.label.<key>` restrictions. */
  readonly metricLabels?: Readonly<Record<string, LabelMatch>>;
}

const quote = (value: string) => JSON.stringify(value);
const match = (value: LabelMatch) => (typeof value === "string" ? quote(value) : `one_of(${value.map(quote).join(", ")})`);

/** A Cloud Monitoring time-series filter, its clauses in a fixed order so plans stay stable. */
export function metricFilter(q: MetricQuery): string {
  const clauses = [`metric.type=${quote(q.metric)}`];
  if (q.resource) clauses.push(`resource.type=${quote(q.resource)}`);
  for (const [key, value] of Object.entries(q.resourceLabels ?? {})) clauses.push(`resource.label.${key}=${match(value)}`);
  for (const [key, value] of Object.entries(q.metricLabels ?? {})) clauses.push(`metric.label.${key}=${match(value)}`);
  return clauses.join(" AND ");
}

/**
 * The metric types a Monitoring filter (`metric.type="..."`) or a PromQL query (`name{...}`)
 * names; tests use it to check that every metric a dashboard shows is documented or alerted on.
 */
export function metricTypesIn(query: string): string[] {
  const filterTypes = [...query.matchAll(/metric\.type\s*=\s*"([^"]+)"/g)].map((m) => m[1]);
  const selectors = [...query.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\{/g)].map((m) => m[1]);
  return [...new Set([...filterTypes, ...selectors])].sort();
}
