import { type BreakdownRow, type CostLine, budgetCheckPhrase, hourly, total, totalsPhrase, unitPhrase, usd } from "../../policies/cost";
import { alignedTable } from "../diff/format-shared";
import { escapeHtml, table } from "../diff/markdown-blocks";
import type { CatalogInfo, CostReport, StackCostReport } from "./report";

/** `llmops cost` as text for a terminal and as markdown for a pull request or a wiki page. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function catalogLine(c: CatalogInfo): string {
  const sources = c.sources.map((s) => `${s.name} (${s.fetchedAt})`).join("; ");
  return `prices as of ${c.asOf} (${plural(c.ageDays, "day")} old): ${sources}`;
}

export function staleLine(c: CatalogInfo): string | undefined {
  return c.stale ? `the catalog is more than 90 days old; refresh it with npx llmops prices refresh (Google credentials) and commit it` : undefined;
}

function amount(units: number | null, monthly: number | null, unit: string): string {
  if (units === null) return "no upper bound";
  const count = plural(units, unit);
  return monthly === null ? `${count}, no price` : `${count}: ${usd(monthly)}`;
}

function lineRow(l: CostLine): string[] {
  return [
    l.platform,
    l.models.length ? `${l.models.join(", ")}${l.version ? ` ${l.version}` : ""}` : "(platform)",
    l.region,
    unitPhrase(l),
    l.capacity ?? "fee",
    l.usdPerHour === null ? "no price" : hourly(l.usdPerHour),
    amount(l.units.baseline, l.monthly.baseline, l.unit),
    amount(l.units.worstCase, l.monthly.worstCase, l.unit),
  ];
}

const LINE_HEAD = ["platform", "model", "region", "each", "capacity", "rate", "baseline (month)", "worst case (month)"];

const rowOf = (r: BreakdownRow) => [r.key, total(r.baselineMonthlyUsd, r.complete.baseline), total(r.worstCaseMonthlyUsd, r.complete.worstCase)];

/** Unpriced reasons, once each, with the lines they concern. */
function unpricedGroups(s: StackCostReport): { reason: string; lines: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const l of s.lines) if (l.unpriced) groups.set(l.unpriced, [...(groups.get(l.unpriced) ?? []), l.resource + (l.version ? ` ${l.version}` : "")]);
  return [...groups.entries()].map(([reason, lines]) => ({ reason, lines: [...new Set(lines)] }));
}

/** How capacity modes without a price of their own, and raised baselines, were priced. */
function notes(s: StackCostReport): string[] {
  const out: string[] = [];
  for (const l of s.lines) {
    if (l.pricedAs && l.capacity && l.pricedAs !== l.capacity) out.push(`${l.resource}: ${l.capacity} priced at the ${l.pricedAs}`);
    if (l.note) out.push(`${l.resource}: ${l.note}`);
  }
  return out;
}

function budgetLines(s: StackCostReport): string[] {
  if (!s.budget) return ["budget: none declared (llmops:budget)"];
  return s.budget.checks.map((c) => `${c.exceeded ? "✗ over" : c.complete ? "✓ within" : "✓ priced part within"}: ${budgetCheckPhrase(c)}`);
}

function stackText(s: StackCostReport): string[] {
  const unpriced = s.lines.filter((l) => l.unpriced).length;
  const lines = [`${s.stack}${s.source === "rendered" ? "" : ` (${s.source})`}: ${totalsPhrase(s)} (730 hours a month${unpriced ? `; ${plural(unpriced, "line")} without a price, left out` : ""})`];
  lines.push(...alignedTable([LINE_HEAD, ...s.lines.map(lineRow)]).map((l) => `  ${l}`));
  const groups = unpricedGroups(s);
  if (groups.length) {
    lines.push("", "  without a price (not in the totals):");
    for (const g of groups) lines.push(`    ${g.lines.join(", ")}: ${g.reason}`);
  }
  const n = notes(s);
  if (n.length) lines.push("", "  how it is priced:", ...n.map((x) => `    ${x}`));
  for (const [title, rows] of [
    ["by platform", s.breakdown.platform],
    ["by model", s.breakdown.model],
    ["by accelerator", s.breakdown.accelerator],
    ["by region", s.breakdown.region],
    ["by capacity", s.breakdown.capacity],
  ] as const) {
    lines.push("", `  ${title}:`, ...alignedTable([["", "baseline", "worst case"], ...rows.map(rowOf)]).map((l) => `    ${l}`));
  }
  if (s.usage.length) {
    lines.push("", "  priced by use (not in the totals):");
    lines.push(...alignedTable(s.usage.map((u) => [u.resource, u.what, u.usdPerUnit === null ? (u.unpriced ?? "no price") : `${hourlyUnit(u.usdPerUnit)} per ${u.unit}`])).map((l) => `    ${l}`));
  }
  lines.push("", ...budgetLines(s).map((l) => `  ${l}`));
  return lines;
}

const hourlyUnit = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

export function formatCostText(report: CostReport): string {
  const lines = [catalogLine(report.catalog)];
  const stale = staleLine(report.catalog);
  if (stale) lines.push(`! ${stale}`);
  for (const s of report.stacks) lines.push("", ...stackText(s));
  return `${lines.join("\n")}\n`;
}

function stackMarkdown(s: StackCostReport): string[] {
  const parts = [`### ${escapeHtml(s.stack)}: ${totalsPhrase(s)}`];
  parts.push(table([LINE_HEAD, ...s.lines.map(lineRow)], ["l", "l", "l", "l", "l", "r", "r", "r"]));
  const groups = unpricedGroups(s);
  if (groups.length) parts.push(`**Without a price** (not in the totals)\n\n${groups.map((g) => `- ${g.lines.map((l) => `\`${l}\``).join(", ")}: ${escapeHtml(g.reason)}`).join("\n")}`);
  const n = notes(s);
  if (n.length) parts.push(`**How it is priced**\n\n${n.map((x) => `- ${escapeHtml(x)}`).join("\n")}`);
  const rows = [
    ...s.breakdown.platform.map((r) => ["platform", ...rowOf(r)]),
    ...s.breakdown.model.map((r) => ["model", ...rowOf(r)]),
    ...s.breakdown.accelerator.map((r) => ["accelerator", ...rowOf(r)]),
    ...s.breakdown.region.map((r) => ["region", ...rowOf(r)]),
  ];
  parts.push(`<details><summary>By platform, model, accelerator and region</summary>\n\n${table([["by", "", "baseline", "worst case"], ...rows], ["l", "l", "r", "r"])}\n\n</details>`);
  if (s.usage.length) {
    const usage = s.usage.map((u) => [u.resource, u.what, u.usdPerUnit === null ? (u.unpriced ?? "no price") : `${hourlyUnit(u.usdPerUnit)} per ${u.unit}`]);
    parts.push(`<details><summary>Priced by use (not in the totals)</summary>\n\n${table([["resource", "what", "unit price"], ...usage])}\n\n</details>`);
  }
  parts.push(budgetLines(s).map((l) => `- ${escapeHtml(l)}`).join("\n"));
  return parts;
}

export function formatCostMarkdown(report: CostReport): string {
  const parts = [`## Cost per month (730 hours)`, `_${escapeHtml(catalogLine(report.catalog))}_`];
  const stale = staleLine(report.catalog);
  if (stale) parts.push(`> [!WARNING]\n> ${escapeHtml(stale)}`);
  for (const s of report.stacks) parts.push(...stackMarkdown(s));
  return `${parts.join("\n\n")}\n`;
}
