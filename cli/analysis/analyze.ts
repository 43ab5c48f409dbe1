import * as fs from "node:fs";
import * as path from "node:path";
import { SANITIZE_LOG_METRIC } from "./metric-names";
import { type Gates, ROLLBACK, type ResolvedModel, VERSION_METRIC_LABEL, endpointId, namespaceOf, registryModelId, templateId } from "../../infra/models/config";
import { regionDeployedModelIds } from "../../infra/models/providers/deployed-model-id";
import { VERTEX, VLLM, VLLM_ABORTED } from "../../infra/monitoring/metrics";
import { sloOf } from "../../infra/monitoring/config";
import { type Histogram, type RecordedMetrics, type Tally, type TimeSeries, mergeDistributions, seriesOf, sumCounts } from "./timeseries";
import { wilson } from "./stats";
import { toLabelValue } from "../../infra/common/labels";

/** A p99 budget allows 1 request in 100 over it (infra/monitoring/slo.ts LATENCY_SLO_GOAL; not imported: that file loads the Pulumi SDK). */
const LATENCY_SLO_GOAL = 0.99;

export type Verdict = "advance" | "hold" | "rollback";

/** One gate's outcome: `pass`, `fail` (a rollback reason) or `wait` (not enough evidence yet: hold). */
export interface Reason {
  readonly gate: string;
  readonly outcome: "pass" | "fail" | "wait";
  readonly message: string;
  /** The numbers behind it. */
  readonly observed?: number;
  readonly limit?: number;
  readonly interval?: readonly [number, number];
}

export interface VersionEvidence {
  readonly version: string;
  readonly requests: number;
  readonly errors: number;
  readonly errorPercent: number | null;
  /** Minutes between the first and last point that counted a request. */
  readonly minutesObserved: number;
  readonly latencyMs: { readonly p50: number | null; readonly p90: number | null; readonly p95: number | null; readonly p99: number | null; readonly overflow: boolean };
  /** Requests slower than the model's latency budget, percent. */
  readonly slowPercent: number | null;
  readonly burnRate: { readonly availability: number | null; readonly latency: number | null };
  readonly safety: { readonly calls: number; readonly flagged: number; readonly flaggedPercent: number | null } | null;
}

export interface Analysis {
  readonly verdict: Verdict;
  readonly reasons: readonly Reason[];
  readonly candidate: VersionEvidence | null;
  readonly stable: VersionEvidence;
  readonly model: string;
  readonly stack: string;
  readonly platform: string;
  readonly stage: string | null;
  readonly slo: { readonly availability: number; readonly latencyP99Ms: number };
  readonly gates: Gates;
  /** Series in the evidence that belong to no deployed version of this model (other models, old deployments). */
  readonly ignoredSeries: number;
}

export interface AnalyzeInput {
  readonly project: string;
  readonly stack: string;
  readonly environment: string;
  readonly model: ResolvedModel;
  readonly metrics: RecordedMetrics;
  /** Where committed load-test reports live (`loadtests/<model>/<version>/report.json`). */
  readonly projectDir: string;
}

/** Which series belong to which version, per platform. */
interface Selector {
  readonly requests: (version: string) => TimeSeries[];
  readonly errors: (version: string) => TimeSeries[];
  readonly latency: (version: string) => Histogram;
  readonly ignored: number;
}

function vertexSelector(input: AnalyzeInput, versions: readonly string[]): Selector {
  const { model, project, metrics } = input;
  const c = model.config;
  // deployed_model_id → version, for the model's endpoint in each region.
  const owner = new Map<string, string>();
  for (const region of c.serving.regions) {
    const endpoint = endpointId(project, model.name, region);
    for (const [version, id] of Object.entries(regionDeployedModelIds(registryModelId(model.name), region, c.serving, model.servingEmail, versions))) owner.set(`${endpoint}/${id}`, version);
  }
  const versionOf = (s: TimeSeries) => owner.get(`${s.resource.labels?.endpoint_id}/${s.metric.labels?.deployed_model_id}`);
  let ignored = 0;
  const pick = (type: string, extra: (s: TimeSeries) => boolean = () => true) => {
    const all = seriesOf(metrics, type);
    ignored += all.filter((s) => versionOf(s) === undefined).length;
    return (version: string) => all.filter((s) => versionOf(s) === version && extra(s));
  };
  const predictions = pick(VERTEX.predictions);
  const errors = pick(VERTEX.errors);
  // `total` only: the `model` and `overhead` series would understate what a caller waits.
  const latency = pick(VERTEX.latencies, (s) => s.metric.labels?.latency_type === "total");
  return {
    // The SLO's definition: prediction_count and error_count are separate counters (good and bad).
    requests: (v) => [...predictions(v), ...errors(v)],
    errors,
    latency: (v) => mergeDistributions(latency(v)),
    get ignored() {
      return ignored;
    },
  };
}

function gkeSelector(input: AnalyzeInput): Selector {
  const { model, metrics } = input;
  const namespace = namespaceOf(model.name);
  const regions = new Set(model.config.serving.regions);
  const ours = (s: TimeSeries) => s.resource.labels?.namespace === namespace && regions.has(s.resource.labels?.location ?? "");
  const versionOf = (s: TimeSeries) => s.metric.labels?.[VERSION_METRIC_LABEL];
  let ignored = 0;
  const pick = (type: string, extra: (s: TimeSeries) => boolean = () => true) => {
    const all = seriesOf(metrics, type);
    ignored += all.filter((s) => !ours(s) || versionOf(s) === undefined).length;
    return (version: string) => all.filter((s) => ours(s) && versionOf(s) === toLabelValue(version) && extra(s));
  };
  const finished = pick(VLLM.finished);
  const latency = pick(VLLM.e2eLatency);
  return {
    requests: finished,
    errors: (v) => finished(v).filter((s) => s.metric.labels?.finished_reason === VLLM_ABORTED),
    // vLLM's histogram is in seconds; budgets are in milliseconds.
    latency: (v) => mergeDistributions(latency(v), 1000),
    get ignored() {
      return ignored;
    },
  };
}

const round = (x: number | null | undefined, digits = 3) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));
const minutes = (t: Tally) => (t.first === undefined || t.last === undefined ? 0 : (t.last - t.first) / 60_000);

function evidence(version: string, sel: Selector, input: AnalyzeInput, budgetMs: number, errorBudget: number): VersionEvidence & { histogram: Histogram } {
  const req = sumCounts(sel.requests(version));
  const err = sumCounts(sel.errors(version));
  const histogram = sel.latency(version);
  const q = (p: number) => round(histogram.quantile(p)?.value, 1);
  const errorRatio = req.total ? err.total / req.total : null;
  const latencyCount = histogram.count;
  const slow = latencyCount ? histogram.countAbove(budgetMs) / latencyCount : null;
  return {
    version,
    requests: req.total,
    errors: err.total,
    errorPercent: round(errorRatio === null ? null : errorRatio * 100),
    minutesObserved: round(minutes(req), 1) ?? 0,
    latencyMs: { p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99), overflow: histogram.quantile(0.99)?.overflow ?? false },
    slowPercent: round(slow === null ? null : slow * 100),
    burnRate: { availability: round(errorRatio === null ? null : errorRatio / errorBudget, 2), latency: round(slow === null ? null : slow / (1 - LATENCY_SLO_GOAL), 2) },
    safety: safetyOf(input, version),
    histogram,
  };
}

function safetyOf(input: AnalyzeInput, version: string): VersionEvidence["safety"] {
  const type = SANITIZE_LOG_METRIC(input.environment);
  if (input.metrics[type] === undefined) return null;
  const template = templateId(input.model.name, version);
  const regions = new Set(input.model.config.serving.regions);
  const mine = seriesOf(input.metrics, type).filter((s) => s.metric.labels?.template_id === template && regions.has(s.metric.labels?.location ?? ""));
  const calls = sumCounts(mine).total;
  const flagged = sumCounts(mine.filter((s) => s.metric.labels?.match_state === "MATCH_FOUND")).total;
  return { calls, flagged, flaggedPercent: round(calls ? (flagged / calls) * 100 : null) };
}

/** Decides an absolute gate on a share: fail when surely above `limit`, pass when surely within, else wait. */
function shareGate(gate: string, what: string, hits: number, n: number, limit: number, confidence: number): Reason {
  const [lo, hi] = wilson(hits, n, confidence);
  const pct = (x: number) => `${(x * 100).toFixed(3).replace(/\.?0+$/, "")}%`;
  const base = `${what}: ${n ? pct(hits / n) : "n/a"} of ${n} (${Math.round(confidence * 100)}% interval ${pct(lo)}–${pct(hi)}), limit ${pct(limit)}`;
  const r6 = (x: number) => Number(x.toFixed(6));
  const numbers = { observed: r6(n ? hits / n : 0), limit: r6(limit), interval: [r6(lo), r6(hi)] as const };
  if (lo > limit) return { gate, outcome: "fail", message: `${base}: above the limit`, ...numbers };
  if (hi <= limit) return { gate, outcome: "pass", message: `${base}: within`, ...numbers };
  return { gate, outcome: "wait", message: `${base}: not yet distinguishable from the limit; more traffic needed`, ...numbers };
}

/** `loadtests/<model>/<version>/report.json`, as `llmops loadtest --out loadtests/<model>/<version>` writes it. */
export function loadTestReportPath(projectDir: string, model: string, version: string): string {
  return path.join(projectDir, "loadtests", model, version, "report.json");
}

/**
 * The rollout analysis: the candidate's evidence beside stable's over the recorded window,
 * each gate's outcome, and the verdict. Rollback if any gate surely fails; hold while any gate
 * still waits for traffic; advance when all pass.
 */
export function analyze(input: AnalyzeInput): Analysis {
  const { model } = input;
  const c = model.config;
  const gates = model.gates;
  const slo = sloOf(c);
  const budgetMs = slo.latencyP99Ms;
  const errorBudget = 1 - slo.availability / 100;
  const { stable, candidate, stage } = c.rollout;
  const versions = candidate === undefined ? [stable] : [stable, candidate];
  const sel = c.serving.platform === "vertex" ? vertexSelector(input, versions) : gkeSelector(input);
  const stableEv = evidence(stable, sel, input, budgetMs, errorBudget);
  const candEv = candidate === undefined ? undefined : evidence(candidate, sel, input, budgetMs, errorBudget);
  const reasons: Reason[] = [];
  const strip = ({ histogram: _h, ...rest }: VersionEvidence & { histogram: Histogram }): VersionEvidence => rest;
  const result = (verdict: Verdict): Analysis => ({
    verdict,
    reasons,
    candidate: candEv ? strip(candEv) : null,
    stable: strip(stableEv),
    model: model.name,
    stack: input.stack,
    platform: c.serving.platform,
    stage: stage ?? null,
    slo,
    gates,
    ignoredSeries: sel.ignored,
  });

  if (!candEv || candidate === undefined) {
    reasons.push({ gate: "candidate", outcome: "wait", message: `no candidate in flight: stable ${stable} serves 100%` });
    return result("hold");
  }
  if (stage === ROLLBACK) {
    reasons.push({ gate: "candidate", outcome: "wait", message: `${candidate} is rolled back and serves no traffic; retry it from the first stage to gather evidence` });
    return result("hold");
  }

  // Load-test evidence before the candidate takes real traffic.
  if (gates.loadTest === "required") {
    const file = loadTestReportPath(input.projectDir, model.name, candidate);
    const rel = path.relative(input.projectDir, file);
    let verdict: string | undefined;
    try {
      verdict = (JSON.parse(fs.readFileSync(file, "utf8")) as { verdict?: string }).verdict;
    } catch {
      verdict = undefined;
    }
    if (verdict === undefined) reasons.push({ gate: "loadTest", outcome: "wait", message: `no load-test report for ${candidate} at ${rel}; run llmops loadtest --out ${path.dirname(rel)} and commit it` });
    else if (verdict !== "pass") reasons.push({ gate: "loadTest", outcome: "fail", message: `the load-test report at ${rel} has verdict ${verdict}` });
    else reasons.push({ gate: "loadTest", outcome: "pass", message: `load-test report at ${rel}: pass` });
  }

  const n = candEv.requests;
  const conf = gates.confidence;
  // Traffic and time at the stage.
  reasons.push(
    n >= gates.minRequests
      ? { gate: "minRequests", outcome: "pass", message: `${candidate} served ${n} requests (at least ${gates.minRequests})`, observed: n, limit: gates.minRequests }
      : { gate: "minRequests", outcome: "wait", message: `${candidate} served ${n} requests; the gate needs ${gates.minRequests}`, observed: n, limit: gates.minRequests },
  );
  reasons.push(
    candEv.minutesObserved >= gates.minMinutesAtStage
      ? { gate: "minMinutesAtStage", outcome: "pass", message: `${candidate} has ${candEv.minutesObserved} minutes of traffic (at least ${gates.minMinutesAtStage})`, observed: candEv.minutesObserved, limit: gates.minMinutesAtStage }
      : { gate: "minMinutesAtStage", outcome: "wait", message: `${candidate} has ${candEv.minutesObserved} minutes of traffic; the gate needs ${gates.minMinutesAtStage}`, observed: candEv.minutesObserved, limit: gates.minMinutesAtStage },
  );

  // Availability: the error ratio against the error budget at the allowed burn rate.
  reasons.push(shareGate("errorBudget", `${candidate} errors (availability ${slo.availability}%, burn rate ≤ ${gates.maxBurnRate})`, candEv.errors, n, errorBudget * gates.maxBurnRate, conf));

  // Latency: the share slower than the p99 budget against the 1% a p99 allows.
  const latN = candEv.histogram.count;
  reasons.push(shareGate("latencyBudget", `${candidate} requests slower than ${budgetMs} ms (p99 ${candEv.latencyMs.p99 ?? "n/a"} ms)`, candEv.histogram.countAbove(budgetMs), latN, (1 - LATENCY_SLO_GOAL) * gates.maxBurnRate, conf));

  // Relative to stable, when stable has enough traffic to compare with (not at 100%).
  if (stableEv.requests >= gates.minRequests && n >= gates.minRequests) {
    const [candLo] = wilson(candEv.errors, n, conf);
    const [, stableHi] = wilson(stableEv.errors, stableEv.requests, conf);
    const limit = stableHi * gates.maxErrorRatioVsStable;
    const msg = `${candidate} error ratio ${candEv.errorPercent}% vs stable ${stable} ${stableEv.errorPercent}% (at most ${gates.maxErrorRatioVsStable}× stable's upper bound ${(stableHi * 100).toFixed(3)}%)`;
    reasons.push(candLo > limit ? { gate: "errorsVsStable", outcome: "fail", message: `${msg}: worse`, observed: Number(candLo.toFixed(6)), limit: Number(limit.toFixed(6)) } : { gate: "errorsVsStable", outcome: "pass", message: msg, observed: Number(candLo.toFixed(6)), limit: Number(limit.toFixed(6)) });
    const cp99 = candEv.latencyMs.p99;
    const sp99 = stableEv.latencyMs.p99;
    if (cp99 !== null && sp99 !== null && sp99 > 0) {
      const ratio = cp99 / sp99;
      const msg2 = `${candidate} p99 ${cp99} ms vs stable ${stable} ${sp99} ms: ${ratio.toFixed(2)}× (at most ${gates.maxLatencyVsStable}×)`;
      reasons.push({ gate: "latencyVsStable", outcome: ratio > gates.maxLatencyVsStable ? "fail" : "pass", message: msg2, observed: Number(ratio.toFixed(3)), limit: gates.maxLatencyVsStable });
    }
  } else {
    reasons.push({ gate: "versusStable", outcome: "pass", message: `stable ${stable} served ${stableEv.requests} requests in the window: too few to compare with (it may serve nothing at the last stage); the absolute gates decide` });
  }

  // Model Armor's flagged share, when the evidence has the sanitize counter.
  if (candEv.safety) {
    const { calls, flagged } = candEv.safety;
    if (calls >= gates.minRequests) {
      const limit = gates.maxSafetyBlockedPercent / 100;
      const share = flagged / calls;
      reasons.push({ gate: "safety", outcome: share > limit ? "fail" : "pass", message: `Model Armor flagged ${(share * 100).toFixed(2)}% of ${calls} sanitize calls for ${candidate} (at most ${gates.maxSafetyBlockedPercent}%)`, observed: Number(share.toFixed(6)), limit });
    } else reasons.push({ gate: "safety", outcome: "wait", message: `Model Armor screened ${calls} calls for ${candidate}; the gate needs ${gates.minRequests}` });
  }

  if (reasons.some((r) => r.outcome === "fail")) return result("rollback");
  if (reasons.some((r) => r.outcome === "wait")) return result("hold");
  return result("advance");
}

export const EXIT_CODES: Readonly<Record<Verdict, number>> = { advance: 0, rollback: 1, hold: 3 };

const fmt = (x: number | null, unit = "") => (x === null ? "n/a" : `${x}${unit}`);

/** The analysis for a terminal or a pull-request description. */
export function formatAnalysis(a: Analysis): string {
  const row = (label: string, e: VersionEvidence | null) =>
    e
      ? `| ${label} ${e.version} | ${e.requests} | ${fmt(e.errorPercent, "%")} | ${fmt(e.latencyMs.p50)} | ${fmt(e.latencyMs.p95)} | ${fmt(e.latencyMs.p99)}${e.latencyMs.overflow ? "+" : ""} | ${fmt(e.slowPercent, "%")} | ${fmt(e.burnRate.availability)} / ${fmt(e.burnRate.latency)} | ${e.safety ? fmt(e.safety.flaggedPercent, "%") : "n/a"} |`
      : `| ${label} | none | | | | | | | |`;
  const mark = { pass: "✓", fail: "✗", wait: "…" } as const;
  return [
    `${a.model} in ${a.stack} (${a.platform}), stage ${a.stage ?? "none"}: **${a.verdict}**`,
    "",
    `SLO: ${a.slo.availability}% available, p99 within ${a.slo.latencyP99Ms} ms`,
    "",
    "| version | requests | errors | p50 ms | p95 ms | p99 ms | over budget | burn (avail / latency) | Model Armor flagged |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    row("candidate", a.candidate),
    row("stable", a.stable),
    "",
    ...a.reasons.map((r) => `- ${mark[r.outcome]} ${r.gate}: ${r.message}`),
    ...(a.ignoredSeries ? ["", `(${a.ignoredSeries} series in the evidence belong to no deployed version of ${a.model} and were ignored)`] : []),
  ].join("\n");
}
