/** `llmops rollout analyze`: recorded Cloud Monitoring responses in, a verdict with its reasons out. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, formatAnalysis, loadTestReportPath } from "../../cli/analysis/analyze";
import { readRecorded, rolloutAnalyze } from "../../cli/analysis/command";
import { parseWindow, queriesFor } from "../../cli/analysis/live";
import { Histogram, type RecordedMetrics, mergeDistributions, sumCounts, type TimeSeries } from "../../cli/analysis/timeseries";
import { wilson } from "../../cli/analysis/stats";
import { UserError } from "../../cli/project";
import { loadStackConfig, parseStackConfig } from "../../infra/settings";
import { committedConfig, ROOT, tempProject } from "../helpers/project";
import { fixtures, serialize } from "./fixtures/generate";
import { llmops } from "../cli/cli";

const FIXTURES = path.join(__dirname, "fixtures");
const dev = loadStackConfig(committedConfig("dev"), "dev");
const recorded = (name: string) => readRecorded(path.join(FIXTURES, `${name}.json`));
const run = (model: string, metrics: RecordedMetrics, projectDir = ROOT) => analyze({ project: dev.project, stack: "dev", environment: dev.environment, model: dev.models[model], metrics, projectDir });
const outcome = (a: ReturnType<typeof run>, gate: string) => a.reasons.find((r) => r.gate === gate)?.outcome;

describe("the recorded fixtures", () => {
  it("are exactly what the builders write (regenerate with npx tsx test/rollout/fixtures/generate.ts)", () => {
    for (const [file, value] of Object.entries(fixtures())) expect(fs.readFileSync(path.join(FIXTURES, file), "utf8"), file).toBe(serialize(value));
  });
});

describe.each([
  ["vertex", "support-assistant"],
  ["gke", "gemma-chat"],
])("%s: the four cases of the issue", (platform, model) => {
  it("a healthy candidate advances, every gate passing", () => {
    const a = run(model, recorded(`${platform}-healthy`));
    expect(a.verdict).toBe("advance");
    expect(a.reasons.every((r) => r.outcome === "pass")).toBe(true);
    expect(a.candidate!.requests).toBe(1020);
    expect(a.stable.requests).toBe(9000);
  });

  it("a candidate over its latency budget rolls back, naming the budget and its p99", () => {
    const a = run(model, recorded(`${platform}-slow`));
    expect(a.verdict).toBe("rollback");
    expect(outcome(a, "latencyBudget")).toBe("fail");
    expect(outcome(a, "latencyVsStable")).toBe("fail");
    expect(outcome(a, "errorBudget")).toBe("pass");
    expect(a.candidate!.latencyMs.p99!).toBeGreaterThan(a.slo.latencyP99Ms);
    expect(a.candidate!.slowPercent!).toBeGreaterThan(5);
  });

  it("a candidate with elevated errors rolls back, on the error budget and against stable", () => {
    const a = run(model, recorded(`${platform}-errors`));
    expect(a.verdict).toBe("rollback");
    expect(outcome(a, "errorBudget")).toBe("fail");
    expect(outcome(a, "errorsVsStable")).toBe("fail");
    expect(outcome(a, "latencyBudget")).toBe("pass");
    expect(a.candidate!.errorPercent).toBeCloseTo(5.98, 2);
  });

  it("too little traffic holds: nothing failed, the gates wait", () => {
    const a = run(model, recorded(`${platform}-quiet`));
    expect(a.verdict).toBe("hold");
    expect(outcome(a, "minRequests")).toBe("wait");
    expect(a.reasons.some((r) => r.outcome === "fail")).toBe(false);
  });
});

describe("analysis details", () => {
  it("reads the model's own series only: another endpoint's or version's series are ignored and counted", () => {
    const metrics = recorded("vertex-healthy") as Record<string, { timeSeries: TimeSeries[] }>;
    const type = "aiplatform.googleapis.com/prediction/online/error_count";
    const foreign = { ...metrics[type].timeSeries[1], resource: { ...metrics[type].timeSeries[1].resource, labels: { endpoint_id: "1111111111" } } };
    const flood = { ...foreign, points: foreign.points.map((p) => ({ ...p, value: { int64Value: "1000" } })) };
    const a = run("support-assistant", { ...metrics, [type]: { timeSeries: [...metrics[type].timeSeries, flood] } });
    expect(a.verdict).toBe("advance");
    expect(a.ignoredSeries).toBe(1);
  });

  it("a required load test holds a candidate without a committed report, and rolls back on a failing one", () => {
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("llmops:environment: dev", "llmops:environment: dev\n  llmops:rollouts:\n    gates: { loadTest: required }");
    const dir = tempProject({ dev: text });
    const settings = loadStackConfig(committedConfig("dev"), "dev");
    const model = { ...settings.models["support-assistant"], gates: { ...settings.models["support-assistant"].gates, loadTest: "required" as const } };
    const go = () => analyze({ project: dev.project, stack: "dev", environment: "dev", model, metrics: recorded("vertex-healthy"), projectDir: dir });
    let a = go();
    expect(a.verdict).toBe("hold");
    expect(a.reasons.find((r) => r.gate === "loadTest")!.message).toContain("no load-test report for 1.3.0 at loadtests/support-assistant/1.3.0/report.json");
    const file = loadTestReportPath(dir, "support-assistant", "1.3.0");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ verdict: "fail" }));
    a = go();
    expect(a.verdict).toBe("rollback");
    fs.writeFileSync(file, JSON.stringify({ verdict: "pass" }));
    expect(go().verdict).toBe("advance");
  });

  it("gates come from llmops:rollouts and each model's rollout.gates, the model's winning", () => {
    const flat: Record<string, string> = { ...committedConfig("dev"), "llmops:rollouts": JSON.stringify({ gates: { minRequests: 5000, maxBurnRate: 2 } }) };
    const models = JSON.parse(flat["llmops:models"]);
    models["support-assistant"].rollout.gates = { minRequests: 100 };
    const settings = loadStackConfig({ ...flat, "llmops:models": JSON.stringify(models) }, "dev");
    expect(settings.models["support-assistant"].gates).toMatchObject({ minRequests: 100, maxBurnRate: 2, confidence: 0.95, maxSafetyBlockedPercent: 5 });
    expect(settings.models["gemma-chat"].gates.minRequests).toBe(5000);
  });

  it("rejects bad gates with the key path and what is allowed", () => {
    const flat = { ...committedConfig("dev"), "llmops:rollouts": JSON.stringify({ gates: { confidence: 1.5, minRequests: 0, maxLatncyVsStable: 2 } }) };
    const result = parseStackConfig(flat, "dev");
    expect(result.ok).toBe(false);
    const text = JSON.stringify(!result.ok && result.problems);
    expect(text).toContain("confidence is above 0.5 and below 1");
    expect(text).toContain("minRequests is a whole number of requests, at least 1");
    expect(text).toMatch(/maxLatncyVsStable/);
  });

  it("a stale forced record (another stage) is an error naming the key", () => {
    const models = JSON.parse(committedConfig("dev")["llmops:models"]);
    models["support-assistant"].rollout.forced = { stage: "partial", by: "ana", reason: "hotfix" };
    const result = parseStackConfig({ ...committedConfig("dev"), "llmops:models": JSON.stringify(models) }, "dev");
    expect(JSON.stringify(!result.ok && result.problems)).toContain('forced records stage \\"partial\\" but the rollout is at canary');
  });

  it("text output lists every reason with its numbers", () => {
    const text = formatAnalysis(run("support-assistant", recorded("vertex-slow")));
    expect(text).toContain("support-assistant in dev (vertex), stage canary: **rollback**");
    expect(text).toMatch(/✗ latencyBudget: 1\.3\.0 requests slower than 6000 ms \(p99 \d+(\.\d)? ms\): 10\.\d+% of 1020 \(95% interval [\d.]+%–[\d.]+%\), limit 1%: above the limit/);
  });

  it("a bad evidence file is a user error naming the file", () => {
    const dir = tempProject({});
    fs.writeFileSync(path.join(dir, "bad.json"), "{ not json");
    fs.writeFileSync(path.join(dir, "shape.json"), JSON.stringify({ requests: 5 }));
    expect(() => readRecorded(path.join(dir, "bad.json"))).toThrow(UserError);
    expect(() => readRecorded(path.join(dir, "shape.json"))).toThrow(/"requests" is not a metric type/);
    expect(() => parseWindow("an hour")).toThrow(/--window "an hour" is not a duration; allowed: .* 30m, 1h, 1d/);
    expect(parseWindow("90m")).toBe(5_400_000);
  });

  it("live queries filter by the model's endpoint (Vertex) or namespace and versions (GKE)", () => {
    const v = queriesFor(dev.project, "dev", dev.models["support-assistant"]);
    expect(v["aiplatform.googleapis.com/prediction/online/prediction_latencies"]).toMatch(/resource\.type="aiplatform\.googleapis\.com\/Endpoint" AND resource\.label\.endpoint_id=one_of\("\d{10}"\)/);
    const g = queriesFor(dev.project, "dev", dev.models["gemma-chat"]);
    expect(g["prometheus.googleapis.com/vllm:request_success_total/counter"]).toContain('resource.label.namespace="gemma-chat" AND metric.label.model_version=one_of("1-0-0", "1-1-0")');
  });

  it("the CLI exits 0 for advance, 1 for rollback, 3 for hold, with JSON on request", async () => {
    // In process, as the command runs (test/cli/plan.test.ts spawns the process itself).
    const codes = [];
    for (const n of ["healthy", "errors", "quiet"]) codes.push(await llmops(ROOT, "rollout", "analyze", "--stack", "dev", "--model", "support-assistant", "--from-file", path.join(FIXTURES, `vertex-${n}.json`), "--format", "json"));
    expect(codes.map((c) => c.code)).toEqual([0, 1, 3]);
    const json = JSON.parse(codes[1].stdout);
    expect(Object.keys(json).slice(0, 4)).toEqual(["verdict", "reasons", "candidate", "stable"]);
    expect(json.verdict).toBe("rollback");
    // The same through the in-process entry.
    expect((await rolloutAnalyze({ dir: ROOT, stack: "dev", model: "support-assistant", fromFile: path.join(FIXTURES, "vertex-healthy.json") })).verdict).toBe("advance");
  });
});

describe("histogram arithmetic", () => {
  it("reads exponential buckets with omitted trailing zeros, interpolating inside a bucket", () => {
    const series: TimeSeries = {
      metric: { type: "x" },
      resource: { type: "y" },
      metricKind: "DELTA",
      valueType: "DISTRIBUTION",
      // Buckets: (-inf,1) [1,2) [2,4) [4,8) [8,16) ...: 0, 0, 50, 50; the rest omitted.
      points: [{ interval: { startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:01:00Z" }, value: { distributionValue: { count: "100", bucketOptions: { exponentialBuckets: { numFiniteBuckets: 10, growthFactor: 2, scale: 1 } }, bucketCounts: ["0", "0", "50", "50"] } } }],
    };
    const h = mergeDistributions([series]);
    expect(h.count).toBe(100);
    expect(h.quantile(0.5)!.value).toBe(4);
    expect(h.quantile(0.75)!.value).toBe(6);
    expect(h.countAbove(6)).toBe(25);
    expect(h.countAbove(8)).toBe(0);
  });

  it("differences CUMULATIVE points whichever order they arrive in, and counts a restart whole", () => {
    const p = (start: string, end: string, v: number) => ({ interval: { startTime: start, endTime: end }, value: { doubleValue: v } });
    const s: TimeSeries = { metric: { type: "c" }, resource: { type: "r" }, metricKind: "CUMULATIVE", valueType: "DOUBLE", points: [p("T0", "2026-01-01T00:03:00Z", 5), p("2026-01-01T00:00:00Z", "2026-01-01T00:02:00Z", 130), p("2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z", 100)].map((x, i) => (i === 0 ? { ...x, interval: { startTime: "2026-01-01T00:02:30Z", endTime: "2026-01-01T00:03:00Z" } } : x)) };
    // Baseline 100, then +30, then a restart at 00:02:30 that has counted 5 since.
    expect(sumCounts([s]).total).toBe(35);
  });

  it("Wilson intervals: known values", () => {
    const [lo, hi] = wilson(10, 100, 0.95);
    expect(lo).toBeCloseTo(0.0552, 3);
    expect(hi).toBeCloseTo(0.1744, 3);
    expect(wilson(0, 0, 0.95)).toEqual([0, 1]);
  });

  it("merges identical buckets exactly", () => {
    const h = new Histogram();
    h.add([{ lower: 0, upper: 10, count: 3 }]);
    h.add([{ lower: 0, upper: 10, count: 2 }]);
    expect(h.sorted()).toEqual([{ lower: 0, upper: 10, count: 5 }]);
  });
});
