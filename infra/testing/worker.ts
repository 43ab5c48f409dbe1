/**
 * One stack, one process: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in
 * process globals. The parent sends one `WorkerRequest` and receives one `WorkerReply`.
 */
import type { ConfigProblem } from "../settings";
import type { Plan } from "../../lib/plan";

export type WorkerRequest = {
  dir: string;
  stack: string;
  config?: Record<string, string>;
  /** Benchmark only: register this plan's resources with the bare SDK instead of rendering. */
  floorOf?: Plan;
  /** Benchmark only: run the program under the mocks without capturing a plan. */
  programOnly?: boolean;
};
/** `ms`: time since this process started, so renders and floors are measured alike. */
export type WorkerReply = { ok: true; plan: Plan; ms: number } | { ok: false; problems: ConfigProblem[] } | { ok: false; crash: string };

process.once("message", async (request: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    // Loaded here, not at the top, so that module loading counts in `ms` for both modes.
    if (request.floorOf) {
      const { registerBare } = require("./floor") as typeof import("./floor");
      await registerBare(request.floorOf);
      reply = { ok: true, plan: request.floorOf, ms: performance.now() };
    } else {
      const { renderInProcess } = require("./render") as typeof import("./render");
      const result = await renderInProcess(request);
      reply = result.ok ? { ok: true, plan: result.plan, ms: performance.now() } : result;
    }
  } catch (err) {
    reply = { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  process.send!(reply, () => process.exit(0));
});
