import { type ChildProcess, type ForkOptions, fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../common/program-sources";
import { type CacheRequest, cacheKey, cachedPlan, keepPlan } from "./plan-cache";
import type { ComponentRequest } from "./component";
import { type ComponentReply, type LaneReply, type LaneRequest, RENDERER_ENVIRONMENT, type WorkerReply, type WorkerRequest, workerStays } from "./render-request";

const OWN_WORKER = path.join(__dirname, "worker.ts");
/**
 * The project's TypeScript loader (bin/register.js). It compiles each file with the tsconfig.json
 * nearest above it, as `pulumi up` does: a checkout rendered from outside the working directory
 * (`llmops diff` extracts a git revision to a temporary folder) gets the same provider code as
 * here. (Files compiled without "use strict" carry sloppy-mode `arguments` and `caller`
 * properties, which Pulumi's closure serialiser writes into every dynamic provider.)
 */
const REGISTER = path.join(__dirname, "../../bin/register.js");

export const FORK_OPTIONS: ForkOptions = {
  execArgv: ["--require", REGISTER],
  // The program's own output goes to stderr: stdout belongs to the command (`llmops diff --format json`).
  stdio: ["ignore", 2, 2, "ipc"],
  env: { ...process.env, ...Object.fromEntries(RENDERER_ENVIRONMENT.map((name) => [name, undefined])) },
};

/**
 * Renders a stack in a fresh Node process (the Pulumi runtime is process-global). `worker` runs
 * another checkout's renderer (`llmops diff` of a git revision renders it with its own code).
 */
export function renderInWorker(request: WorkerRequest, worker = OWN_WORKER): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], FORK_OPTIONS);
    let reply: WorkerReply | undefined;
    child.once("message", (m) => (reply = m as WorkerReply));
    child.once("error", reject);
    child.once("exit", (code) => (reply ? resolve(reply) : reject(new Error(`render worker for stack ${request.stack} exited with code ${code} before replying`))));
    child.send(request);
  });
}

/**
 * One worker process that renders request after request (worker.ts, `keepAlive`): the Pulumi SDK
 * and the program's dependencies load once per lane, not once per stack. A worker whose render
 * failed once the SDK ran exits, and the lane starts another for the next request; so does one that has
 * rendered `maxRenders` stacks and components (each leaves some MB behind in the SDK's inspector
 * session). One request at a time; `close` when done.
 */
export class RenderLane {
  private child: ChildProcess | undefined;
  private rendered = 0;

  constructor(private readonly maxRenders = 8) {}

  render(request: WorkerRequest): Promise<WorkerReply> {
    return this.ask({ ...request, keepAlive: true }, `stack ${request.stack}`) as Promise<WorkerReply>;
  }

  /**
   * One capability's component (component.ts), between the lane's stack renders: a test run's
   * component renders need no process of their own (component-fork.ts starts one per client).
   */
  renderComponent(request: ComponentRequest): Promise<ComponentReply> {
    return this.ask({ component: request, keepAlive: true }, `the ${request.capability} component`) as Promise<ComponentReply>;
  }

  private async ask(request: LaneRequest, what: string): Promise<LaneReply> {
    if (this.child && this.rendered >= this.maxRenders) this.close();
    if (!this.child) this.rendered = 0;
    const child = (this.child ??= this.start());
    this.rendered++;
    const reply = await new Promise<LaneReply>((resolve, reject) => {
      const done = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
        child.off("error", reject);
      };
      const onMessage = (m: unknown) => (done(), resolve(m as LaneReply));
      const onExit = (code: number | null) => (done(), reject(new Error(`render worker for ${what} exited with code ${code} before replying`)));
      child.on("message", onMessage).on("exit", onExit).on("error", reject);
      child.send(request);
    });
    // The worker leaves after anything but a clean render or a configuration refused before the SDK ran.
    if (!workerStays(request, reply) && this.child === child) this.child = undefined;
    return reply;
  }

  /**
   * The worker leaves once its channel closes: it exits on its own, as a fresh worker does after
   * its one render (exit handlers run, so a CPU profile or the benchmark's CPU report is written).
   */
  close(): void {
    if (this.child?.connected) this.child.disconnect();
    else this.child?.kill();
    this.child = undefined;
  }

  private start(): ChildProcess {
    const child = fork(OWN_WORKER, [], FORK_OPTIONS);
    child.once("exit", () => {
      if (this.child === child) this.child = undefined;
    });
    return child;
  }
}

let renderedHere = false;

/**
 * A render in this process (`inProcess`): what a worker does with a request, without the worker.
 * The program's own output goes to stderr, as a worker's does (FORK_OPTIONS): stdout is the
 * command's.
 */
async function renderHere(request: WorkerRequest): Promise<WorkerReply> {
  if (renderedHere) throw new Error("a process renders in itself at most once: the Pulumi SDK's runtime state is process-global");
  renderedHere = true;
  const { answer } = require("./render-request") as typeof import("./render-request");
  const write = process.stdout.write;
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  try {
    return await answer(request);
  } finally {
    process.stdout.write = write;
  }
}

/**
 * Renders one stack of a project with this checkout's renderer; by default in a `RenderLane`.
 * `fresh`: render now (`--no-cache`), never answer with a plan rendered before.
 */
export type StackRenderer = (request: Pick<WorkerRequest, "dir" | "stack"> & { fresh?: boolean }) => Promise<WorkerReply>;

let sharedRenderer: StackRenderer | undefined;

/**
 * Sends this checkout's renders to `renderer` instead of lanes of their own (undefined: back to
 * lanes). For a process that renders on behalf of several callers, as the test run's render
 * service does for the CLI tests that run commands in process: one pool of workers, each
 * configuration rendered once. Renders of another checkout's worker are not affected.
 */
export function useStackRenderer(renderer: StackRenderer | undefined): void {
  sharedRenderer = renderer;
}

/**
 * What renders, for the plan cache's key: the worker's file and the loader every worker runs with
 * (this checkout's bin/register.js). A git revision is rendered by its own worker but this
 * loader, and one too old to have a worker by this checkout's whole renderer: its plans are keyed
 * by both.
 */
export function rendererIdentity(worker: string = OWN_WORKER): string {
  try {
    return sha256(JSON.stringify([fs.readFileSync(REGISTER, "utf8"), fs.readFileSync(worker, "utf8")]));
  } catch {
    return "unreadable";
  }
}

export interface RenderStacksOptions {
  /** At most this many renders at a time. */
  readonly parallel: number;
  /** Another checkout's worker (a git revision's own renderer), each render in a fresh process. */
  readonly worker?: string;
  /** Reuse a plan rendered from the same files and configuration, and keep new ones (plan-cache.ts). */
  readonly cache?: boolean;
  /**
   * A single stack of this checkout is rendered in this process instead of a worker's: for a
   * command that renders once and exits (`llmops plan --stack S`), which then neither starts a
   * second Node process nor loads the project's modules twice. The SDK's runtime state stays
   * behind, so a process does this at most once.
   */
  readonly inProcess?: boolean;
}

/** A stack's reply, and whether it came from the cache. */
export type StackReply = WorkerReply & { cached?: boolean };

/**
 * The plan kept under `key` (plan-cache.ts), else `render()`'s reply; a plan rendered is kept
 * only if the key did not change while it rendered (an editor saving, a checkout). No key (a
 * project the cache cannot read): just `render()`. Shared by `renderStacks` and the test run's
 * render service.
 */
export async function withPlanCache(request: CacheRequest, renderer: string, render: () => Promise<WorkerReply>, key = cacheKey(request, renderer)): Promise<StackReply> {
  const kept = key && cachedPlan(request.dir, key);
  if (kept) return { ok: true, plan: kept, ms: 0, cached: true };
  const reply = await render();
  if (reply.ok && key && cacheKey(request, renderer) === key) keepPlan(request.dir, key, reply.plan);
  return reply;
}

/**
 * Renders stacks concurrently, at most `parallel` at a time, results in input order. Each lane
 * renders its stacks in one process (started at its first render); another checkout's worker
 * renders each in a fresh one. With `cache`, a stack whose plan is kept is not rendered (its
 * reply says `cached`).
 */
export async function renderStacks(dir: string, stacks: readonly string[], options: RenderStacksOptions): Promise<StackReply[]> {
  const { parallel, worker = OWN_WORKER, cache = false } = options;
  const results: StackReply[] = new Array(stacks.length);
  const renderer = cache ? rendererIdentity(worker) : "";
  const mine = worker === OWN_WORKER;
  const here = mine && !sharedRenderer && options.inProcess === true && stacks.length === 1;
  let next = 0;
  const lane = async () => {
    const own = mine && !sharedRenderer && !here ? new RenderLane() : undefined;
    try {
      while (next < stacks.length) {
        const i = next++;
        const request = { dir, stack: stacks[i] };
        const render = () => (here ? renderHere(request) : mine ? (sharedRenderer ?? ((r) => own!.render(r)))({ ...request, ...(cache ? {} : { fresh: true }) }) : renderInWorker(request, worker));
        results[i] = cache ? await withPlanCache(request, renderer, render) : await render();
      }
    } finally {
      own?.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, stacks.length)) }, lane));
  return results;
}
