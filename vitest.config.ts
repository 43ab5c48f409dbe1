import * as os from "node:os";
import { defineConfig } from "vitest/config";

const TESTS = ["test/**/*.test.ts", "infra/**/*.test.ts", "pipelines/**/*.test.ts", "policies/**/*.test.ts", "cli/**/*.test.ts"];

// Files that install the Pulumi SDK's mocks in process: its runtime state is process-global, so
// each needs a process of its own.
const OWN_PROCESS = ["test/models/provider-serialization.test.ts", "test/monitoring/accelerators.test.ts", "test/pipelines/kfp-template.test.ts", "test/pipelines/image-build.test.ts"];
// Files that run the CLI in process, which changes the working directory (worker threads cannot):
// processes, but shared from file to file like the threads (the CLI renders through the render
// service, so no SDK runtime state is left behind).
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
    // Vitest's default (cores - 1) runs one file at a time on two cores, idle while it waits for
    // a render; the render service keeps the cores busy, the files waiting for it cost nothing.
    maxWorkers: os.availableParallelism() + 1,
    projects: [
      // Everything else only reads plans and calls functions: threads start faster than processes,
      // and files share a thread's loaded modules (the SDK, zod schemas) instead of each loading
      // them again: none mocks a module or leaves global state behind.
      { test: { ...common, name: "threads", include: TESTS, exclude: [...OWN_PROCESS, ...CHDIR], pool: "threads", isolate: false } },
      { test: { ...common, name: "chdir", include: CHDIR, pool: "forks", isolate: false } },
      { test: { ...common, name: "forks", include: OWN_PROCESS, pool: "forks" } },
    ],
  },
});
