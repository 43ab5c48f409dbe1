/**
 * A render worker: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in process
 * globals, so renders run in processes of their own. The parent sends a `WorkerRequest` and
 * receives a `WorkerReply`; with `keepAlive`, the worker then waits for the next request, so a
 * run of several stacks loads the SDK and its dependencies (seconds) once. A kept-alive worker
 * also renders single components (`LaneRequest`'s `component`, component.ts) between stacks.
 */
import * as path from "node:path";
import { fileIdentity, racy } from "../common/file-identity";
import { type LaneReply, type LaneRequest, answer, answerComponent, workerStays } from "./render-request";

export type { ComponentReply, LaneReply, LaneRequest, WorkerReply, WorkerRequest } from "./render-request";

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * The project's modules stay loaded from one request to the next (the program's entry runs again
 * for each stack: renderInProcess), as long as none of their files changed: loading the ~210 of
 * them again was a quarter of a lane's stack render (a lane rendering dev and prod five times:
 * 10.4 → 9.3 s of CPU, the same plans). What they keep at module scope is no render's state (the
 * CONTRIBUTING rule): the SDK is reset by `renderInProcess` (mocks, config, root stack), the
 * configuration reaches the program through its entry only, and component renders have always
 * built from the loaded modules. A changed file, or one that may have changed after its module
 * read it, has every project module loaded afresh.
 */
function projectModules(): string[] {
  return Object.keys(require.cache).filter((file) => !file.includes(NODE_MODULES));
}

/** Each loaded project module's file identity, while its module is known to hold the file's text. */
const loaded = new Map<string, string>();

/**
 * After a request that started at `started` (ms), when any module it loaded read its file: a
 * file changed close to then is not vouched for (file-identity.ts, `racy`), and the next request
 * loads the project afresh.
 */
function recordLoaded(started: number): void {
  loaded.clear();
  for (const file of projectModules()) {
    const identity = fileIdentity(file);
    if (identity && !racy(identity.changedNs, started)) loaded.set(file, identity.id);
  }
}

function projectUnchanged(): boolean {
  return projectModules().every((file) => loaded.has(file) && loaded.get(file) === fileIdentity(file)?.id);
}

function forgetProject(): void {
  for (const file of projectModules()) delete require.cache[file];
}

let handled = 0;

async function handle(request: LaneRequest): Promise<void> {
  if (handled > 0 && !projectUnchanged()) forgetProject();
  handled++;
  const started = Date.now();
  const reply: LaneReply = "component" in request ? await answerComponent(request.component) : await answer(request);
  recordLoaded(started);
  process.send!(reply, () => (workerStays(request, reply) ? process.once("message", handle) : process.exit(0)));
}

process.once("message", handle);
