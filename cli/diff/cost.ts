import type { Plan } from "../../lib/plan";
import {
  type Budget,
  type CostLine,
  type CostTotals,
  type PriceCatalog,
  type StackCost,
  HOURS_PER_MONTH,
  ageDays,
  budgetCheckPhrase,
  budgetOf,
  cents,
  checkBudget,
  countPhrase,
  estimateCost,
  signedUsd,
  subjectOf,
  unitPhrase,
  usd,
} from "../../policies/cost";
import { costResources } from "../cost/report";

/**
 * What a change does to a stack's monthly cost: baseline and worst case before → after, the
 * lines that changed in words, and any budget limit the change crosses. Both plans are priced
 * with the same catalog, so only the plans' differences show.
 */

export interface CostSide {
  readonly baselineMonthlyUsd: number;
  readonly worstCaseMonthlyUsd: number;
  readonly complete: CostTotals["complete"];
}

export interface CostLineSide {
  readonly units: { readonly baseline: number; readonly worstCase: number | null };
  readonly usdPerHour: number | null;
  readonly capacity: string | null;
  readonly each: string;
  readonly baselineMonthlyUsd: number | null;
  readonly worstCaseMonthlyUsd: number | null;
}

export interface CostLineDelta {
  readonly key: string;
  readonly platform: string;
  readonly models: readonly string[];
  readonly region: string;
  readonly resource: string;
  readonly version?: string;
  /** `gemma-chat europe-west4: +2 × nvidia-l4 on g2-standard-12, on-demand: +$1,535.17/month baseline`. */
  readonly sentence: string;
  readonly before: CostLineSide | null;
  readonly after: CostLineSide | null;
  /** After minus before, USD a month; null when either side has no price. */
  readonly delta: { readonly baselineMonthlyUsd: number | null; readonly worstCaseMonthlyUsd: number | null };
  /** Why the change cannot be priced, when it cannot. */
  readonly unpriced: string | null;
}

export interface BudgetCrossing {
  readonly scope: string;
  readonly measure: "baseline" | "worstCase";
  readonly limitUsd: number;
  readonly beforeUsd: number | null;
  readonly afterUsd: number;
  /** `over`: the change takes the cost over the limit; `still over`: it was and stays; `back within`. */
  readonly status: "over" | "still over" | "back within";
  readonly sentence: string;
}

export interface CostDelta {
  readonly catalog: { readonly asOf: string; readonly ageDays: number };
  readonly before: CostSide | null;
  readonly after: CostSide | null;
  readonly lines: readonly CostLineDelta[];
  /** The head plan's budget, and where the change crosses it (or stays over it). */
  readonly budget: { readonly limits: Budget | null; readonly crossings: readonly BudgetCrossing[] };
}

const side = (c: StackCost | undefined): CostSide | null => (c ? { baselineMonthlyUsd: c.baselineMonthlyUsd, worstCaseMonthlyUsd: c.worstCaseMonthlyUsd, complete: c.complete } : null);

const lineSide = (l: CostLine): CostLineSide => ({
  units: l.units,
  usdPerHour: l.usdPerHour,
  capacity: l.capacity,
  each: unitPhrase(l),
  baselineMonthlyUsd: l.monthly.baseline,
  worstCaseMonthlyUsd: l.monthly.worstCase,
});

/** Exact difference of two priced amounts (from units × rate, not from the rounded months). */
function difference(before: CostLine | undefined, after: CostLine | undefined, measure: "baseline" | "worstCase"): number | null {
  const amount = (l: CostLine | undefined) => {
    if (!l) return 0;
    const units = l.units[measure];
    if (units === 0) return 0;
    return units === null || l.usdPerHour === null ? null : units * l.usdPerHour * HOURS_PER_MONTH;
  };
  const a = amount(before);
  const b = amount(after);
  return a === null || b === null ? null : cents(b - a);
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function sentenceOf(before: CostLine | undefined, after: CostLine | undefined, delta: CostLineDelta["delta"], unpriced: string | null): string {
  const line = (after ?? before)!;
  const units = (l: CostLine | undefined, m: "baseline" | "worstCase") => (l ? l.units[m] : 0);
  const db = (units(after, "baseline") ?? 0) - (units(before, "baseline") ?? 0);
  const wa = units(after, "worstCase");
  const wb = units(before, "worstCase");
  const dw = wa === null || wb === null ? null : wa - wb;
  const reshaped = before && after && (unitPhrase(before) !== unitPhrase(after) || before.capacity !== after.capacity);
  let head: string;
  if (reshaped) {
    head = `${unitPhrase(before!)}${before!.capacity ? `, ${before!.capacity}` : ""} → ${unitPhrase(after!)}${after!.capacity ? `, ${after!.capacity}` : ""} (baseline ${after!.units.baseline}, worst case ${after!.units.worstCase ?? "unbounded"})`;
  } else {
    const count = (n: number) => `${n < 0 ? "-" : "+"}${countPhrase(Math.abs(n), line)}`;
    const worst = dw === null ? "worst case unbounded" : `worst case ${signed(dw)}`;
    head = db !== 0 ? `${count(db)}${dw !== db ? ` (${worst})` : ""}` : dw === null ? `${worst}, ${unitPhrase(line)}` : `worst case ${count(dw)}`;
    if (line.capacity) head += `, ${line.capacity}`;
  }
  const amounts = unpriced
    ? unpriced
    : [delta.baselineMonthlyUsd ? `${signedUsd(delta.baselineMonthlyUsd)}/month baseline` : "", delta.worstCaseMonthlyUsd ? `${signedUsd(delta.worstCaseMonthlyUsd)}/month worst case` : ""].filter(Boolean).join(", ") || "no change in cost";
  const candidate = line.role === "candidate" ? " (the candidate's replicas beside the stable's, until `llmops rollout finish`)" : "";
  return `${subjectOf(line)}: ${head}: ${amounts}${candidate}`;
}

function lineDeltas(before: StackCost | undefined, after: StackCost | undefined): CostLineDelta[] {
  const old = new Map((before?.lines ?? []).map((l) => [l.key, l]));
  const now = new Map((after?.lines ?? []).map((l) => [l.key, l]));
  const out: CostLineDelta[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(key);
    const b = now.get(key);
    const same = a && b && JSON.stringify(lineSide(a)) === JSON.stringify(lineSide(b)) && a.unpriced === b.unpriced;
    if (same) continue;
    const delta = { baselineMonthlyUsd: difference(a, b, "baseline"), worstCaseMonthlyUsd: difference(a, b, "worstCase") };
    const unpriced = delta.baselineMonthlyUsd === null || delta.worstCaseMonthlyUsd === null ? ((b ?? a)!.unpriced ?? a?.unpriced ?? null) : null;
    const line = (b ?? a)!;
    out.push({
      key,
      platform: line.platform,
      models: line.models,
      region: line.region,
      resource: line.resource,
      ...(line.version && { version: line.version }),
      sentence: sentenceOf(a, b, delta, unpriced),
      before: a ? lineSide(a) : null,
      after: b ? lineSide(b) : null,
      delta,
      unpriced,
    });
  }
  return out;
}

function crossings(before: StackCost | undefined, after: StackCost | undefined, limits: Budget | null, beforeLimits: Budget | null): BudgetCrossing[] {
  if (!after || !limits) return [];
  const old = before ? checkBudget(before, beforeLimits ?? limits) : [];
  const out: BudgetCrossing[] = [];
  for (const c of checkBudget(after, limits)) {
    const was = old.find((o) => o.scope === c.scope && o.measure === c.measure);
    const wasOver = was?.exceeded ?? false;
    if (!c.exceeded && !wasOver) continue;
    const status = c.exceeded ? (wasOver ? "still over" : "over") : "back within";
    const verb = status === "over" ? "crosses the budget" : status === "still over" ? "stays over the budget" : "comes back within the budget";
    out.push({
      scope: c.scope,
      measure: c.measure,
      limitUsd: c.limitUsd,
      beforeUsd: was?.costUsd ?? null,
      afterUsd: c.costUsd,
      status,
      sentence: `${verb}: ${budgetCheckPhrase(c)}${was ? ` (was ${usd(was.costUsd)})` : ""}`,
    });
  }
  return out;
}

/** The cost change of one stack; either plan may be absent. */
export function costDelta(before: Plan | undefined, after: Plan | undefined, catalog: PriceCatalog, now: Date = new Date()): CostDelta {
  const price = (p: Plan | undefined) => (p ? estimateCost({ stack: p.stack, resources: costResources(p), outputs: p.outputs }, catalog) : undefined);
  const a = price(before);
  const b = price(after);
  const limits = after ? (budgetOf(after.outputs, costResources(after)) ?? null) : null;
  const beforeLimits = before ? (budgetOf(before.outputs, costResources(before)) ?? null) : null;
  const asOf = (b ?? a)?.catalog.asOf ?? "unknown";
  const lines = lineDeltas(a, b);
  return {
    catalog: { asOf, ageDays: ageDays(asOf, now) },
    before: side(a),
    after: side(b),
    lines,
    // A stack already over its budget says so again only when this change moves its cost.
    budget: { limits, crossings: crossings(a, b, limits, beforeLimits).filter((c) => c.status !== "still over" || lines.length > 0) },
  };
}

/** Whether the change moves money or a budget verdict (the diff shows a Cost section then). */
export function costChanged(c: CostDelta): boolean {
  return c.lines.length > 0 || c.budget.crossings.length > 0;
}
