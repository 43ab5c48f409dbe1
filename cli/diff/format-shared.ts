import { showChange, showValue } from "./properties";
import { ACTIONS, type Action, type AcceleratorDelta, type ComponentRef, type Counts, type PropertyChange, type ResourceChange, type SplitRow, emptyCounts } from "./types";

/** Pulumi's own markers, so the diff reads like `pulumi preview --diff`. */
export const SYMBOL: Readonly<Record<Action, string>> = { create: "+", update: "~", replace: "+-", delete: "-", move: "→" };

const VERB: Readonly<Record<Action, string>> = { create: "to create", update: "to update", replace: "to replace", delete: "to delete", move: "moved" };

/** "2 to create, 1 to replace" (zeros left out), or "no changes". */
export function countsPhrase(counts: Counts): string {
  const parts = ACTIONS.filter((a) => counts[a] > 0).map((a) => `${counts[a]} ${VERB[a]}`);
  return parts.length ? parts.join(", ") : "no resource changes";
}

export function countsOf(resources: readonly ResourceChange[]): Counts {
  const counts = emptyCounts();
  for (const r of resources) counts[r.action] += 1;
  return counts;
}

export interface Group {
  readonly component: ComponentRef | null;
  readonly resources: readonly ResourceChange[];
}

/** Resources grouped by their top-level component, groups in order of first appearance by URN. */
export function groupByComponent(resources: readonly ResourceChange[]): Group[] {
  const groups = new Map<string, { component: ComponentRef | null; resources: ResourceChange[] }>();
  for (const r of resources) {
    const key = r.component?.urn ?? "";
    const group = groups.get(key) ?? { component: r.component, resources: [] };
    group.resources.push(r);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.component?.name ?? "").localeCompare(b.component?.name ?? ""));
}

export function componentTitle(component: ComponentRef | null): string {
  return component ? `${component.name} (${component.type})` : "resources directly under the stack";
}

const percent = (v: number | null) => (v === null ? "–" : `${v}%`);

export function splitTable(rows: readonly SplitRow[]): string[][] {
  return [["region", "version", "role", "before", "after"], ...rows.map((r) => [r.region, r.version, r.role, percent(r.before), percent(r.after)])];
}

export function acceleratorTable(rows: readonly AcceleratorDelta[]): string[][] {
  const signed = (n: number) => (n > 0 ? `+${n}` : String(n));
  return [
    ["platform", "region", "accelerator", "baseline", "worst case"],
    ...rows.map((r) => [
      r.platform,
      r.region,
      r.accelerator,
      `${r.before.baseline} → ${r.after.baseline} (${signed(r.after.baseline - r.before.baseline)})`,
      `${r.before.worstCase} → ${r.after.worstCase} (${signed(r.after.worstCase - r.before.worstCase)})`,
    ]),
  ];
}

/** `~ location: "US" → "EU"`, `+ name: "x"`, `- labels.team: "a"`: one property change on a line. */
export function propertyLine(p: PropertyChange, max = 120): string {
  const mark = p.before === undefined ? "+" : p.after === undefined ? "-" : "~";
  const value = mark === "+" ? showValue(p.after, max) : mark === "-" ? showValue(p.before, max) : showChange(p.before, p.after, max).join(" → ");
  return `${mark} ${p.path}: ${value}${p.forcesReplacement ? "  (forces replacement)" : ""}`;
}

/** Why a resource is replaced, on one line. */
export function replaceLine(r: ResourceChange): string {
  return `replaced because ${r.replaceReasons.map((why) => `${why.path} changes${why.note ? ` (${why.note})` : ""}`).join("; ")}`;
}

/** After the name on a resource's line: why it is replaced, and where it moved from. */
export function resourceNotes(r: ResourceChange): string {
  const notes = [...(r.action === "replace" ? [replaceLine(r)] : []), ...(r.movedFrom ? [`moved from ${r.movedFrom}`] : [])];
  return notes.length ? `: ${notes.join("; ")}` : "";
}

/** Columns padded to their widest cell, for terminals. */
export function alignedTable(rows: readonly string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd());
}
