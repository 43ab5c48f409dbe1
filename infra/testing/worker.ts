/**
 * A render worker: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in process
 * globals, so renders run in processes of their own. The parent sends a `WorkerRequest` and
 * receives a `WorkerReply`; with `keepAlive`, the worker then waits for the next request, so a
 * run of several stacks loads the SDK and its dependencies (seconds) once.
 */
import * as path from "node:path";
import { answer, type WorkerReply, type WorkerRequest } from "./render-request";

export type { WorkerReply, WorkerRequest } from "./render-request";

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

let renders = 0;

async function handle(request: WorkerRequest): Promise<void> {
  if (renders++ > 0) forgetProject();
  const reply: WorkerReply = await answer(request);
  // Only a clean render, or a stack file refused before the SDK ran, leaves the SDK in a state the next render can start from.
  const clean = reply.ok || ("problems" in reply && reply.beforeRuntime === true);
  const again = clean && request.keepAlive === true && !request.floorOf && !request.programOnly;
  process.send!(reply, () => (again ? process.once("message", handle) : process.exit(0)));
}

process.once("message", handle);
