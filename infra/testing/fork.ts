import { fork } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { WorkerReply, WorkerRequest } from "./worker";

const OWN_WORKER = path.join(__dirname, "worker.ts");

/**
 * tsx compiles with the tsconfig.json it finds from the working directory, and only the files that
 * config includes; any other file is compiled without "use strict". Sloppy-mode functions carry
 * own `arguments` and `caller` properties, which Pulumi's closure serialiser writes into every
 * dynamic provider's `__provider`. A checkout rendered from outside the working directory (`llmops
 * diff` extracts a git revision to a temporary folder) then got other provider code than the same
 * sources here. Compile each project with its own tsconfig.json, as `pulumi up` does.
 */
export function tsconfigOf(dir: string): Record<string, string> {
  const file = path.join(path.resolve(dir), "tsconfig.json");
  return fs.existsSync(file) ? { TSX_TSCONFIG_PATH: file } : {};
}

/**
 * Renders a stack in a fresh Node process (the Pulumi runtime is process-global). `worker` runs
 * another checkout's renderer (`llmops diff` of a git revision renders it with its own code).
 */
export function renderInWorker(request: WorkerRequest, worker = OWN_WORKER): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const child = fork(worker, [], {
      execArgv: ["--require", require.resolve("tsx/cjs")],
      // The program's own output goes to stderr: stdout belongs to the command (`llmops diff --format json`).
      stdio: ["ignore", 2, 2, "ipc"],
      env: { ...process.env, PULUMI_CONFIG: undefined, PULUMI_CONFIG_SECRET_KEYS: undefined, LLMOPS_CONFIG_SECRET_PATHS: undefined, ...tsconfigOf(request.dir) },
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
