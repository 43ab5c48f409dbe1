/**
 * One render request answered: the stack's plan, its configuration problems, or the program's
 * crash. What a render worker (worker.ts) does with each request it receives, and what a command
 * that renders a single stack does in its own process (`renderStacks`' `inProcess`).
 */
import * as fs from "node:fs";
import type { ConfigProblem } from "../settings";
import type { ComponentRequest, ComponentResult } from "./component";
import type { Plan } from "../../lib/plan";
import { SECRET_PATHS_ENV } from "../settings/program-secrets";

/**
 * Set by the renderer for the program, from the stack file (render.ts): a worker does not inherit
 * the command's values (fork.ts), and the plan cache's key leaves them out (plan-cache.ts), since
 * a render in the command's own process sets them while it renders.
 */
export const RENDERER_ENVIRONMENT: readonly string[] = ["PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", SECRET_PATHS_ENV];

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

/** One capability's component rendered (component.ts), or the crash of its render. */
export type ComponentReply = ComponentResult | { ok: false; crash: string };

/** What a kept-alive worker renders: a stack, or (`RenderLane.renderComponent`) one capability's component. */
export type LaneRequest = WorkerRequest | { component: ComponentRequest; keepAlive?: boolean };
export type LaneReply = WorkerReply | ComponentReply;

/**
 * Whether the worker that gave `reply` can take another request: only after a clean render, or a
 * configuration refused before the SDK ran (a component's always is), is the SDK in a state the
 * next render can start from. The worker leaves otherwise, and its lane starts another.
 */
export function workerStays(request: LaneRequest, reply: LaneReply): boolean {
  if (request.keepAlive !== true) return false;
  if ("component" in request) return reply.ok || "problems" in reply;
  if (request.floorOf || request.programOnly) return false;
  return reply.ok || ("problems" in reply && "beforeRuntime" in reply && reply.beforeRuntime === true);
}

/** `answer` for a component: its render, or its crash (module loading included) as a reply. */
export async function answerComponent(request: ComponentRequest): Promise<ComponentReply> {
  try {
    const { renderComponentInProcess } = require("./component") as typeof import("./component");
    return await renderComponentInProcess(request);
  } catch (err) {
    return { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

/** Renders (or, for the benchmark, registers the floor); a crash of the program is a reply too. */
export async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    // Loaded here, not at the top, so that module loading counts in `ms` for both modes.
    if (request.floorOf) {
      const { registerBare } = require("./floor") as typeof import("./floor");
      const plan = JSON.parse(fs.readFileSync(request.floorOf, "utf8")) as Plan;
      await registerBare(plan);
      return { ok: true, plan, ms: performance.now() };
    }
    const { renderInProcess } = require("./render") as typeof import("./render");
    const result = await renderInProcess(request);
    return result.ok ? { ok: true, plan: result.plan, ms: performance.now() } : result;
  } catch (err) {
    return { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}
