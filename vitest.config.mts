import * as os from "node:os";
import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./test/setup/sequencer.mjs";

const TESTS = ["test/**/*.test.ts", "infra/**/*.test.ts", "pipelines/**/*.test.ts", "policies/**/*.test.ts", "cli/**/*.test.ts"];

export default defineConfig({
  test: {
    include: TESTS,
    // One render service for the run: each distinct stack render happens once (test/helpers/render.ts).
    globalSetup: ["test/setup/render-service.ts"],
    sequence: { sequencer: SlowFirstSequencer },
    // Every file in a few processes, each running file after file with the modules it loaded (the
    // SDK, zod schemas, the CLI) kept: none mocks a module. Processes, not threads: the CLI tests
    // run commands in process, which change the working directory (a thread cannot), and files
    // that install the Pulumi SDK's mocks in process (the runtime is process-global) set them
    // first in beforeAll, as a render lane resets the SDK between stacks. Threads for the rest
    // beside processes for those loaded every module in four places instead of two: cold runs
    // on 2 cores, 2026-12-02, five pairs, these processes faster in four (88–106 s against
    // 101–125 s; 156–189 s of CPU against 167–223 s).
    pool: "forks",
    isolate: false,
    // Vitest's default (cores - 1) runs one file at a time on two cores, idle while it waits for a
    // render. One more than the cores was slower still: each worker loads its own copy of every
    // module its files use. Cold runs on 2 cores, 2026-12-02 (threads): 1 worker 144 s wall
    // (170 s CPU), 2 workers 111 s (192 s), 3 workers 117 s (211 s).
    maxWorkers: os.availableParallelism(),
    // Renders queue in the render service behind other files' renders, each a worker process that
    // can take tens of seconds on a loaded 2-core CI machine. These are ceilings against hangs,
    // not performance assertions (see npm run bench).
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
