import { acceleratorRows } from "../../infra/gke/summary";
import type { Plan } from "../../lib/plan";
import { ENDPOINT_DEPLOYMENT } from "./replacements";
import type { AcceleratorCount, AcceleratorDelta } from "./types";

interface Held extends AcceleratorCount {
  readonly platform: "vertex" | "gke";
  readonly region: string;
  readonly accelerator: string;
}

interface Deployment {
  acceleratorType?: string;
  acceleratorCount?: number;
  minReplicas?: number;
  maxReplicas?: number;
}

/**
 * Accelerators a Vertex AI endpoint holds: every deployed model keeps its own replicas, so while
 * a candidate is in flight the endpoint holds both versions' minimum (a rollout doubles the
 * baseline until `finish`).
 */
function vertexAccelerators(plan: Plan): Held[] {
  const held: Held[] = [];
  for (const r of plan.resources) {
    if (r.type !== ENDPOINT_DEPLOYMENT) continue;
    const region = String(r.inputs.region ?? "global");
    for (const d of (r.inputs.deployments ?? []) as Deployment[]) {
      if (!d.acceleratorType) continue;
      const per = d.acceleratorCount ?? 1;
      held.push({ platform: "vertex", region, accelerator: d.acceleratorType, baseline: per * (d.minReplicas ?? 1), worstCase: per * (d.maxReplicas ?? d.minReplicas ?? 1) });
    }
  }
  return held;
}

/** GKE node pools, as the GKE capability counts them for `llmops plan`. */
function gkeAccelerators(plan: Plan): Held[] {
  return acceleratorRows(plan).map((row) => ({ platform: "gke", region: row.region, accelerator: row.accelerator, baseline: row.baseline, worstCase: row.maximum }));
}

const keyOf = (h: Pick<Held, "platform" | "region" | "accelerator">) => `${h.platform}\u0000${h.region}\u0000${h.accelerator}`;

/** Accelerators per platform, region and type, summed over the stack. */
export function acceleratorTotals(plan: Plan | undefined): Map<string, Held> {
  const totals = new Map<string, Held>();
  for (const h of plan ? [...vertexAccelerators(plan), ...gkeAccelerators(plan)] : []) {
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
