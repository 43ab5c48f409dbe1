import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UserError } from "./project";

const HOOKS = path.join(__dirname, "../bin/bench-hooks.js");

/** The parts of a V8 .cpuprofile this reads (https://chromedevtools.github.io/devtools-protocol/tot/Profiler/#type-Profile). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/**
 * Where a sample's time goes, judged by the innermost frame that says: esbuild or the loader is
 * transpiling; Node's module loader is reading, resolving or compiling a file; zod is validating;
 * pipelines/ is compiling a pipeline; infra/testing is capturing the plan; the Pulumi SDK is
 * registering resources; the program's own code (infra/); the generated provider SDKs
 * (@pulumi/gcp, @pulumi/kubernetes: almost all the top-level code of their modules). In order:
 * the first pattern a frame's script matches names it.
 */
const CATEGORIES: [string, RegExp][] = [
  ["transpile (esbuild, bin/register.js)", /\/node_modules\/(esbuild|tsx)\/|\/bin\/register\.js$/],
  ["schema (zod)", /\/node_modules\/zod\//],
  ["pipeline compile (pipelines/)", /\/pipelines\//],
  ["capture (infra/testing, mocks)", /\/infra\/testing\//],
  ["Pulumi SDK runtime (@pulumi/pulumi)", /\/node_modules\/@pulumi\/pulumi\//],
  ["provider SDKs (@pulumi/gcp, kubernetes)", /\/node_modules\/@pulumi\/(gcp|kubernetes)\//],
  ["program (infra/, lib/)", /\/(infra|lib)\//],
  ["module loading (Node's loader)", /^node:internal\/modules\//],
  ["other dependencies", /\/node_modules\//],
  ["CLI (cli/, policies/)", /\/(cli|policies)\//],
];
const SPECIAL: Record<string, string> = { "(garbage collector)": "garbage collector", "(idle)": "idle (waiting)", "(program)": "V8 and Node internals" };
const OTHER = "V8 and Node internals";

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  /** Milliseconds per category, by the innermost frame that names one. */
  readonly self: Record<string, number>;
  /** Milliseconds with require() on the stack: loading modules, their top-level code included. */
  readonly underRequire: number;
  readonly startTime: number;
}

/** Attributes each sample of a .cpuprofile to one category (see CATEGORIES). */
export function summarise(file: string): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, { category: string; require: boolean }>();
  const classify = (id: number): { category: string; require: boolean } => {
    const known = memo.get(id);
    if (known) return known;
    let category: string | undefined;
    let require = false;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      if (!category) category = SPECIAL[functionName] ?? CATEGORIES.find(([, re]) => re.test(url))?.[0];
      if (url === "node:internal/modules/cjs/loader" && functionName === "Module._load") require = true;
      if (url === "node:internal/modules/cjs/loader" && functionName === "require") require = true;
    }
    const result = { category: category ?? OTHER, require };
    memo.set(id, result);
    return result;
  };
  const self: Record<string, number> = {};
  let underRequire = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const { category, require } = classify(id);
    self[category] = (self[category] ?? 0) + ms;
    if (require) underRequire += ms;
  });
  return { file, totalMs: (profile.endTime - profile.startTime) / 1000, self, underRequire, startTime: profile.startTime };
}

/**
 * The processes' samples together, without the idle ones (a command waiting for its worker):
 * what the whole command costs in CPU, by category.
 */
export function combined(summaries: readonly ProfileSummary[]): ProfileSummary {
  const self: Record<string, number> = {};
  for (const s of summaries) for (const [k, ms] of Object.entries(s.self)) if (k !== SPECIAL["(idle)"]) self[k] = (self[k] ?? 0) + ms;
  const totalMs = Object.values(self).reduce((a, b) => a + b, 0);
  return { file: "", totalMs, self, underRequire: summaries.reduce((a, s) => a + s.underRequire, 0), startTime: 0 };
}

/** A summary as a markdown table, categories by time spent. */
export function formatSummary(s: ProfileSummary, title: string): string {
  const rows = Object.entries(s.self).sort((a, b) => b[1] - a[1]);
  const pct = (ms: number) => `${((100 * ms) / s.totalMs).toFixed(1)} %`;
  return [
    `${title}: ${s.totalMs.toFixed(0)} ms profiled`,
    "",
    "| where | ms | share |",
    "|---|---:|---:|",
    ...rows.map(([k, ms]) => `| ${k} | ${ms.toFixed(0)} | ${pct(ms)} |`),
    `| *of which under require() (loading modules, their top-level code included)* | ${s.underRequire.toFixed(0)} | ${pct(s.underRequire)} |`,
    "",
  ].join("\n");
}

/**
 * Runs `llmops plan --stack S` once under V8's CPU profiler (bin/bench-hooks.js, through
 * NODE_OPTIONS, so it reaches the render worker the command forks) and prints where each process's time went. `bin`: the CLI to run,
 * so the same summary can be made of another checkout's (an export of the commit before).
 */
export async function profilePlan(dir: string, stack: string, bin = path.join(__dirname, "../bin/llmops.js")): Promise<void> {
  const profiles = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-profile-"));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-profile-out-"));
  try {
    const env = { ...process.env, LLMOPS_BENCH_PROFILE: profiles, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${HOOKS}`.trim() };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "plan", "--stack", stack, "--out", out, "--quiet", "--no-cache"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] });
      child.once("error", reject);
      child.once("exit", resolve);
    });
    if (code !== 0) throw new UserError(`profile: llmops plan --stack ${stack} exited with code ${code}`);
    // The command's process starts first, then the worker it forks.
    const files = fs.readdirSync(profiles).filter((f) => f.endsWith(".cpuprofile"));
    const summaries = files.map((f) => summarise(path.join(profiles, f))).sort((a, b) => a.startTime - b.startTime);
    summaries.forEach((s, i) => console.log(formatSummary(s, i === 0 ? `llmops plan --stack ${stack} (the command's process)` : `render worker ${i}`)));
    console.log(formatSummary(combined(summaries), `all ${summaries.length} processes, busy time only`));
  } finally {
    fs.rmSync(profiles, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
}
