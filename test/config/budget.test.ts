import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/settings";
import { committedConfig, committedSecrets } from "../helpers/project";

/** The committed prod stack (models gemma-chat and support-assistant) with another budget. */
function parse(budget: unknown, base: Record<string, string> = committedConfig("prod")) {
  return parseStackConfig({ ...base, "llmops:budget": typeof budget === "string" ? budget : JSON.stringify(budget) }, "prod", base === BARE ? undefined : committedSecrets("prod"));
}

/** A prod stack with no models. */
const BARE: Record<string, string> = {
  "gcp:project": "acme-llmops-prod",
  "llmops:environment": "prod",
  "llmops:regions": JSON.stringify(["us-central1", "europe-west4"]),
};

describe("llmops:budget", () => {
  it("is optional: the declared default {} is no budget", () => {
    const result = parse({});
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.settings.budget).toBeUndefined();
  });

  it("keeps the limits given, per model too, models sorted", () => {
    const result = parse({ worstCaseMonthlyUsd: 40000, baselineMonthlyUsd: 8000, models: { "support-assistant": { baselineMonthlyUsd: 10 }, "gemma-chat": { worstCaseMonthlyUsd: 20000 } } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.settings.budget).toEqual({ baselineMonthlyUsd: 8000, worstCaseMonthlyUsd: 40000, models: { "gemma-chat": { worstCaseMonthlyUsd: 20000 }, "support-assistant": { baselineMonthlyUsd: 10 } } });
    expect(Object.keys(result.settings.budget!.models!)).toEqual(["gemma-chat", "support-assistant"]);
  });

  it("is declared in Pulumi.yaml and set in both committed stacks", () => {
    for (const stack of ["dev", "prod"]) {
      const result = parseStackConfig(committedConfig(stack), stack, committedSecrets(stack));
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      expect(result.settings.budget?.worstCaseMonthlyUsd, stack).toBeGreaterThan(0);
    }
  });

  // Each case: the budget, the key path the message must name, and what it must say.
  const BAD: [string, unknown, string, RegExp][] = [
    ["a limit as a string", { baselineMonthlyUsd: "5000" }, "llmops:budget.baselineMonthlyUsd", /got string "5000"; expected a number/],
    ["a limit of zero", { worstCaseMonthlyUsd: 0 }, "llmops:budget.worstCaseMonthlyUsd", /is a number of US dollars a month above 0/],
    ["a negative limit", { baselineMonthlyUsd: -1 }, "llmops:budget.baselineMonthlyUsd", /above 0/],
    ["an absurd limit", { worstCaseMonthlyUsd: 1e12 }, "llmops:budget.worstCaseMonthlyUsd", /at most 100000000/],
    ["a worst case below the baseline", { baselineMonthlyUsd: 5000, worstCaseMonthlyUsd: 4000 }, "llmops:budget.worstCaseMonthlyUsd", /4000 is below the baseline budget 5000; allowed: at least baselineMonthlyUsd/],
    ["a misspelled limit", { worstCaseMonthly: 10 }, "llmops:budget.worstCaseMonthly", /unknown key; did you mean "llmops:budget.worstCaseMonthlyUsd"\?/],
    ["a budget as a number", 5000, "llmops:budget", /got string "5000"; expected an object/],
    ["a budget as a list", [5000], "llmops:budget", /got a list; expected an object/],
    ["a model that is not served", { models: { "gemma-chta": { worstCaseMonthlyUsd: 10 } } }, "llmops:budget.models.gemma-chta", /unknown model "gemma-chta"; allowed: gemma-chat, support-assistant/],
    ["a model without a limit", { models: { "gemma-chat": {} } }, "llmops:budget.models.gemma-chat", /no limit given; allowed: baselineMonthlyUsd, worstCaseMonthlyUsd or both/],
    ["a model's worst case below its baseline", { models: { "gemma-chat": { baselineMonthlyUsd: 9, worstCaseMonthlyUsd: 3 } } }, "llmops:budget.models.gemma-chat.worstCaseMonthlyUsd", /3 is below the baseline budget 9/],
    ["a model's limit misspelled", { models: { "gemma-chat": { baselineMonthlyUSD: 9 } } }, "llmops:budget.models.gemma-chat.baselineMonthlyUSD", /unknown key; did you mean "llmops:budget.models.gemma-chat.baselineMonthlyUsd"\?/],
  ];

  it.each(BAD)("rejects %s, naming the file and key", (_what, budget, key, message) => {
    const result = parse(budget);
    if (result.ok) throw new Error("expected the configuration to be rejected");
    const match = result.problems.find((p) => p.key === key);
    expect(match, `problems were: ${JSON.stringify(result.problems, null, 1)}`).toBeDefined();
    expect(match!.file).toBe("Pulumi.prod.yaml");
    expect(match!.message).toMatch(message);
  });

  it("names a per-model budget's model even when the stack serves none", () => {
    const result = parse({ models: { x: { baselineMonthlyUsd: 1 } } }, BARE);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual(['unknown model "x"; allowed: no model (llmops:models is empty)']);
  });
});
