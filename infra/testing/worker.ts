/**
 * One stack, one process: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in
 * process globals. The parent sends `{ dir, stack }` and receives one `WorkerReply`.
 */
import { renderInProcess } from "./render";
import type { Plan } from "./plan";
import type { ConfigProblem } from "../config";

export type WorkerRequest = { dir: string; stack: string; config?: Record<string, string> };
export type WorkerReply = { ok: true; plan: Plan; ms: number } | { ok: false; problems: ConfigProblem[] } | { ok: false; crash: string };

process.once("message", async (request: WorkerRequest) => {
  const started = performance.now();
  let reply: WorkerReply;
  try {
    const result = await renderInProcess(request);
    reply = result.ok ? { ok: true, plan: result.plan, ms: performance.now() - started } : result;
  } catch (err) {
    reply = { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  process.send!(reply, () => process.exit(0));
});
