import type { Plan } from "../../lib/plan";
import { type PriceCatalog, committedCatalog } from "../../policies/cost";
import { acceleratorDelta } from "./accelerators";
import { costDelta } from "./cost";
import { classify } from "./classify";
import { dangers } from "./dangers";
import { missingAliases } from "./missing-aliases";
import { modelChanges } from "./models";
import { providerCodeChanges } from "./provider-code";
import { formatPath, leafChanges } from "./properties";
import { type CheckRun, type PreflightIssue, type PropertyChange, type StackDiff, type Violation, emptyCounts } from "./types";

/**
 * Where policy findings come from: the command line passes the policy pack's
 * (`policies/diff.ts`), and every formatter shows what it returns. The diff itself does not load
 * the pack, so tests and other callers choose.
 */
export type ViolationSource = (stack: string, before: Plan | undefined, after: Plan | undefined) => Violation[];

/** Where apply-time findings come from (`policies/preflight/diff.ts`); kept apart like policies. */
export type PreflightSource = (stack: string, before: Plan | undefined, after: Plan | undefined) => PreflightIssue[];

/** What a check covered for a stack's head plan, so that a pass is reported too (`llmops` registers policies and preflight). */
export type CheckSource = (stack: string, after: Plan) => Omit<CheckRun, "introduced">;

function outputChanges(before: Plan | undefined, after: Plan | undefined): PropertyChange[] {
  const strip = (plan: Plan | undefined) => {
    const { models: _models, ...rest } = plan?.outputs ?? {};
    return rest;
  };
  return leafChanges(strip(before), strip(after)).map((leaf) => ({
    path: formatPath(leaf.segments),
    ...(leaf.before !== undefined && { before: leaf.before }),
    ...(leaf.after !== undefined && { after: leaf.after }),
  }));
}

const checkRun = (run: Omit<CheckRun, "introduced">, violations: number, preflight: number): CheckRun => ({ ...run, introduced: run.check === "policies" ? violations : preflight });

/** What a stack's diff is checked and priced with: no checks and the committed catalog unless given. */
export interface DiffStackOptions {
  readonly sources?: readonly ViolationSource[];
  readonly preflightSources?: readonly PreflightSource[];
  readonly checkSources?: readonly CheckSource[];
  readonly catalog?: PriceCatalog;
}

/** Everything that changes in one stack between two plans; either plan may be absent. */
export function diffStack(
  stack: string,
  before: Plan | undefined,
  after: Plan | undefined,
  options: DiffStackOptions = {},
): StackDiff {
  const { sources = [], preflightSources = [], checkSources = [], catalog = committedCatalog() } = options;
  const resources = classify(before, after);
  const violations = sources.flatMap((source) => source(stack, before, after));
  const preflight = preflightSources.flatMap((source) => source(stack, before, after));
  const counts = emptyCounts();
  for (const r of resources) counts[r.action] += 1;
  return {
    stack,
    presence: before && after ? "both" : before ? "base only" : "head only",
    counts,
    models: modelChanges(stack, before, after),
    dangers: [...dangers(resources, before), ...missingAliases(resources, before, after, stack)],
    accelerators: acceleratorDelta(before, after),
    cost: costDelta(before, after, catalog),
    violations,
    preflight,
    checks: after ? checkSources.map((source) => checkRun(source(stack, after), violations.length, preflight.length)) : [],
    providerCode: providerCodeChanges(before, after),
    outputs: outputChanges(before, after),
    resources,
  };
}
