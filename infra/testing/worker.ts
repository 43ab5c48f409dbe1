/**
 * A render worker: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in process
 * globals, so renders run in processes of their own. The parent sends a `WorkerRequest` and
 * receives a `WorkerReply`; with `keepAlive`, the worker then waits for the next request, so a
 * run of several stacks loads the SDK and its dependencies (seconds) once. A kept-alive worker
 * also renders single components (`LaneRequest`'s `component`, component.ts) between stacks.
 */
import * as path from "node:path";
import { type LaneReply, type LaneRequest, answer, answerComponent, workerStays } from "./render-request";

export type { ComponentReply, LaneReply, LaneRequest, WorkerReply, WorkerRequest } from "./render-request";

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * Before a second stack render in this process: every module of the project is loaded afresh, so the
 * program runs again, with the new stack's configuration, and nothing of the last render (its
 * module state, its mocks' ids) carries over. Dependencies stay loaded: the SDK is reset by
 * `renderInProcess` (mocks, config, root stack), and the rest holds no state of the program's.
 */
function forgetProject(): void {
  for (const file of Object.keys(require.cache)) if (!file.includes(NODE_MODULES)) delete require.cache[file];
}

let handled = 0;

async function handle(request: LaneRequest): Promise<void> {
  // A component render builds from the loaded modules with settings it is given, and resets the
  // SDK itself, as the component worker's renders do one after another (component-worker.ts).
  const component = "component" in request;
  if (!component && handled > 0) forgetProject();
  handled++;
  const reply: LaneReply = component ? await answerComponent(request.component) : await answer(request);
  process.send!(reply, () => (workerStays(request, reply) ? process.once("message", handle) : process.exit(0)));
}

process.once("message", handle);
