import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take seconds, in the order they should start, as measured on cold runs (2 cores,
 * 2026-12-02). Vitest orders files it has no timings for by size, so on a clean clone (CI) a small
 * slow file could start last and keep one core busy while the other idles; and two files that
 * mostly wait (on the clock, or on processes they start) could run side by side and idle both.
 * These start first, the waiting ones early and apart, beside work that fills the cores (the
 * first renders, the other worker's files). Where Vitest has timings of an earlier run, they
 * order the rest as usual.
 */
const SLOW = [
  // mostly waiting: a load test runs for seconds of real time
  "test/loadtest/loadtest.test.ts",
  // Seconds of CPU that need no render, beside it while the first lane renders the committed
  // stacks (the second opens after that render): with the render-bound plan and diff tests here
  // instead, a clean clone's first 20 s left a core idle a quarter of the time.
  "test/models/provider-serialization.test.ts",
  "test/config/fuzz.test.ts",
  "test/cli/plan.test.ts",
  "test/cli/diff.test.ts",
  "test/cli/diff-aliases.test.ts",
  "test/preflight/preflight.test.ts",
  // mostly waiting on Pulumi's policy-pack runner, a process that compiles the pack with ts-node
  "test/policies/pack.test.ts",
  "test/testing/compile-cache.test.ts",
  // mostly waiting on a render lane of its own (and the clock), beside work that fills the cores
  "test/testing/lane.test.ts",
  "test/testing/sdk-changes.test.ts",
  "test/pipelines/readme.test.ts",
  "test/policies/malformed.test.ts",
  "test/pipelines/runner/local-run.test.ts",
  "test/cli/promote.test.ts",
  "test/testing/component.test.ts",
  "test/models/endpoint-fault-schedules.test.ts",
  "test/models/endpoint-deployment-failures.test.ts",
];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = SLOW.findIndex((file) => f.moduleId.endsWith(`/${file}`));
      return i < 0 ? SLOW.length : i;
    };
    const order = new Map(sorted.map((f, i) => [f, i]));
    return [...sorted].sort((a, b) => rank(a) - rank(b) || order.get(a)! - order.get(b)!);
  }
}
