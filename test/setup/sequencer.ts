import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Files that take seconds (they spawn processes, or wait for renders of their own), longest
 * first, as measured on a cold run (2 cores, 2026-12-02). Vitest orders files it has no timings
 * for by size, so on a clean clone (CI) a small slow file could start last and keep one core busy
 * while the other idles: these start first in their project instead. Where Vitest has timings of
 * an earlier run, they order the rest as usual.
 */
const SLOW = [
  "test/cli/plan.test.ts",
  "test/cli/diff.test.ts",
  "test/config/fuzz.test.ts",
  "test/cli/diff-aliases.test.ts",
  "test/preflight/preflight.test.ts",
  "test/models/provider-serialization.test.ts",
  "test/testing/compile-cache.test.ts",
  "test/pipelines/steps.test.ts",
  "test/testing/sdk-changes.test.ts",
  "test/pipelines/readme.test.ts",
  "test/policies/malformed.test.ts",
  "test/pipelines/runner/local-run.test.ts",
  "test/cli/promote.test.ts",
  "test/testing/component.test.ts",
  "test/models/endpoint-fault-schedules.test.ts",
  "test/models/endpoint-deployment-failures.test.ts",
];

/**
 * Files that mostly wait on the clock (a load test runs for seconds of real time, whatever the
 * CPU): last in their project, so that the other worker moves on to the next project's files
 * beside them, rather than idle a core while they wait.
 */
const WAITING = ["test/loadtest/loadtest.test.ts"];

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Projects still run one after another, in the order the base sequencer gave them.
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const is = (f: TestSpecification, file: string) => f.moduleId.endsWith(`/${file}`);
    const rank = (f: TestSpecification) => {
      if (WAITING.some((file) => is(f, file))) return SLOW.length + 1;
      const i = SLOW.findIndex((file) => is(f, file));
      return i < 0 ? SLOW.length : i;
    };
    const order = new Map(sorted.map((f, i) => [f, i]));
    return [...sorted].sort((a, b) => projects.indexOf(a.project.name) - projects.indexOf(b.project.name) || rank(a) - rank(b) || order.get(a)! - order.get(b)!);
  }
}
