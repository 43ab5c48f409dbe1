/**
 * A render worker: the Pulumi SDK keeps its runtime state (config, mocks, root stack) in process
 * globals, so renders run in processes of their own. The parent sends a `WorkerRequest` and
 * receives a `WorkerReply`; with `keepAlive`, the worker then waits for the next request, so a
 * run of several stacks loads the SDK and its dependencies (seconds) once. A kept-alive worker
 * also renders single components (`LaneRequest`'s `component`, component.ts) between stacks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type LaneReply, type LaneRequest, answer, answerComponent, workerStays } from "./render-request";

export type { ComponentReply, LaneReply, LaneRequest, WorkerReply, WorkerRequest } from "./render-request";

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

/**
 * The project's modules stay loaded from one request to the next (the program's entry runs again
 * for each stack: renderInProcess), as long as none of their files changed: loading them again
 * was a quarter of a lane's stack render (a lane rendering dev and prod five times: 10.0 → 8.0 s
 * of CPU, the same plans). They hold no state of a render: the SDK is reset by `renderInProcess`
 * (mocks, config, root stack), configuration reaches the program through its entry only, and
 * component renders have always built from the loaded modules. A changed file, or one that
 * may have changed after it was read, has every project module loaded afresh.
 */
function projectModules(): string[] {
  return Object.keys(require.cache).filter((file) => !file.includes(NODE_MODULES));
}

/** A file's identity as git's index records it (device, inode, size, change and modification times). */
function identity(file: string): string | undefined {
  const s = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  return s && `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

/** Each loaded project module's file as it was when its module was known to hold its text. */
const loaded = new Map<string, string>();

/**
 * After a request that started at `started` (ms): a file changed since a second before then may
 * have changed after its module read it (git's "racy" entries, https://git-scm.com/docs/racy-git),
 * and is not vouched for: the next request then loads the project afresh.
 */
function recordLoaded(started: number): void {
  const since = BigInt(started - 1000) * 1_000_000n;
  loaded.clear();
  for (const file of projectModules()) {
    const s = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
    if (s && s.mtimeNs < since && s.ctimeNs < since) loaded.set(file, identity(file)!);
  }
}

function projectUnchanged(): boolean {
  return projectModules().every((file) => loaded.has(file) && loaded.get(file) === identity(file));
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
