import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "infra/**/*.test.ts", "pipelines/**/*.test.ts", "policies/**/*.test.ts", "cli/**/*.test.ts"],
    // Each test file renders stacks under the Pulumi mock runtime, whose state is process-global:
    // isolate files in forks so one file's mocks never leak into another's.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
