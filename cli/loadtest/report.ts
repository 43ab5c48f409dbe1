import type { Histogram } from "hdr-histogram-js";
import { type RunResult, histogram } from "./run";

export interface Percentiles {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface LoadTestReport {
  readonly requests: number;
  readonly errors: number;
  readonly latencyMs: { readonly ttft: Percentiles | null; readonly itl: Percentiles | null; readonly e2e: Percentiles | null };
  readonly throughput: { readonly requestsPerSecond: number; readonly outputTokensPerSecond: number };
  /** Requests that succeeded within the model's latency budget. */
  readonly goodput: { readonly percent: number; readonly requestsPerSecond: number; readonly budgetMs: number };
  readonly verdict: "pass" | "fail";
  readonly reasons: readonly string[];
  readonly errorsByClass: Readonly<Record<string, number>>;
  readonly run: Readonly<Record<string, unknown>>;
}

const ms = (us: number) => Number((us / 1000).toFixed(3));

export function percentiles(h: Histogram): Percentiles | null {
  if (h.totalCount === 0) return null;
  return { p50: ms(h.getValueAtPercentile(50)), p90: ms(h.getValueAtPercentile(90)), p95: ms(h.getValueAtPercentile(95)), p99: ms(h.getValueAtPercentile(99)), max: ms(h.maxValue) };
}

/** The report: percentiles from HDR histograms, and a verdict against the model's SLO. */
export function buildReport(result: RunResult, slo: { readonly availability: number; readonly latencyP99Ms: number }, run: Record<string, unknown>): { report: LoadTestReport; e2e: Histogram } {
  const e2e = histogram();
  const ttft = histogram();
  const errorsByClass: Record<string, number> = {};
  let tokens = 0;
  let good = 0;
  for (const s of result.samples) {
    if (s.error) {
      errorsByClass[s.error] = (errorsByClass[s.error] ?? 0) + 1;
      continue;
    }
    e2e.recordValue(Math.max(1, Math.round(s.e2e * 1000)));
    if (s.ttft !== undefined) ttft.recordValue(Math.max(1, Math.round(s.ttft * 1000)));
    tokens += s.tokens;
    if (s.e2e <= slo.latencyP99Ms) good++;
  }
  const n = result.samples.length;
  const errors = n - e2e.totalCount;
  const seconds = result.elapsedMs / 1000;
  const e2eP = percentiles(e2e);
  const reasons: string[] = [];
  const allowed = 100 - slo.availability;
  const errorPercent = n ? (errors / n) * 100 : 0;
  if (n === 0) reasons.push("no request completed");
  if (e2eP && e2eP.p99 > slo.latencyP99Ms) reasons.push(`p99 end-to-end ${e2eP.p99} ms exceeds the budget of ${slo.latencyP99Ms} ms`);
  if (errorPercent > allowed) reasons.push(`${errorPercent.toFixed(2)}% of requests failed; the objective allows ${allowed.toFixed(2)}%`);
  const report: LoadTestReport = {
    requests: n,
    errors,
    latencyMs: { ttft: percentiles(ttft), itl: percentiles(result.itl), e2e: e2eP },
    throughput: { requestsPerSecond: Number((n / seconds).toFixed(2)), outputTokensPerSecond: Number((tokens / seconds).toFixed(2)) },
    goodput: { percent: Number((n ? (good / n) * 100 : 0).toFixed(2)), requestsPerSecond: Number((good / seconds).toFixed(2)), budgetMs: slo.latencyP99Ms },
    verdict: reasons.length ? "fail" : "pass",
    reasons,
    errorsByClass,
    run: { ...run, elapsedMs: Math.round(result.elapsedMs), sendLagP99Ms: result.sendLagP99Ms },
  };
  return { report, e2e };
}

const W = 640;
const H = 320;
const PAD = 48;

function svg(title: string, xLabel: string, yLabel: string, series: { name: string; color: string; points: [number, number][] }[], yLine?: { value: number; label: string }): string {
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).concat(yLine ? [yLine.value] : []);
  const [x0, x1] = [Math.min(0, ...xs), Math.max(1e-9, ...xs)];
  const y1 = Math.max(1e-9, ...ys) * 1.05;
  const X = (x: number) => PAD + ((x - x0) / (x1 - x0 || 1)) * (W - 2 * PAD);
  const Y = (y: number) => H - PAD - (y / y1) * (H - 2 * PAD);
  const f = (v: number) => v.toFixed(1);
  const lines = series.map((s) => `<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${s.points.map(([x, y]) => `${f(X(x))},${f(Y(y))}`).join(" ")}"/>`);
  const legend = series.map((s, i) => `<text x="${W - PAD - 120}" y="${PAD + 14 * i}" fill="${s.color}" font-size="11">${s.name}</text>`);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => `<text x="${PAD - 4}" y="${f(Y(t * y1) + 4)}" font-size="10" text-anchor="end">${(t * y1).toPrecision(3)}</text><text x="${f(X(x0 + t * (x1 - x0)))}" y="${H - PAD + 14}" font-size="10" text-anchor="middle">${(x0 + t * (x1 - x0)).toPrecision(3)}</text>`);
  const budget = yLine && yLine.value <= y1 ? `<line x1="${PAD}" x2="${W - PAD}" y1="${f(Y(yLine.value))}" y2="${f(Y(yLine.value))}" stroke="#c00" stroke-dasharray="4 3"/><text x="${PAD + 4}" y="${f(Y(yLine.value) - 4)}" font-size="10" fill="#c00">${yLine.label}</text>` : "";
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${title}</text>`,
    `<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#333"/><line x1="${PAD}" y1="${PAD}" x2="${PAD}" y2="${H - PAD}" stroke="#333"/>`,
    ...ticks,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${xLabel}</text>`,
    `<text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle" font-size="11">${yLabel}</text>`,
    budget,
    ...lines,
    ...legend,
    "</svg>",
    "",
  ].join("\n");
}

/** The end-to-end latency CDF, from the HDR histogram's recorded values. */
export function cdfSvg(e2e: Histogram, budgetMs: number): string {
  const points: [number, number][] = [];
  for (let p = 0; p <= 100; p += 0.5) points.push([p, e2e.totalCount ? e2e.getValueAtPercentile(Math.min(p, 100)) / 1000 : 0]);
  return svg("End-to-end latency by percentile", "percentile", "ms", [{ name: "e2e", color: "#1f77b4", points }], { value: budgetMs, label: `budget ${budgetMs} ms` });
}

/** Per second of the run: p50 and p99 end-to-end latency and completed requests. */
export function overTimeSvg(result: RunResult): { latency: string; throughput: string } {
  const bySecond = new Map<number, number[]>();
  for (const s of result.samples) if (!s.error) bySecond.set(Math.floor(s.end / 1000), [...(bySecond.get(Math.floor(s.end / 1000)) ?? []), s.e2e]);
  const seconds = [...bySecond.keys()].sort((a, b) => a - b);
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const latency = svg("Latency over time", "second", "ms", [
    { name: "p50", color: "#1f77b4", points: seconds.map((s) => [s, q(bySecond.get(s)!, 0.5)]) },
    { name: "p99", color: "#ff7f0e", points: seconds.map((s) => [s, q(bySecond.get(s)!, 0.99)]) },
  ]);
  const throughput = svg("Throughput over time", "second", "requests/s", [{ name: "completed", color: "#2ca02c", points: seconds.map((s) => [s, bySecond.get(s)!.length]) }]);
  return { latency, throughput };
}

export function markdown(report: LoadTestReport, title: string): string {
  const row = (name: string, p: Percentiles | null) => (p ? `| ${name} | ${p.p50} | ${p.p90} | ${p.p95} | ${p.p99} | ${p.max} |` : `| ${name} | n/a | | | | |`);
  return [
    `## Load test: ${title} — **${report.verdict}**`,
    "",
    ...report.reasons.map((r) => `- ${r}`),
    ...(report.reasons.length ? [""] : []),
    `${report.requests} requests, ${report.errors} errors${Object.keys(report.errorsByClass).length ? ` (${Object.entries(report.errorsByClass).map(([k, v]) => `${k} ${v}`).join(", ")})` : ""}; ${report.throughput.requestsPerSecond} requests/s, ${report.throughput.outputTokensPerSecond} output tokens/s; goodput ${report.goodput.percent}% within ${report.goodput.budgetMs} ms (${report.goodput.requestsPerSecond} requests/s).`,
    "",
    "| latency (ms) | p50 | p90 | p95 | p99 | max |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    row("time to first token", report.latencyMs.ttft),
    row("inter-token", report.latencyMs.itl),
    row("end-to-end", report.latencyMs.e2e),
    "",
    "![latency CDF](latency-cdf.svg)",
    "![latency over time](latency-over-time.svg)",
    "![throughput over time](throughput-over-time.svg)",
    "",
  ].join("\n");
}
