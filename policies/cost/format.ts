import type { BudgetCheck } from "./budget";
import type { CostLine, CostTotals } from "./estimate";

/** Money and lines in words, shared by `llmops cost`, `llmops plan`, `llmops diff` and the budget policy. */

/** `$1,234.56`; `-$12.00` for negatives. */
export function usd(amount: number): string {
  const sign = amount < 0 ? "-" : "";
  return `${sign}$${Math.abs(amount).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** `+$1,234.56`, `-$5.00`, `$0.00`. */
export function signedUsd(amount: number): string {
  return amount > 0 ? `+${usd(amount)}` : usd(amount);
}

/** An hourly rate with the precision the catalog gives (at least four decimals). */
export function hourly(amount: number): string {
  const digits = amount >= 10 ? 2 : 4;
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })}/h`;
}

/** A total that leaves out unpriced lines: `≥ $1,234.56`, or `no price` when nothing of it is priced. */
export function total(amount: number, complete: boolean): string {
  if (complete) return usd(amount);
  return amount === 0 ? "no price" : `≥ ${usd(amount)}`;
}

export function totalsPhrase(t: CostTotals): string {
  return `baseline ${total(t.baselineMonthlyUsd, t.complete.baseline)}/month, worst case ${total(t.worstCaseMonthlyUsd, t.complete.worstCase)}/month`;
}

/** What one unit of the line is: `1 × nvidia-l4 on g2-standard-12`, `e2-standard-4`, `GKE cluster fee`. */
export function unitPhrase(line: Pick<CostLine, "kind" | "accelerator" | "machineType">): string {
  if (line.kind === "cluster-fee") return "GKE cluster management fee";
  const machine = line.machineType ?? "an unnamed machine";
  return line.accelerator ? `${line.accelerator.count} × ${line.accelerator.type} on ${machine}` : machine;
}

/** `2 × (1 × nvidia-l4 on g2-standard-12)` reads badly; `2 × nvidia-l4 on g2-standard-12` when one per unit. */
export function countPhrase(count: number, line: Pick<CostLine, "kind" | "accelerator" | "machineType" | "unit">): string {
  if (line.kind === "cluster-fee") return `${count} × GKE cluster management fee`;
  const machine = line.machineType ?? "an unnamed machine";
  if (!line.accelerator) return `${count} × ${machine}`;
  if (line.accelerator.count === 1) return `${count} × ${line.accelerator.type} on ${machine}`;
  return `${count} × ${machine} (${line.accelerator.count} × ${line.accelerator.type} each)`;
}

/** Who the line is for: `gemma-chat us-central1`, `platform us-central1`. */
export function subjectOf(line: Pick<CostLine, "models" | "region" | "version">): string {
  const who = line.models.length ? line.models.join(", ") : "platform";
  return `${who}${line.version ? ` ${line.version}` : ""} ${line.region}`;
}

export function budgetCheckPhrase(c: BudgetCheck): string {
  const what = c.measure === "baseline" ? "baseline" : "worst case";
  const scope = c.scope === "stack" ? "the stack" : `model ${c.scope}`;
  return `${what} of ${scope}: ${total(c.costUsd, c.complete)}/month against a budget of ${usd(c.limitUsd)}`;
}
