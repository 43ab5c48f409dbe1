import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { DOCUMENTED_METRICS, VLLM, prometheusMetricType } from "../../infra/monitoring/metrics";
import { type ServedRegion, type SignalSource, namespaceFilter, queueFilter, signalsOf } from "../../infra/monitoring/served-region";

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((done) => o.apply(done));

const gke: Extract<SignalSource, { platform: "gke" }> = { platform: "gke", namespace: "gemma-chat", queue: { metric: "vllm:num_requests_waiting", target: 5 } };
const servedOn = (source: SignalSource): ServedRegion => ({ model: "gemma-chat", region: "europe-west4", environment: "test", source, prefix: "p", labels: {} });
const SCOPE = 'resource.type="prometheus_target" AND resource.label.namespace="gemma-chat" AND resource.label.location="europe-west4"';

describe("GKE signal filters (vLLM through Managed Service for Prometheus)", () => {
  it("names Prometheus metrics as Managed Prometheus stores them: prometheus.googleapis.com/<name>/<kind>", () => {
    expect(prometheusMetricType("vllm:num_requests_waiting", "gauge")).toBe("prometheus.googleapis.com/vllm:num_requests_waiting/gauge");
    expect(VLLM).toEqual({
      e2eLatency: "prometheus.googleapis.com/vllm:e2e_request_latency_seconds/histogram",
      finished: "prometheus.googleapis.com/vllm:request_success_total/counter",
      waiting: "prometheus.googleapis.com/vllm:num_requests_waiting/gauge",
    });
    for (const metric of Object.values(VLLM)) expect(DOCUMENTED_METRICS[metric], metric).toMatch(/^https:\/\/cloud\.google\.com\/stackdriver\/docs\/managed-prometheus\//);
  });

  it("scopes every filter to the model's namespace in the region's cluster", async () => {
    expect(await resolve(namespaceFilter("gemma-chat", "europe-west4", VLLM.waiting))).toBe(`metric.type="${VLLM.waiting}" AND ${SCOPE}`);
    expect(await resolve(queueFilter(gke, "europe-west4"))).toBe(`metric.type="${VLLM.waiting}" AND ${SCOPE}`);
  });

  it("reads latency in seconds, completed requests as good and aborted ones as bad", async () => {
    const s = signalsOf(servedOn(gke), "proj");
    expect(await resolve(s.latency)).toBe(`metric.type="${VLLM.e2eLatency}" AND ${SCOPE}`);
    expect(s.latencyUnit).toBe("s");
    expect(s.latencyValue(8000)).toBe(8);
    expect(await resolve(s.good)).toBe(`metric.type="${VLLM.finished}" AND ${SCOPE} AND metric.label.finished_reason=one_of("stop", "length")`);
    expect(await resolve(s.bad)).toBe(`metric.type="${VLLM.finished}" AND ${SCOPE} AND metric.label.finished_reason="abort"`);
    expect(await resolve(s.requests)).toBe(`metric.type="${VLLM.finished}" AND ${SCOPE}`);
    expect(s.groupBy).toEqual(["resource.label.namespace"]);
    expect(s.logs).toContain('resource.labels.namespace_name="gemma-chat"');
  });

  it("keeps Vertex AI models on their endpoint's metrics, in milliseconds", async () => {
    const s = signalsOf(servedOn({ platform: "vertex", endpointId: pulumi.output("123") }), "proj");
    const scope = 'resource.type="aiplatform.googleapis.com/Endpoint" AND resource.label.endpoint_id="123" AND resource.label.location="europe-west4"';
    expect(await resolve(s.latency)).toBe(`metric.type="aiplatform.googleapis.com/prediction/online/prediction_latencies" AND ${scope} AND metric.label.latency_type="total"`);
    expect(s.latencyValue(8000)).toBe(8000);
    expect(await resolve(s.bad)).toBe(`metric.type="aiplatform.googleapis.com/prediction/online/error_count" AND ${scope}`);
    expect(s.groupBy).toEqual(["resource.label.endpoint_id"]);
  });
});
