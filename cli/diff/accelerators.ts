import { holdingsOf } from "../../policies/cost";
import type { Plan } from "../../lib/plan";
import { costResources } from "../cost/report";
import type { AcceleratorCount, AcceleratorDelta } from "./types";

interface Held extends AcceleratorCount {
  readonly platform: "vertex" | "gke";
  readonly region: string;
  readonly accelerator: string;
}

/**
 * Accelerators per holder, from what the plan holds (policies/cost/holders.ts, which the cost estimate
 * reads too). Every deployed model of a Vertex AI endpoint keeps its own replicas, so while a
 * candidate is in flight the endpoint holds both versions' minimum (a rollout doubles the
 * baseline until `finish`). A GKE node pool's baseline is its minimum, or more when the minimum
 * replicas of the model servers pinned to its pool need more nodes.
 */
function held(plan: Plan): Held[] {
  const { holders, floors } = holdingsOf(costResources(plan));
  return holders.flatMap((h) => {
    if (!h.accelerator) return [];
    const per = h.accelerator.count;
    const baseline = h.platform === "gke" ? (floors.get(h.key)?.baseline ?? h.min) : h.min;
    return [{ platform: h.platform, region: h.region, accelerator: h.accelerator.type, baseline: per * baseline, worstCase: per * (h.max ?? h.min) }];
  });
}

const keyOf = (h: Pick<Held, "platform" | "region" | "accelerator">) => `${h.platform}\u0000${h.region}\u0000${h.accelerator}`;

/** Accelerators per platform, region and type, summed over the stack. */
export function acceleratorTotals(plan: Plan | undefined): Map<string, Held> {
  const totals = new Map<string, Held>();
  for (const h of plan ? held(plan) : []) {
    const sum = totals.get(keyOf(h));
    totals.set(keyOf(h), sum ? { ...sum, baseline: sum.baseline + h.baseline, worstCase: sum.worstCase + h.worstCase } : h);
  }
  return totals;
}

/** The rows whose baseline or worst case changes, by platform, region and type. */
export function acceleratorDelta(before: Plan | undefined, after: Plan | undefined): AcceleratorDelta[] {
  const old = acceleratorTotals(before);
  const now = acceleratorTotals(after);
  const zero = { baseline: 0, worstCase: 0 };
  const rows: AcceleratorDelta[] = [];
  for (const key of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(key);
    const b = now.get(key);
    const id = (a ?? b)!;
    const was = a ? { baseline: a.baseline, worstCase: a.worstCase } : zero;
    const is = b ? { baseline: b.baseline, worstCase: b.worstCase } : zero;
    if (was.baseline !== is.baseline || was.worstCase !== is.worstCase) rows.push({ platform: id.platform, region: id.region, accelerator: id.accelerator, before: was, after: is });
  }
  return rows;
}
