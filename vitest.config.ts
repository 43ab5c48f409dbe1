import * as os from "node:os";
import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./test/setup/sequencer";

const TESTS = ["test/**/*.test.ts", "infra/**/*.test.ts", "pipelines/**/*.test.ts", "policies/**/*.test.ts", "cli/**/*.test.ts"];

// Files that install the Pulumi SDK's mocks in process: its runtime state is process-global, so
// they run in processes, never in a thread beside files that do not expect it. Each sets its
// mocks first (setMocks in beforeAll resets the runtime, as a render lane does between stacks), so
// they share the processes below, one file after another (a process each cost ~2 s of CPU apiece).
const SDK_MOCKS = ["test/models/provider-serialization.test.ts", "test/monitoring/accelerators.test.ts", "test/pipelines/kfp-template.test.ts", "test/pipelines/image-build.test.ts"];
// Files that run the CLI in process, which changes the working directory (worker threads cannot).
// The CLI renders through the render service, so no SDK runtime state is left behind.
const CHDIR = ["test/cli/**/*.test.ts", "test/cost/refresh.test.ts", "test/loadtest/**/*.test.ts", "test/rollout/**/*.test.ts", "test/policies/stacks.test.ts"];

const common = {
  // Renders queue in the render service behind other files' renders, each a worker process that
  // can take tens of seconds on a loaded 2-core CI machine. These are ceilings against hangs,
  // not performance assertions (see npm run bench).
  testTimeout: 240_000,
  hookTimeout: 300_000,
};

export default defineConfig({
  test: {
    // One render service for the run: each distinct stack render happens once (test/helpers/render.ts).
    globalSetup: ["test/setup/render-service.ts"],
    sequence: { sequencer: SlowFirstSequencer },
    // Vitest's default (cores - 1) runs one file at a time on two cores, idle while it waits for a
    // render. One more than the cores was slower still: each thread loads its own copy of every
    // module its files use (the SDK, zod, TypeScript). Cold runs on 2 cores, 2026-12-02: 1 worker
    // 144 s wall (170 s CPU), 2 workers 111 s (192 s), 3 workers 117 s (211 s).
    maxWorkers: os.availableParallelism(),
    projects: [
      // Processes shared from file to file, as the threads are.
      { test: { ...common, name: "processes", include: [...CHDIR, ...SDK_MOCKS], pool: "forks", isolate: false } },
      // Everything else only reads plans and calls functions: threads start faster than processes,
      // and files share a thread's loaded modules (the SDK, zod schemas) instead of each loading
      // them again: none mocks a module or leaves global state behind.
      { test: { ...common, name: "threads", include: TESTS, exclude: [...SDK_MOCKS, ...CHDIR], pool: "threads", isolate: false } },
    ],
  },
});
