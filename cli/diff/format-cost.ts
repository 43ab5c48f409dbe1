import { signedUsd, total } from "../../policies/cost";
import type { CostDelta, CostSide } from "./cost";

/** The cost section of `llmops diff`, in words shared by the text and the markdown. */

export function costTitle(c: CostDelta): string {
  return `Cost (USD a month, 730 h; prices as of ${c.catalog.asOf}, ${c.catalog.ageDays} day${c.catalog.ageDays === 1 ? "" : "s"} old)`;
}

function measure(before: CostSide | null, after: CostSide | null, m: "baseline" | "worstCase"): string {
  const amount = (s: CostSide | null) => (s ? total(m === "baseline" ? s.baselineMonthlyUsd : s.worstCaseMonthlyUsd, s.complete[m]) : "none");
  const value = (s: CostSide | null) => (s ? (m === "baseline" ? s.baselineMonthlyUsd : s.worstCaseMonthlyUsd) : 0);
  const delta = Math.round((value(after) - value(before)) * 100) / 100;
  return `${amount(before)} → ${amount(after)}${delta !== 0 ? ` (${signedUsd(delta)}${before?.complete[m] === false || after?.complete[m] === false ? " priced" : ""})` : ""}`;
}

/** `baseline $3,758.41 → $3,758.41, worst case ≥ $19,418.93 → ≥ $25,261.36 (+$5,842.43)`. */
export function costTotalsLine(c: CostDelta): string {
  return `baseline ${measure(c.before, c.after, "baseline")}, worst case ${measure(c.before, c.after, "worstCase")}`;
}

/** The worst-case change, for the overview's notes: `+$5,842.43/mo worst case`. */
export function costNote(c: CostDelta): string {
  const w = (s: CostSide | null) => s?.worstCaseMonthlyUsd ?? 0;
  const delta = Math.round((w(c.after) - w(c.before)) * 100) / 100;
  const crossed = c.budget.crossings.some((x) => x.status === "over") ? " ⚠️ over budget" : "";
  return delta !== 0 ? `${signedUsd(delta)}/mo worst case${crossed}` : crossed.trim();
}
