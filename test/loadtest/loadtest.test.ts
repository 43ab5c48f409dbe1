/** `llmops loadtest` against a local server whose latency is known. */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTest, loadPrompts } from "../../cli/loadtest/command";
import { formatPrompt } from "../../cli/loadtest/prompt";
import { poissonArrivals, seeded } from "../../cli/loadtest/random";
import { UserError } from "../../cli/project";
import { committed, project } from "../cli/cli";
import { spawn, type ChildProcess } from "node:child_process";

// The server runs in its own process: sharing the load generator's event loop would make each
// late by the other's work, and the comparison would measure that.
let child: ChildProcess;
const server = { url: "", served: [] as number[] };
let dir: string;
beforeAll(async () => {
  // The project's loader (bin/register.js: transpiled once, kept), as the CLI and renders run.
  child = spawn(process.execPath, ["--require", path.join(__dirname, "../../bin/register.js"), path.join(__dirname, "serve.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  let buffer = "";
  child.stdout!.setEncoding("utf8");
  await new Promise<void>((resolve) =>
    child.stdout!.on("data", (text: string) => {
      buffer += text;
      let at: number;
      while ((at = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        if (line.startsWith("url ")) {
          server.url = line.slice(4);
          resolve();
        } else if (line.startsWith("served ")) server.served.push(Number(line.slice(7)));
      }
    }),
  );
  dir = project({ dev: committed("dev") });
  // Delays 20..119 ms, uniform: the known distribution.
  const lines = Array.from({ length: 100 }, (_, i) => JSON.stringify({ instruction: `sleep ${20 + i}` }));
  fs.writeFileSync(path.join(dir, "prompts.jsonl"), lines.join("\n") + "\n");
});
afterAll(() => {
  child.kill();
});

const truth = (served: number[], p: number) => [...served].sort((a, b) => a - b)[Math.ceil((p / 100) * served.length) - 1];

describe.each([
  ["closed loop", { concurrency: 4 }],
  ["open loop", { rate: 40 }],
])("%s", (_, load) => {
  it("reports end-to-end percentiles close to what the server served, and TTFT about half of it", async () => {
    server.served.length = 0;
    const { report, files } = await loadTest({ dir, stack: "dev", model: "gemma-chat", target: server.url, duration: "3s", prompts: "prompts.jsonl", out: "out", seed: 7, ...load });
    await new Promise((r) => setTimeout(r, 200)); // the server's last "served" lines
    expect(report.errors).toBe(0);
    expect(report.requests).toBe(server.served.length);
    // Never early (a client cannot see a response before it is served); late by timer and
    // scheduling overhead, which on a busy CI machine running other files beside this one reaches
    // tens of ms in the tail. The bound only catches a wrong percentile (a mean, a wrong bucket, a
    // unit error); how close the generator gets is measured by `npm run bench -- --loadtest`.
    for (const p of [50, 90, 99] as const) {
      const got = report.latencyMs.e2e![`p${p}`];
      // 3 ms under: once, on a loaded 2-core machine, the client's p99 came out 1.3 ms under the
      // server's own (cause not established: each request's time at the client should exceed the
      // server's). Still well apart from a neighbouring percentile of this distribution (p95 is 4–5 ms lower).
      expect(got, `p${p}`).toBeGreaterThanOrEqual(truth(server.served, p) - 3);
      expect(got, `p${p}`).toBeLessThanOrEqual(truth(server.served, p) * 1.5 + 40);
    }
    // The percentiles keep their order and the distribution's spread (a mean would not).
    expect(report.latencyMs.e2e!.p90 - report.latencyMs.e2e!.p50).toBeGreaterThan((truth(server.served, 90) - truth(server.served, 50)) / 2);
    expect(report.latencyMs.ttft!.p50).toBeGreaterThanOrEqual(truth(server.served, 50) / 2 - 1);
    expect(report.latencyMs.ttft!.p50).toBeLessThan(report.latencyMs.e2e!.p50);
    expect(report.latencyMs.itl!.p50).toBeGreaterThan(0);
    expect(report.throughput.outputTokensPerSecond).toBeCloseTo(report.throughput.requestsPerSecond * 6, -1);
    expect(report.goodput.percent).toBe(100);
    expect(report.verdict).toBe("pass");
    const json = JSON.parse(fs.readFileSync(path.join(dir, "out/report.json"), "utf8"));
    expect(Object.keys(json).slice(0, 6)).toEqual(["requests", "errors", "latencyMs", "throughput", "goodput", "verdict"]);
    expect(Object.keys(json.latencyMs.e2e)).toEqual(["p50", "p90", "p95", "p99", "max"]);
    expect(files.map((f) => path.basename(f))).toEqual(["report.json", "report.md", "latency-cdf.svg", "latency-over-time.svg", "throughput-over-time.svg"]);
    expect(fs.readFileSync(path.join(dir, "out/latency-cdf.svg"), "utf8")).toMatch(/^<svg [^]*budget 10000 ms[^]*<\/svg>\n$/);
    expect(fs.readFileSync(path.join(dir, "out/report.md"), "utf8")).toContain("| end-to-end |");
  }, 60_000);
});

it("fails the verdict when the p99 exceeds the model's budget", async () => {
  const slow = project({ dev: committed("dev").replace("slo: { availability: 99, latencyP99Ms: 10000 }", "slo: { availability: 99, latencyP99Ms: 50 }") });
  fs.copyFileSync(path.join(dir, "prompts.jsonl"), path.join(slow, "prompts.jsonl"));
  const { report } = await loadTest({ dir: slow, stack: "dev", model: "gemma-chat", target: server.url, duration: "2s", prompts: "prompts.jsonl", concurrency: 2 });
  expect(report.verdict).toBe("fail");
  expect(report.reasons[0]).toMatch(/^p99 end-to-end [\d.]+ ms exceeds the budget of 50 ms$/);
  expect(report.goodput.percent).toBeLessThan(50);
}, 60_000);

describe("prompts and arrivals", () => {
  it("formats records with the version's template, like the pipelines' formatter", () => {
    expect(formatPrompt("<u>\n{instruction}\n\n{context}</u> {{literal}}", { instruction: "Hi", context: "ctx" })).toBe("<u>\nHi\n\nctx</u> {literal}");
    expect(() => formatPrompt("{instruction}", {})).toThrow('the record has no "instruction"');
    expect(() => formatPrompt("{a.b}", { a: 1 })).toThrow("unsupported placeholder");
    expect(() => formatPrompt("x } y", {})).toThrow('single "}"');
  });

  it("a bad record names the file and line", () => {
    fs.writeFileSync(path.join(dir, "bad.jsonl"), '{"instruction":"a"}\n{"question":"b"}\n');
    expect(() => loadPrompts(path.join(dir, "bad.jsonl"), "{instruction}")).toThrow(/bad\.jsonl:2: the record has no "instruction"/);
  });

  it("needs exactly one of --rate and --concurrency", async () => {
    await expect(loadTest({ dir, stack: "dev", model: "gemma-chat", target: server.url, duration: "1s", prompts: "prompts.jsonl" })).rejects.toThrow(UserError);
    await expect(loadTest({ dir, stack: "dev", model: "gemma-chat", target: server.url, duration: "1s", prompts: "prompts.jsonl", rate: 1, concurrency: 1 })).rejects.toThrow("exactly one of --rate");
  });

  it("Poisson arrivals: the same seed gives the same schedule, at the asked rate, ramping linearly", () => {
    const a = poissonArrivals(100, 60_000, 0, seeded(3));
    expect(poissonArrivals(100, 60_000, 0, seeded(3))).toEqual(a);
    expect(a.length).toBeGreaterThan(5700);
    expect(a.length).toBeLessThan(6300);
    const ramped = poissonArrivals(100, 20_000, 20_000, seeded(3));
    // Λ(t) = rate·t²/(2·ramp): half the arrivals come in the last 29% of the ramp.
    expect(ramped.length).toBeGreaterThan(900);
    expect(ramped.length).toBeLessThan(1100);
    expect(ramped.filter((t) => t < 10_000).length / ramped.length).toBeCloseTo(0.25, 1);
  });
});
