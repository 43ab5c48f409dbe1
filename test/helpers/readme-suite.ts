import { describe, expect, it } from "vitest";
import type { Capability } from "../../infra/testing";
import type { Plan } from "../../lib/plan";
import { renderComponent } from "./component";
import { type ReadmeExample, examplesOf, resolvedConfig, unmetExpectations } from "./readme";

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
