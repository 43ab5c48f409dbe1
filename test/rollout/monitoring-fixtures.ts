/**
 * Builds Cloud Monitoring `projects.timeSeries.list` responses (JSON, `view=FULL`, unaggregated)
 * for a model's stable and candidate versions, as `llmops rollout analyze --record` stores them.
 * Written from the API reference (https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/list,
 * TimeSeries, Point, TypedValue, Distribution) and the metric lists
 * (https://cloud.google.com/monitoring/api/metrics_gcp_a_b#gcp-aiplatform: prediction_count and
 * error_count are DELTA INT64 labelled `deployed_model_id`; prediction_latencies is a DELTA
 * DISTRIBUTION in ms labelled `latency_type` and `deployed_model_id`, on the resource
 * `aiplatform.googleapis.com/Endpoint` with `resource_container`, `location`, `endpoint_id`;
 * Managed Prometheus stores counters and histograms as CUMULATIVE on `prometheus_target`).
 * Assumed, not documented: Vertex AI's latency bucket options (exponential, scale 1, growth 1.3 —
 * the analysis reads whatever options a response carries) and one point per minute.
 */
import { endpointId, registryModelId, templateId, namespaceOf, VERSION_METRIC_LABEL, type ResolvedModel } from "../../infra/models/config";
import { toLabelValue } from "../../infra/common/labels";
import { regionDeployedModelIds } from "../../infra/models/providers/deployed-model-id";
import { VERTEX, VLLM } from "../../infra/monitoring/metrics";
import type { BucketOptions, ListTimeSeriesResponse, Point, TimeSeries } from "../../cli/analysis/timeseries";
import { SANITIZE_LOG_METRIC } from "../../cli/analysis/metric-names";

/** What one version did over the window. */
export interface Traffic {
  /** Requests per minute (successes and failures). */
  readonly perMinute: number;
  readonly errorPercent: number;
  /** Log-normal latency, by its median and p99 in ms. */
  readonly medianMs: number;
  readonly p99Ms: number;
  /** Share of Model Armor calls flagged, percent. @default none recorded */
  readonly flaggedPercent?: number;
}

export interface Scenario {
  readonly minutes: number;
  readonly stable: Traffic;
  readonly candidate: Traffic;
}

export const END = Date.parse("2026-12-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): ample for bucket shares.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** Log-normal CDF with the given median and p99. */
function cdf(t: Traffic, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  const sigma = Math.log(t.p99Ms / t.medianMs) / 2.3263478740408408;
  return 0.5 * (1 + erf((Math.log(x) - Math.log(t.medianMs)) / (sigma * Math.SQRT2)));
}

/** Bucket counts of `n` values over the boundaries, summing to n exactly (largest remainders). */
function bucketCounts(t: Traffic, n: number, bounds: readonly number[]): string[] {
  const edges = [0, ...bounds, Infinity];
  const exact = edges.slice(1).map((hi, i) => n * (cdf(t, hi) - cdf(t, edges[i])));
  const counts = exact.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i]++;
  }
  while (counts.length > 1 && counts[counts.length - 1] === 0) counts.pop(); // the API omits trailing zero buckets
  return counts.map(String);
}

const VERTEX_BUCKETS = { exponentialBuckets: { numFiniteBuckets: 40, growthFactor: 1.3, scale: 1 } } satisfies BucketOptions;
const vertexBounds = Array.from({ length: 41 }, (_, i) => 1.3 ** i);
// vLLM's e2e_request_latency_seconds buckets (vllm/engine/metrics.py), in seconds.
const VLLM_BOUNDS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

const errorsOf = (t: Traffic, minute: number) => Math.floor(((minute + 1) * t.perMinute * t.errorPercent) / 100) - Math.floor((minute * t.perMinute * t.errorPercent) / 100);

/** Points newest first, one a minute, as the API returns them. */
function deltaPoints(minutes: number, value: (minute: number) => Point["value"]): Point[] {
  const points: Point[] = [];
  for (let m = minutes - 1; m >= 0; m--) {
    const start = END - (minutes - m) * 60_000;
    points.push({ interval: { startTime: iso(start), endTime: iso(start + 60_000) }, value: value(m) });
  }
  return points;
}

export function vertexFixture(project: string, model: ResolvedModel, scenario: Scenario, environment = "dev"): Record<string, ListTimeSeriesResponse> {
  const region = model.config.serving.regions[0];
  const { stable, candidate } = model.config.rollout;
  const ids = regionDeployedModelIds(registryModelId(model.name), region, model.config.serving, model.servingEmail, [stable, candidate!]);
  const resource = { type: VERTEX.resource, labels: { resource_container: project, location: region, endpoint_id: endpointId(project, model.name, region) } };
  const versions: [string, Traffic][] = [
    [stable, scenario.stable],
    [candidate!, scenario.candidate],
  ];
  const counter = (type: string, count: (t: Traffic, m: number) => number): TimeSeries[] =>
    versions.map(([v, t]) => ({ metric: { type, labels: { deployed_model_id: ids[v] } }, resource, metricKind: "DELTA", valueType: "INT64", points: deltaPoints(scenario.minutes, (m) => ({ int64Value: String(count(t, m)) })) }));
  const latencies: TimeSeries[] = versions.flatMap(([v, t]) =>
    (["total", "model"] as const).map((latencyType) => ({
      metric: { type: VERTEX.latencies, labels: { deployed_model_id: ids[v], latency_type: latencyType } },
      resource,
      metricKind: "DELTA" as const,
      valueType: "DISTRIBUTION",
      unit: "ms",
      points: deltaPoints(scenario.minutes, () => {
        // The model's own time is a little shorter than what the caller waits.
        const shape = latencyType === "total" ? t : { ...t, medianMs: t.medianMs * 0.9, p99Ms: t.p99Ms * 0.9 };
        return { distributionValue: { count: String(t.perMinute), mean: shape.medianMs, sumOfSquaredDeviation: 0, bucketOptions: VERTEX_BUCKETS, bucketCounts: bucketCounts(shape, t.perMinute, vertexBounds) } };
      }),
    })),
  );
  const out: Record<string, ListTimeSeriesResponse> = {
    [VERTEX.predictions]: { timeSeries: counter(VERTEX.predictions, (t, m) => t.perMinute - errorsOf(t, m)), unit: "1" },
    [VERTEX.errors]: { timeSeries: counter(VERTEX.errors, errorsOf), unit: "1" },
    [VERTEX.latencies]: { timeSeries: latencies, unit: "ms" },
  };
  if (scenario.candidate.flaggedPercent !== undefined) {
    const type = SANITIZE_LOG_METRIC(environment);
    out[type] = {
      timeSeries: versions.flatMap(([v, t]) =>
        (["MATCH_FOUND", "NO_MATCH_FOUND"] as const).map((state) => ({
          metric: { type, labels: { template_id: templateId(model.name, v), location: region, operation: "SANITIZE_USER_PROMPT", match_state: state, invocation: "SUCCESS" } },
          resource: { type: "global", labels: { project_id: project } },
          metricKind: "DELTA" as const,
          valueType: "INT64",
          points: deltaPoints(scenario.minutes, (m) => {
            const flagged = Math.floor(((m + 1) * t.perMinute * (t.flaggedPercent ?? 0)) / 100) - Math.floor((m * t.perMinute * (t.flaggedPercent ?? 0)) / 100);
            return { int64Value: String(state === "MATCH_FOUND" ? flagged : t.perMinute - flagged) };
          }),
        })),
      ),
    };
  }
  return out;
}

/** Managed Prometheus: CUMULATIVE counters and histograms (seconds) per pod, labelled by version. */
export function gkeFixture(project: string, model: ResolvedModel, scenario: Scenario): Record<string, ListTimeSeriesResponse> {
  const region = model.config.serving.regions[0];
  const { stable, candidate } = model.config.rollout;
  const start = iso(END - (scenario.minutes + 600) * 60_000); // the servers started before the window
  const resource = (v: string) => ({ type: "prometheus_target", labels: { project_id: project, location: region, cluster: `llmops-${region}`, namespace: namespaceOf(model.name), job: namespaceOf(model.name), instance: `${namespaceOf(model.name)}-v${toLabelValue(v)}-0:http` } });
  const versions: [string, Traffic][] = [
    [stable, scenario.stable],
    [candidate!, scenario.candidate],
  ];
  // Cumulative points: the baseline at the window's start, then one a minute.
  const cumulative = (value: (minutesIn: number) => Point["value"]): Point[] => {
    const points: Point[] = [];
    for (let m = scenario.minutes; m >= 0; m--) points.push({ interval: { startTime: start, endTime: iso(END - (scenario.minutes - m) * 60_000) }, value: value(m) });
    return points;
  };
  const BASE = 100_000; // requests before the window: the baseline must not count
  const finished: TimeSeries[] = versions.flatMap(([v, t]) =>
    (["stop", "abort"] as const).map((reason) => ({
      metric: { type: VLLM.finished, labels: { finished_reason: reason, model_name: model.name, [VERSION_METRIC_LABEL]: toLabelValue(v) } },
      resource: resource(v),
      metricKind: "CUMULATIVE" as const,
      valueType: "DOUBLE",
      points: cumulative((m) => {
        const errors = Math.floor((m * t.perMinute * t.errorPercent) / 100);
        return { doubleValue: BASE + (reason === "abort" ? errors : m * t.perMinute - errors) };
      }),
    })),
  );
  const seconds = (t: Traffic): Traffic => ({ ...t, medianMs: t.medianMs / 1000, p99Ms: t.p99Ms / 1000 });
  const latency: TimeSeries[] = versions.map(([v, t]) => ({
    metric: { type: VLLM.e2eLatency, labels: { model_name: model.name, [VERSION_METRIC_LABEL]: toLabelValue(v) } },
    resource: resource(v),
    metricKind: "CUMULATIVE",
    valueType: "DISTRIBUTION",
    points: cumulative((m) => ({ distributionValue: { count: String(BASE + m * t.perMinute), bucketOptions: { explicitBuckets: { bounds: VLLM_BOUNDS } }, bucketCounts: bucketCounts(seconds(t), BASE + m * t.perMinute, VLLM_BOUNDS) } })),
  }));
  return { [VLLM.finished]: { timeSeries: finished }, [VLLM.e2eLatency]: { timeSeries: latency } };
}

/** The four scenarios of the issue, for a model whose latency budget is `budgetMs`. */
export function scenarios(budgetMs: number): Record<"healthy" | "slow" | "errors" | "quiet", Scenario> {
  const good: Traffic = { perMinute: 150, errorPercent: 0.1, medianMs: budgetMs / 5, p99Ms: budgetMs / 2, flaggedPercent: 1 };
  return {
    healthy: { minutes: 60, stable: good, candidate: { ...good, perMinute: 17 } },
    slow: { minutes: 60, stable: good, candidate: { ...good, perMinute: 17, medianMs: budgetMs / 2, p99Ms: budgetMs * 2 } },
    errors: { minutes: 60, stable: good, candidate: { ...good, perMinute: 17, errorPercent: 6 } },
    quiet: { minutes: 20, stable: { ...good, perMinute: 10 }, candidate: { ...good, perMinute: 1 } },
  };
}
