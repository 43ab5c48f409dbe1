import type { BudgetConfig } from "./schema";

/** Monthly limits in USD; only those given. */
export interface BudgetLimits {
  readonly baselineMonthlyUsd?: number;
  readonly worstCaseMonthlyUsd?: number;
}

/** The stack's budget as it is exported (the `budget` stack output) and judged. */
export interface BudgetSettings extends BudgetLimits {
  readonly models?: Readonly<Record<string, BudgetLimits>>;
}

/** The budget, or undefined when the stack declares no limit at all. */
export function resolveBudget(cfg: BudgetConfig): BudgetSettings | undefined {
  const limits = (l: BudgetLimits): BudgetLimits => ({
    ...(l.baselineMonthlyUsd !== undefined && { baselineMonthlyUsd: l.baselineMonthlyUsd }),
    ...(l.worstCaseMonthlyUsd !== undefined && { worstCaseMonthlyUsd: l.worstCaseMonthlyUsd }),
  });
  const models = Object.fromEntries(
    Object.keys(cfg.models ?? {})
      .sort()
      .map((m) => [m, limits(cfg.models![m])]),
  );
  const own = limits(cfg);
  if (Object.keys(own).length === 0 && Object.keys(models).length === 0) return undefined;
  return { ...own, ...(Object.keys(models).length > 0 && { models }) };
}
