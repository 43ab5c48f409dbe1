import { fork } from "node:child_process";
import * as path from "node:path";
import type { WorkerReply, WorkerRequest } from "./worker";

const OWN_WORKER = path.join(__dirname, "worker.ts");
/**
 * The project's TypeScript loader (bin/register.js). It compiles each file with the tsconfig.json
 * nearest above it, as `pulumi up` does: a checkout rendered from outside the working directory
 * (`llmops diff` extracts a git revision to a temporary folder) gets the same provider code as
 * here. (Files compiled without "use strict" carry sloppy-mode `arguments` and `caller`
 * properties, which Pulumi's closure serialiser writes into every dynamic provider.)
 */
const REGISTER = path.join(__dirname, "../../bin/register.js");

/**
 * Renders a stack in a fresh Node process (the Pulumi runtime is process-global). `worker` runs
 * another checkout's renderer (`llmops diff` of a git revision renders it with its own code).
 */
export function renderInWorker(request: WorkerRequest, worker = OWN_WORKER): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], {
      execArgv: ["--require", REGISTER],
      // The program's own output goes to stderr: stdout belongs to the command (`llmops diff --format json`).
      stdio: ["ignore", 2, 2, "ipc"],
      env: { ...process.env, PULUMI_CONFIG: undefined, PULUMI_CONFIG_SECRET_KEYS: undefined },
    });
    let reply: WorkerReply | undefined;
    child.once("message", (m) => (reply = m as WorkerReply));
    child.once("error", reject);
    child.once("exit", (code) => (reply ? resolve(reply) : reject(new Error(`render worker for stack ${request.stack} exited with code ${code} before replying`))));
    child.send(request);
  });
}

/** Renders stacks concurrently, at most `parallel` at a time, results in input order. */
export async function renderStacks(dir: string, stacks: readonly string[], parallel: number, worker = OWN_WORKER): Promise<WorkerReply[]> {
  const results: WorkerReply[] = new Array(stacks.length);
  let next = 0;
  const lane = async () => {
    while (next < stacks.length) {
      const i = next++;
      results[i] = await renderInWorker({ dir, stack: stacks[i] }, worker);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, stacks.length)) }, lane));
  return results;
}
