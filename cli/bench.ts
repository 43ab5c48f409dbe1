import { type ChildProcess, fork, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { listStacks } from "../infra/testing/stack-files";
import type { WorkerRequest } from "../infra/testing/render-request";
import { UserError } from "./project";

const BIN = path.join(__dirname, "../bin/llmops.js");
const WORKER = path.join(__dirname, "../infra/testing/worker.ts");
const REGISTER = path.join(__dirname, "../bin/register.js");

/** The generated stack: SYNTHETIC_MODELS Vertex AI models, each served in every one of SYNTHETIC_REGIONS. */
export const SYNTHETIC = "synthetic";
const SYNTHETIC_MODELS = 50;
const SYNTHETIC_REGIONS = ["us-central1", "europe-west4", "us-east4", "asia-southeast1"];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const HOOKS = path.join(__dirname, "../bin/bench-hooks.js");

/** A whole process, from its start to its exit: wall time, and the CPU time of it and the workers it forked. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** Starts a process (given its environment) and measures it; it must exit 0. */
function whole(what: string, start: (env: NodeJS.ProcessEnv) => ChildProcess): Promise<Sample> {
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "llmops-bench-cpu-")), "cpu");
  const env = { ...process.env, LLMOPS_BENCH_CPU: report, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${HOOKS}`.trim() };
  return new Promise<Sample>((resolve, reject) => {
    const t0 = performance.now();
    const child = start(env);
    child.once("error", reject);
    child.once("exit", (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new UserError(`${what} exited with code ${code}`));
      const lines = fs.existsSync(report) ? fs.readFileSync(report, "utf8").trim().split("\n") : [];
      resolve({ wall, cpu: lines.reduce((sum, us) => sum + Number(us) / 1000, 0) });
    });
  }).finally(() => fs.rmSync(path.dirname(report), { recursive: true, force: true }));
}

/** `llmops plan --stack S` as a user runs it. */
const planProcess = (dir: string, stack: string, out: string) =>
  whole(`llmops plan --stack ${stack}`, (env) => spawn(process.execPath, [BIN, "plan", "--stack", stack, "--out", out, "--quiet", "--no-cache"], { cwd: dir, env, stdio: ["ignore", "ignore", "inherit"] }));

/**
 * A render worker on its own: the program without capture, or the bare SDK's floor. `plainLoader`:
 * Node's module loader as it is, without the compiled code bin/compile-cache.js keeps.
 */
const workerProcess = (what: string, request: WorkerRequest, plainLoader = false) =>
  whole(what, (env) => {
    const child = fork(WORKER, [], { execArgv: ["--require", REGISTER], env: plainLoader ? { ...env, NODE_DISABLE_COMPILE_CACHE: "1" } : env, stdio: ["ignore", "ignore", "inherit", "ipc"] });
    child.once("message", (reply: { ok: boolean }) => {
      if (!reply.ok) child.emit("error", new UserError(`${what}: ${JSON.stringify(reply)}`));
    });
    child.send(request);
    return child;
  });

/**
 * A project folder holding the synthetic stack: the committed dev stack with four serving
 * regions and, instead of its models, copies of its first Vertex AI model (stable version only)
 * served in all of them. Generated for the run, never committed.
 */
export function syntheticProject(dir: string): string {
  const dev = parse(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, any> };
  const models = (dev.config["llmops:models"] ?? {}) as Record<string, any>;
  const template = Object.values(models).find((m) => (m.serving?.platform ?? "vertex") === "vertex");
  if (!template) throw new UserError("bench: Pulumi.dev.yaml has no Vertex AI model to copy into the synthetic stack");
  const stable = String(template.rollout.stable);
  const generated: Record<string, unknown> = {};
  for (let i = 0; i < SYNTHETIC_MODELS; i++) {
    const name = `model-${String(i).padStart(2, "0")}`;
    const { released: _released, ...version } = template.versions[stable];
    generated[name] = {
      ...template,
      displayName: `Synthetic model ${i}`,
      versions: { [stable]: { ...version, artifactUri: `${name}/${stable}/` } },
      serving: { ...template.serving, regions: SYNTHETIC_REGIONS },
      rollout: { stable },
    };
  }
  // Scheduled runs that named a model of dev's (batch prediction's model_name) name the first copy:
  // the copies are of that model, at its stable version, so the version alias stays valid.
  const pipelines = structuredClone(dev.config["llmops:pipelines"] ?? {}) as { schedules?: Record<string, { parameters?: Record<string, unknown> }> };
  for (const schedule of Object.values(pipelines.schedules ?? {})) {
    const name = schedule.parameters?.model_name;
    if (typeof name === "string") schedule.parameters!.model_name = name.replace(/\/models\/[^/@]+@/, `/models/${Object.keys(generated)[0]}@`);
  }
  const config = { ...dev.config, "llmops:regions": SYNTHETIC_REGIONS, "llmops:models": generated, "llmops:pipelines": pipelines };
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-bench-"));
  fs.copyFileSync(path.join(dir, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
  for (const entry of ["infra", "lib", "pipelines", "node_modules", "package.json", "tsconfig.json"]) fs.symlinkSync(path.join(dir, entry), path.join(project, entry));
  fs.writeFileSync(path.join(project, `Pulumi.${SYNTHETIC}.yaml`), stringify({ config }));
  return project;
}

/**
 * Times whole processes, each started fresh, `runs` times per stack (after one untimed run that
 * fills the caches), and prints the medians: `llmops plan --stack S` as a user runs it; the
 * same program under the same mocks with nothing captured (so plan/program is what the plan
 * machinery and the command add); and the floor: the bare Pulumi SDK registering the same
 * resources with no program at all (so program/floor is the program's own work: loading
 * @pulumi/gcp, validating config, compiling pipelines, serialising dynamic providers). The floor
 * runs on Node's own module loader, as a program of bare SDK calls would; it is measured with the
 * compiled code the CLI keeps (bin/compile-cache.js) too, so the ratio to each is shown. Runs are
 * sequential so they do not compete for the CPU. Stacks: the committed ones and the synthetic
 * stack, or those named.
 */
export async function bench(dir: string, runs: number, stacks?: readonly string[]): Promise<void> {
  const names = stacks?.length ? [...stacks] : [...listStacks(dir), SYNTHETIC];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-bench-out-"));
  const synthetic = names.includes(SYNTHETIC) ? syntheticProject(dir) : undefined;
  try {
    console.log(`median of ${runs} runs per stack, each a whole process from start to exit; ${SYNTHETIC}: ${SYNTHETIC_MODELS} Vertex AI models × ${SYNTHETIC_REGIONS.length} regions`);
    console.log("cpu: CPU time of the process and the workers it forked (steady on a shared machine); wall: start to exit");
    console.log("floor: the bare SDK on Node's own module loader; floor (kept code): the same with the compiled code the CLI keeps");
    console.log(["stack", "time", "resources", "plan ms", "per resource", "program ms", "SDK floor ms", "floor (kept code) ms", "plan/program", "plan/floor", "plan/floor (kept code)"].join("\t"));
    for (const stack of names) {
      const project = stack === SYNTHETIC ? synthetic! : dir;
      if (!listStacks(project).includes(stack)) throw new UserError(`bench: no stack ${stack}; stacks: ${[...listStacks(dir), SYNTHETIC].join(", ")}`);
      const out = path.join(scratch, stack);
      const planFile = path.join(out, `${stack}.json`);
      const measure = async () => ({
        plan: await planProcess(project, stack, out),
        program: await workerProcess(`${stack}: program`, { dir: project, stack, programOnly: true }),
        floor: await workerProcess(`${stack}: floor`, { dir: project, stack, floorOf: planFile }, true),
        keptFloor: await workerProcess(`${stack}: floor (kept code)`, { dir: project, stack, floorOf: planFile }),
      });
      await measure();
      const samples: Awaited<ReturnType<typeof measure>>[] = [];
      for (let i = 0; i < runs; i++) samples.push(await measure());
      const of = (key: keyof (typeof samples)[number], unit: keyof Sample) => median(samples.map((s) => s[key][unit]));
      const count = (JSON.parse(fs.readFileSync(planFile, "utf8")) as { resources: unknown[] }).resources.length;
      for (const unit of ["cpu", "wall"] as const) {
        const [plan, program, floor, keptFloor] = [of("plan", unit), of("program", unit), of("floor", unit), of("keptFloor", unit)];
        console.log([stack, unit, count, plan.toFixed(0), `${(plan / count).toFixed(2)} ms`, program.toFixed(0), floor.toFixed(0), keptFloor.toFixed(0), (plan / program).toFixed(2), (plan / floor).toFixed(2), (plan / keptFloor).toFixed(2)].join("\t"));
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (synthetic) fs.rmSync(synthetic, { recursive: true, force: true });
  }
}
