import type { Plan } from "../../lib/plan";
import {
  type Budget,
  type BudgetCheck,
  type CostResource,
  type PriceCatalog,
  type StackCost,
  ageDays,
  budgetOf,
  catalogAsOf,
  checkBudget,
  estimateCost,
} from "../../policies/cost";

/** What `llmops cost` reports: per stack its cost and budget, and the catalog's date and age. */

/** A catalog older than this is called out: prices move (spot prices monthly). */
export const STALE_DAYS = 90;

export interface CatalogInfo {
  /** The oldest date the prices were read from Google. */
  readonly asOf: string;
  readonly ageDays: number;
  readonly stale: boolean;
  readonly sources: readonly { readonly name: string; readonly url: string; readonly fetchedAt: string }[];
}

export interface StackCostReport extends StackCost {
  /** `rendered`, or the plan file it was read from. */
  readonly source: string;
  readonly budget: { readonly limits: Budget; readonly checks: readonly BudgetCheck[] } | null;
}

export interface CostReport {
  readonly catalog: CatalogInfo;
  readonly stacks: readonly StackCostReport[];
}

/** Plan resources as the estimator reads them. */
export function costResources(plan: Pick<Plan, "resources">): CostResource[] {
  return plan.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, inputs: r.inputs, parent: r.parent }));
}

export function catalogInfo(catalog: PriceCatalog, now: Date): CatalogInfo {
  const asOf = catalogAsOf(catalog);
  const age = ageDays(asOf, now);
  return {
    asOf,
    ageDays: age,
    stale: age > STALE_DAYS,
    sources: Object.values(catalog.sources)
      .map((s) => ({ name: s.name, url: s.url, fetchedAt: s.fetchedAt }))
      .sort((a, b) => a.fetchedAt.localeCompare(b.fetchedAt) || a.name.localeCompare(b.name)),
  };
}

/** One stack's cost and, when it declares one, its budget. */
export function stackCost(plan: Plan, catalog: PriceCatalog, source = "rendered"): StackCostReport {
  const resources = costResources(plan);
  const cost = estimateCost({ stack: plan.stack, resources, outputs: plan.outputs }, catalog);
  const limits = budgetOf(plan.outputs, resources);
  return { ...cost, source, budget: limits ? { limits, checks: checkBudget(cost, limits) } : null };
}

export function costReport(plans: readonly { plan: Plan; source: string }[], catalog: PriceCatalog, now: Date): CostReport {
  return { catalog: catalogInfo(catalog, now), stacks: plans.map((p) => stackCost(p.plan, catalog, p.source)) };
}
