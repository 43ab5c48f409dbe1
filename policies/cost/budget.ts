import type { CostResource } from "./holders";
import { type CostTotals, type StackCost, linesOfModel, totalsOf } from "./estimate";

/**
 * A stack's monthly budget (`llmops:budget`, exported as the stack output `budget`), and how a
 * plan's cost measures against it. Policy, `llmops cost` and `llmops diff` all judge with this.
 */

export interface Limits {
  readonly baselineMonthlyUsd?: number;
  readonly worstCaseMonthlyUsd?: number;
}

export interface Budget extends Limits {
  readonly models?: Readonly<Record<string, Limits>>;
}

export const MEASURES = ["baseline", "worstCase"] as const;
export type Measure = (typeof MEASURES)[number];

const limitOf = (limits: Limits, measure: Measure) => (measure === "baseline" ? limits.baselineMonthlyUsd : limits.worstCaseMonthlyUsd);
const costOf = (totals: CostTotals, measure: Measure) => (measure === "baseline" ? totals.baselineMonthlyUsd : totals.worstCaseMonthlyUsd);

function limits(value: unknown): Limits | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const n = (x: unknown) => (typeof x === "number" && Number.isFinite(x) && x >= 0 ? x : undefined);
  const out = { ...(n(v.baselineMonthlyUsd) !== undefined && { baselineMonthlyUsd: n(v.baselineMonthlyUsd) }), ...(n(v.worstCaseMonthlyUsd) !== undefined && { worstCaseMonthlyUsd: n(v.worstCaseMonthlyUsd) }) };
  return Object.keys(out).length ? out : undefined;
}

/** Reads a budget value as the stack exports it; anything else is no budget. */
export function parseBudget(value: unknown): Budget | undefined {
  const own = limits(value);
  const rawModels = value !== null && typeof value === "object" ? (value as Record<string, unknown>).models : undefined;
  const models: Record<string, Limits> = {};
  if (rawModels !== null && typeof rawModels === "object" && !Array.isArray(rawModels)) {
    for (const [model, v] of Object.entries(rawModels)) {
      const l = limits(v);
      if (l) models[model] = l;
    }
  }
  if (!own && Object.keys(models).length === 0) return undefined;
  return { ...own, ...(Object.keys(models).length && { models }) };
}

/**
 * The budget a stack declares: the `budget` output of its plan, or (under CrossGuard, which hands
 * policies resources rather than stack outputs) the root stack resource's `budget` output.
 */
export function budgetOf(outputs: Readonly<Record<string, unknown>> | undefined, resources: readonly CostResource[] = []): Budget | undefined {
  if (outputs && "budget" in outputs) return parseBudget(outputs.budget);
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  return stack ? parseBudget(stack.inputs.budget) : undefined;
}

export interface BudgetCheck {
  /** `stack`, or the model the limit is for. */
  readonly scope: string;
  readonly measure: Measure;
  readonly limitUsd: number;
  /** The priced part of the cost, USD a month. */
  readonly costUsd: number;
  /** False when some of it has no price: `costUsd` is then a lower bound. */
  readonly complete: boolean;
  /** The priced part alone is over the limit: a certain breach. */
  readonly exceeded: boolean;
}

/** Every limit of the budget against the cost, stack first, then models by name. */
export function checkBudget(cost: StackCost, budget: Budget): BudgetCheck[] {
  const checks: BudgetCheck[] = [];
  const against = (scope: string, l: Limits, totals: CostTotals) => {
    for (const measure of MEASURES) {
      const limitUsd = limitOf(l, measure);
      if (limitUsd === undefined) continue;
      const costUsd = costOf(totals, measure);
      checks.push({ scope, measure, limitUsd, costUsd, complete: totals.complete[measure], exceeded: costUsd > limitUsd });
    }
  };
  against("stack", budget, cost);
  for (const model of Object.keys(budget.models ?? {}).sort()) against(model, budget.models![model], totalsOf(linesOfModel(cost, model)));
  return checks;
}
