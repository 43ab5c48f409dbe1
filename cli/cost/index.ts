import * as path from "node:path";
import { canonicalJson } from "../../lib/json";
import { CatalogError, type PriceCatalog, committedCatalog, readCatalog } from "../../policies/cost";
import { listStacks } from "../../infra/testing/stack-files";
import { readPlanFile, renderedPlans } from "../plans";
import { UserError, findProjectDir } from "../project";
import { formatCostMarkdown, formatCostText } from "./format";
import { type CostReport, costReport } from "./report";

export const COST_FORMATS = ["text", "json", "markdown"] as const;
export type CostFormat = (typeof COST_FORMATS)[number];

export interface CostOptions {
  readonly stacks?: readonly string[];
  /** Reuse plans rendered from the same files and configuration (default true; `--no-cache`). */
  readonly cache?: boolean;
  readonly plans?: readonly string[];
  readonly format?: string;
  /** Another catalog file (one written by `llmops prices refresh --out`); default the committed one. */
  readonly catalog?: string;
  readonly now?: Date;
}

/** The committed catalog, or the one named; a broken catalog is the user's to fix (exit 1). */
export function loadCatalog(file?: string): PriceCatalog {
  try {
    return file ? readCatalog(file) : committedCatalog();
  } catch (err) {
    if (err instanceof CatalogError) throw new UserError(err.message);
    throw err;
  }
}

export function formatCost(report: CostReport, format: CostFormat): string {
  if (format === "json") return canonicalJson(report);
  return format === "markdown" ? formatCostMarkdown(report) : formatCostText(report);
}

/**
 * Renders the stacks (every Pulumi.<stack>.yaml unless stacks or plans are named), reads the
 * plan files as they are, and prints each stack's monthly cost against its budget.
 */
export async function cost(options: CostOptions): Promise<CostReport> {
  const format = options.format ?? "text";
  if (!(COST_FORMATS as readonly string[]).includes(format)) throw new UserError(`unknown format "${format}"; allowed: ${COST_FORMATS.join(", ")}`);
  const catalog = loadCatalog(options.catalog);
  const plansGiven = options.plans?.length ?? 0;
  const stacks = options.stacks?.length ? options.stacks : plansGiven ? [] : listStacks(findProjectDir());
  const files = (options.plans ?? []).map((file) => ({ plan: readPlanFile(file), source: path.relative(process.cwd(), file) || file }));
  const rendered = stacks.length ? (await renderedPlans(stacks, options.cache !== false)).map((plan) => ({ plan, source: "rendered" })) : [];
  const plans = [...rendered, ...files];
  if (plans.length === 0) throw new UserError("no stack to price: no Pulumi.<stack>.yaml and no --plan");
  const report = costReport(plans, catalog, options.now ?? new Date());
  process.stdout.write(formatCost(report, format as CostFormat));
  return report;
}
