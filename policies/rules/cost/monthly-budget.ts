import { z } from "zod";
import { type BudgetCheck, type CostLine, type CostResource, budgetCheckPhrase, budgetOf, checkBudget, committedCatalog, estimateCost, linesOfModel, usd } from "../../cost";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * The stack's monthly cost, priced with the committed catalog (policies/cost/catalog/prices.json) from
 * the plan's own resources, against the budget it exports (`llmops:budget` → the `budget` stack
 * output; under CrossGuard the root stack resource's). Only what has a price counts: a limit
 * that the priced part alone exceeds is a certain breach; lines without a price are listed by
 * `llmops cost` and `llmops diff` and never counted as zero.
 */
const settings = z.strictObject({
  /** A stack without a budget is a violation (prod and staging). */
  requireBudget: z.boolean(),
});

const asResources = (resources: readonly PolicyResource[]): CostResource[] => resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs, parent: r.parentUrn }));

/** The three lines that cost the most at the measure, for the message. */
function largest(lines: readonly CostLine[], c: BudgetCheck): string {
  const amount = (l: CostLine) => (c.measure === "baseline" ? l.monthly.baseline : l.monthly.worstCase) ?? 0;
  const top = [...lines].filter((l) => amount(l) > 0).sort((a, b) => amount(b) - amount(a) || a.key.localeCompare(b.key)).slice(0, 3);
  return top.map((l) => `${l.resource}${l.version ? ` ${l.version}` : ""} ${usd(amount(l))}`).join(", ");
}

export default definePolicy({
  name: "monthly-budget",
  description: "The stack's monthly cost at the baseline and the worst case, priced from the dated catalog, stays within its declared budget, and prod declares one.",
  group: "cost",
  severity: "high",
  mirrors: [],
  remediation:
    "Lower pool or replica maxima (worst case) or minimums (baseline), finish or roll back a rollout in flight (a candidate keeps its own replicas), or raise llmops:budget in the stack file through review; `npx llmops cost` lists every line and its price.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: (env) => ({ requireBudget: env !== "dev" }) },
  stack: {
    check(resources, ctx) {
      const costResources = asResources(resources);
      const budget = budgetOf(ctx.outputs, costResources);
      if (!budget) {
        return ctx.settings.requireBudget
          ? [{ message: `${ctx.stack} declares no monthly budget; allowed: llmops:budget with baselineMonthlyUsd, worstCaseMonthlyUsd or both (required in ${ctx.environment})` }]
          : [];
      }
      const cost = estimateCost({ stack: ctx.stack, resources: costResources, outputs: ctx.outputs }, committedCatalog());
      const findings: Finding[] = [];
      for (const c of checkBudget(cost, budget)) {
        if (!c.exceeded) continue;
        const lines = c.scope === "stack" ? cost.lines : linesOfModel(cost, c.scope);
        findings.push({
          message: `${budgetCheckPhrase(c)}, over by ${usd(c.costUsd - c.limitUsd)} (prices as of ${cost.catalog.asOf}; most: ${largest(lines, c)}); allowed: at most ${usd(c.limitUsd)}`,
        });
      }
      return findings;
    },
  },
});
