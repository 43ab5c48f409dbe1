import type { Plan } from "../../lib/plan";
import type { PreflightFinding } from "./check";
import { MalformedPlanError, assertPlan } from "./graph";
import { preflight } from "./index";

const keyOf = (f: PreflightFinding) => `${f.rule}\u0000${f.urn}\u0000${f.message}`;

/** Findings of a plan, or none when it cannot be checked (a plan from before the dependency graph). */
function findingsOf(plan: Plan | undefined, label: string): readonly PreflightFinding[] | undefined {
  if (!plan) return [];
  try {
    return preflight(assertPlan(plan, label)).findings;
  } catch (err) {
    if (err instanceof MalformedPlanError) return undefined;
    throw err;
  }
}

/**
 * For `llmops diff`: the preflight findings a change introduces in one stack, those the head plan
 * has and the base plan has not. A base rendered before plans carried the dependency graph cannot
 * be checked, so every head finding counts as new.
 */
export function introducedFindings(stack: string, before: Plan | undefined, after: Plan | undefined): PreflightFinding[] {
  const head = findingsOf(after, `${stack} (head)`) ?? [];
  const old = new Set((findingsOf(before, `${stack} (base)`) ?? []).map(keyOf));
  return head.filter((f) => !old.has(keyOf(f)));
}
