import { spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { runLoad } from "./loadtest/run";
import { buildReport } from "./loadtest/report";

/**
 * `npm run bench -- --loadtest`: the load generator against the test server (its own process,
 * test/loadtest/serve.ts) at rising open-loop rates: reported end-to-end percentiles beside the
 * durations the server measured, and whether the generator kept its schedule (send lag p99).
 * autocannon is not a dependency here (not installed), so there is no side-by-side with it.
 */
export async function benchLoadtest(dir: string, rates: readonly number[], seconds: number): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, "test/loadtest/serve.ts")], { stdio: ["ignore", "pipe", "inherit"] });
  const served: number[] = [];
  let url = "";
  let buffer = "";
  child.stdout.setEncoding("utf8");
  await new Promise<void>((resolve) =>
    child.stdout.on("data", (t: string) => {
      buffer += t;
      let at: number;
      while ((at = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        if (line.startsWith("url ")) {
          url = line.slice(4);
          resolve();
        } else if (line.startsWith("served ")) served.push(Number(line.slice(7)));
      }
    }),
  );
  const prompts = Array.from({ length: 100 }, (_, i) => `sleep ${20 + i}`);
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1];
  console.log(`open loop, ${seconds} s per rate, server delays uniform 20-119 ms; ${os.cpus().length} CPUs`);
  console.log(["rate/s", "achieved/s", "errors", "p50 got/truth", "p99 got/truth", "max |Δ|", "send lag p99 ms"].join("\t"));
  try {
    for (const rate of rates) {
      served.length = 0;
      const result = await runLoad({ target: { url: new URL(url), protocol: "openai", maxTokens: 16, headers: {}, timeoutMs: 30_000 }, load: { mode: "open", rate }, durationMs: seconds * 1000, rampMs: 0, prompts, seed: 1 });
      await new Promise((r) => setTimeout(r, 300));
      const { report } = buildReport(result, { availability: 99, latencyP99Ms: 10_000 }, {});
      const e = report.latencyMs.e2e;
      const rows = ([50, 99] as const).map((p) => [e?.[`p${p}`] ?? NaN, q(served, p)]);
      const worst = Math.max(...rows.map(([g, t]) => Math.abs(g - t)));
      console.log([rate, report.throughput.requestsPerSecond, report.errors, ...rows.map(([g, t]) => `${g.toFixed(1)}/${t.toFixed(1)}`), `${worst.toFixed(1)} ms (${((worst / rows[1][1]) * 100).toFixed(1)}%)`, result.sendLagP99Ms.toFixed(1)].join("\t"));
    }
  } finally {
    child.kill();
  }
}
