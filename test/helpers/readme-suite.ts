import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import type { Capability } from "../../infra/testing";
import type { Plan } from "../../lib/plan";
import { renderComponent } from "./component";
import { ROOT } from "./project";
import { type ReadmeExample, exampleConfig, layOver, readmeExamples, unmetExpectations } from "./readme";

const examplesOf = (readme: string) => readmeExamples(fs.readFileSync(path.join(ROOT, readme), "utf8"));

/** An example's whole config fragment: itself, laid over the example it names with `# over:`. */
export function resolvedConfig(readme: string, example: ReadmeExample): Record<string, unknown> {
  if (!example.over) return exampleConfig(example);
  const baseReadme = example.over.readme ?? readme;
  const base = examplesOf(baseReadme).find((e) => e.title === example.over!.title);
  if (!base) throw new Error(`example "${example.title}" of ${readme} is laid over "${example.over.title}", which ${baseReadme} has no example titled`);
  return layOver(resolvedConfig(baseReadme, base), exampleConfig(example));
}

/**
 * Registers the tests of one README: it has configuration examples, each has an `# expect:`
 * line, and each, laid over the fixture stack, renders `capability`'s component with the
 * resources its line lists. `check` adds an example-specific assertion on the rendered plan.
 */
export function describeReadme(readme: string, capability: Capability, check?: (example: ReadmeExample, plan: Plan) => void): void {
  const examples = examplesOf(readme);
  describe(`${readme} examples`, () => {
    it("has configuration examples, each with an # expect: line", () => {
      expect(examples.length).toBeGreaterThan(0);
      expect(examples.filter((e) => !e.expect).map((e) => `${e.title} (line ${e.line})`)).toEqual([]);
    });

    it.each(examples.filter((e) => e.expect).map((e) => [e.title, e] as const))("%s renders what its # expect: line lists", async (_title, example) => {
      const plan = await renderComponent(capability, resolvedConfig(readme, example));
      expect(unmetExpectations(plan, example.expect!)).toEqual([]);
      check?.(example, plan);
    });
  });
}
