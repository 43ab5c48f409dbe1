import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "infra/**/*.test.ts", "pipelines/**/*.test.ts", "policies/**/*.test.ts", "cli/**/*.test.ts"],
    // Each test file renders stacks under the Pulumi mock runtime, whose state is process-global:
    // isolate files in forks so one file's mocks never leak into another's.
    pool: "forks",
    // Renders fork a Node process per stack; on a loaded 2-core CI machine one can take tens of
    // seconds. These are ceilings against hangs, not performance assertions (see npm run bench).
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
