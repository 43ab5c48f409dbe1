/**
 * A render worker: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in process
 * globals, so renders run in processes of their own. The parent sends a `WorkerRequest` and
 * receives a `WorkerReply`; with `keepAlive`, the worker then waits for the next request, so a
 * run of several stacks loads the SDK and its dependencies (seconds) once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigProblem } from "../settings";
import type { Plan } from "../../lib/plan";

export type WorkerRequest = {
  dir: string;
  stack: string;
  config?: Record<string, string>;
  /** Stay for another request after a successful render (see `RenderLane` in fork.ts). */
  keepAlive?: boolean;
  /** Benchmark only: register the resources of this plan file with the bare SDK instead of rendering. */
  floorOf?: string;
  /** Benchmark only: run the program under the mocks without capturing a plan. */
  programOnly?: boolean;
};
/** `ms`: time since this process started, so renders and floors are measured alike. */
export type WorkerReply = { ok: true; plan: Plan; ms: number } | { ok: false; problems: ConfigProblem[]; beforeRuntime?: true } | { ok: false; crash: string };

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * Before a second render in this process: every module of the project is loaded afresh, so the
 * program runs again, with the new stack's configuration, and nothing of the last render (its
 * module state, its mocks' ids) carries over. Dependencies stay loaded: the SDK is reset by
 * `renderInProcess` (mocks, config, root stack), and the rest holds no state of the program's.
 */
function forgetProject(): void {
  for (const file of Object.keys(require.cache)) if (!file.includes(NODE_MODULES)) delete require.cache[file];
}

/**
 * The SDK's `debuggablePromise` formats a stack trace for every promise it makes (several per
 * resource) and keeps it, for a leak report that prints it only with PULUMI_DEBUG_PROMISE_LEAKS.
 * Formatting and keeping them was a tenth of a render's CPU, and a third of it went to the
 * garbage collector on a large stack. Those traces are left empty; every other stack trace is
 * formatted as before (by Node's own formatter, which recent versions expose). Not with source
 * maps on, whose formatting only Node's internal path does.
 */
function skipPromiseStackTraces(): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS || process.sourceMapsEnabled) return;
  const format =
    Error.prepareStackTrace ??
    ((error: Error, frames: NodeJS.CallSite[]) => {
      const head = Error.prototype.toString.call(error);
      return frames.length ? `${head}\n    at ${frames.join("\n    at ")}` : head;
    });
  Error.prepareStackTrace = (error, frames) => (frames[0]?.getFunctionName() === "debuggablePromise" ? "" : format(error, frames));
}
skipPromiseStackTraces();

let renders = 0;

async function handle(request: WorkerRequest): Promise<void> {
  if (renders++ > 0) forgetProject();
  let reply: WorkerReply;
  try {
    // Loaded here, not at the top, so that module loading counts in `ms` for both modes.
    if (request.floorOf) {
      const { registerBare } = require("./floor") as typeof import("./floor");
      const plan = JSON.parse(fs.readFileSync(request.floorOf, "utf8")) as Plan;
      await registerBare(plan);
      reply = { ok: true, plan, ms: performance.now() };
    } else {
      const { renderInProcess } = require("./render") as typeof import("./render");
      const result = await renderInProcess(request);
      reply = result.ok ? { ok: true, plan: result.plan, ms: performance.now() } : result;
    }
  } catch (err) {
    reply = { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  // Only a clean render, or a stack file refused before the SDK ran, leaves the SDK in a state the next render can start from.
  const clean = reply.ok || ("problems" in reply && reply.beforeRuntime === true);
  const again = clean && request.keepAlive === true && !request.floorOf && !request.programOnly;
  process.send!(reply, () => (again ? process.once("message", handle) : process.exit(0)));
}

process.once("message", handle);
