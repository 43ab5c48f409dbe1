import { modelsSummary } from "../infra/models/summary";
import { pipelinesSummary } from "../infra/pipelines/summary";
import { acceleratorSummary } from "../infra/gke/summary";
import { monitoringSummary } from "../infra/monitoring/summary";
import type { Plan, PlannedResource, SummarySection } from "../infra/testing";
import { budgetCheckPhrase, committedCatalog, totalsPhrase } from "../policies/cost";
import { catalogInfo, stackCost } from "./cost/report";

/** Where a resource lives, read from its inputs; "global" when it names no location. */
export function regionOf(resource: PlannedResource): string {
  // Kubernetes objects name no location: they live in whichever cluster their provider targets.
  if (resource.type.startsWith("kubernetes:") || resource.type === "pulumi:providers:kubernetes") return "in cluster";
  const { location, region, zone } = resource.inputs as Record<string, unknown>;
  const value = region ?? location ?? zone;
  return typeof value === "string" && value !== "" && value !== "[unknown]" ? value : "global";
}


function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd());
}

export const resourcesByType: SummarySection = (plan) => {
  const custom = plan.resources.filter((r) => !r.type.startsWith("llmops:"));
  // Regions first, then the location-less columns.
  const last = (r: string) => (r === "global" ? 2 : r === "in cluster" ? 1 : 0);
  const regions = [...new Set(custom.map(regionOf))].sort((a, b) => last(a) - last(b) || a.localeCompare(b));
  const types = [...new Set(custom.map((r) => r.type))].sort();
  const rows = [["type", "total", ...regions]];
  for (const type of types) {
    const ofType = custom.filter((r) => r.type === type);
    rows.push([type, String(ofType.length), ...regions.map((g) => String(ofType.filter((r) => regionOf(r) === g).length || "·"))]);
  }
  const components = plan.resources.length - custom.length;
  return [`${custom.length} resources in ${components} components`, ...table(rows).map((l) => `  ${l}`)];
};

export const protectedResources: SummarySection = (plan) => {
  const guarded = plan.resources.filter((r) => r.options.protect || r.options.retainOnDelete);
  if (guarded.length === 0) return ["protected: none"];
  return [`protected: ${guarded.length} (${guarded.map((r) => r.name).join(", ")})`];
};

/**
 * The stack's monthly cost from the committed price catalog, with the catalog's date and age, and
 * the budget's verdict; `llmops cost` has the lines behind it.
 */
export function costSummary(now: Date = new Date()): SummarySection {
  return (plan) => {
    const catalog = committedCatalog();
    const info = catalogInfo(catalog, now);
    const cost = stackCost(plan, catalog);
    const unpriced = cost.lines.filter((l) => l.unpriced).length;
    const lines = [
      `cost: ${totalsPhrase(cost)} (730 h; prices as of ${info.asOf}, ${info.ageDays} days old${unpriced ? `; ${unpriced} line${unpriced === 1 ? "" : "s"} without a price` : ""}; npx llmops cost)`,
    ];
    for (const c of cost.budget?.checks ?? []) lines.push(`  budget: ${c.exceeded ? "over" : c.complete ? "within" : "priced part within"}: ${budgetCheckPhrase(c)}`);
    return lines;
  };
}

export const SECTIONS: SummarySection[] = [resourcesByType, protectedResources, modelsSummary, acceleratorSummary, costSummary(), monitoringSummary, pipelinesSummary];

export function summarize(plan: Plan, file: string): string {
  const lines = [`stack ${plan.stack} → ${file}`];
  for (const section of SECTIONS) lines.push(...section(plan).map((l) => `  ${l}`));
  return lines.join("\n");
}
