import { type ChildProcess, fork } from "node:child_process";
import * as path from "node:path";
import type { ComponentRequest } from "./component";
import type { ComponentWorkerReply, ComponentWorkerRequest } from "./component-worker";
import type { ComponentReply } from "./render-request";
import { FORK_OPTIONS } from "./fork";

export type { ComponentReply } from "./render-request";

const WORKER = path.join(__dirname, "component-worker.ts");

let child: ChildProcess | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (r: ComponentReply) => void; reject: (e: Error) => void }>();

function worker(): ChildProcess {
  if (child) return child;
  const started = fork(WORKER, [], FORK_OPTIONS);
  started.on("message", (m: ComponentWorkerReply) => {
    pending.get(m.id)?.resolve(m.reply);
    pending.delete(m.id);
    // An idle worker must not keep its client alive: it exits when the client does.
    if (pending.size === 0) started.channel?.unref();
  });
  started.once("exit", (code) => {
    child = undefined;
    for (const p of pending.values()) p.reject(new Error(`component render worker exited with code ${code} before replying`));
    pending.clear();
  });
  started.unref();
  child = started;
  return started;
}

/**
 * Renders one capability's component (`renderComponentInProcess`) in a worker process shared by
 * every call from this process: the first call starts it, later ones queue behind each other in
 * it. Like cdk8s's `Testing.synth`, for tests of one capability on a small stack.
 */
export function renderComponent(request: ComponentRequest): Promise<ComponentReply> {
  const w = worker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.channel?.ref();
    w.send({ id, request } satisfies ComponentWorkerRequest);
  });
}
