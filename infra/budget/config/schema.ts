import { z } from "zod";
import type { SliceCheck } from "../../common/config";

/**
 * `llmops:budget`: the stack's monthly budget in USD, at the baseline (minimum nodes and
 * replicas: what is paid when idle) and the worst case (every pool and deployment at its
 * maximum), optionally per model. The stack exports it as the `budget` output; the
 * `monthly-budget` policy compares it with the plan's cost from the price catalog
 * (policies/cost/README.md), and `llmops diff` calls out a change that crosses it. `{}` (the default
 * Pulumi.yaml declares) is no budget.
 */

const usd = (what: string) =>
  z
    .number({ error: `expected the ${what} as a number of US dollars a month, such as 5000` })
    .positive(`the ${what} is a number of US dollars a month above 0`)
    .max(100_000_000, `the ${what} is at most 100000000 US dollars a month`);

const limitsShape = {
  /** USD a month at the minimum nodes and replicas. @default no limit */
  baselineMonthlyUsd: usd("baseline budget").optional(),
  /** USD a month with every pool and deployment at its maximum. @default no limit */
  worstCaseMonthlyUsd: usd("worst-case budget").optional(),
};

/** One set of limits; a worst case can never be below the baseline it contains. */
function checkLimits(limits: { baselineMonthlyUsd?: number; worstCaseMonthlyUsd?: number }, ctx: z.RefinementCtx, required: boolean): void {
  const { baselineMonthlyUsd: baseline, worstCaseMonthlyUsd: worst } = limits;
  if (required && baseline === undefined && worst === undefined) {
    ctx.addIssue({ code: "custom", path: [], message: "no limit given; allowed: baselineMonthlyUsd, worstCaseMonthlyUsd or both" });
  }
  if (baseline !== undefined && worst !== undefined && worst < baseline) {
    ctx.addIssue({ code: "custom", path: ["worstCaseMonthlyUsd"], message: `${worst} is below the baseline budget ${baseline}; allowed: at least baselineMonthlyUsd (the worst case includes the baseline)` });
  }
}

const modelLimitsSchema = z.strictObject(limitsShape).superRefine((limits, ctx) => checkLimits(limits, ctx, true));

export const budgetSchema = z
  .strictObject({
    ...limitsShape,
    /** Limits per model (its deployments, and the GKE pools its servers run on). @default none */
    models: z.record(z.string(), modelLimitsSchema).optional(),
  })
  .superRefine((budget, ctx) => checkLimits(budget, ctx, false))
  .default({});

export type BudgetConfig = z.output<typeof budgetSchema>;

/** The keys the cross-key rule reads. */
export interface BudgetSlice {
  readonly budget: BudgetConfig;
  readonly models: Readonly<Record<string, unknown>>;
}

/** A per-model budget names a model of `llmops:models`. */
export const checkBudget: SliceCheck<BudgetSlice> = (cfg, ctx) => {
  const known = Object.keys(cfg.models).sort();
  for (const model of Object.keys(cfg.budget.models ?? {})) {
    if (!known.includes(model)) ctx.addIssue({ code: "custom", path: ["budget", "models", model], message: `unknown model "${model}"; allowed: ${known.length ? known.join(", ") : "no model (llmops:models is empty)"}` });
  }
};
