import type { Plan } from "../../lib/plan";
import { acceleratorDelta } from "./accelerators";
import { classify } from "./classify";
import { dangers } from "./dangers";
import { missingAliases } from "./missing-aliases";
import { modelChanges } from "./models";
import { formatPath, leafChanges } from "./properties";
import { type PreflightIssue, type PropertyChange, type StackDiff, type Violation, emptyCounts } from "./types";

/**
 * Where policy findings come from: the command line passes the policy pack's
 * (`policies/diff.ts`), and every formatter shows what it returns. The diff itself does not load
 * the pack, so tests and other callers choose.
 */
export type ViolationSource = (stack: string, before: Plan | undefined, after: Plan | undefined) => Violation[];

/** Where apply-time findings come from (`policies/preflight/diff.ts`); kept apart like policies. */
export type PreflightSource = (stack: string, before: Plan | undefined, after: Plan | undefined) => PreflightIssue[];

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

/** Everything that changes in one stack between two plans; either plan may be absent. */
export function diffStack(
  stack: string,
  before: Plan | undefined,
  after: Plan | undefined,
  sources: readonly ViolationSource[] = [],
  preflightSources: readonly PreflightSource[] = [],
): StackDiff {
  const resources = classify(before, after);
  const counts = emptyCounts();
  for (const r of resources) counts[r.action] += 1;
  return {
    stack,
    presence: before && after ? "both" : before ? "base only" : "head only",
    counts,
    models: modelChanges(stack, before, after),
    dangers: [...dangers(resources, before), ...missingAliases(resources, before, after, stack)],
    accelerators: acceleratorDelta(before, after),
    violations: sources.flatMap((source) => source(stack, before, after)),
    preflight: preflightSources.flatMap((source) => source(stack, before, after)),
    outputs: outputChanges(before, after),
    resources,
  };
}
