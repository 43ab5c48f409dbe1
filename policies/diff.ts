import type { Plan } from "../lib/plan";
import type { PackConfig } from "./config";
import { runPolicies, type Violation } from "./runner";

/**
 * For `llmops diff`: the violations a change introduces in one stack, i.e. those the new plan has
 * and the old one has not. Identity is policy, resource and message, so a violation that only
 * moves (same resource, same problem) is not news, while a worse value is. The result has the
 * shape of cli/diff's `Violation` (its `severity` is the enforcement level).
 */
export interface IntroducedViolation {
  readonly policy: string;
  readonly severity: "advisory" | "mandatory";
  readonly urn?: string;
  readonly message: string;
}

const keyOf = (v: Violation) => `${v.policy}\u0000${v.urn ?? ""}\u0000${v.message}`;

export function introducedViolations(_stack: string, before: Plan | undefined, after: Plan | undefined, config?: PackConfig): IntroducedViolation[] {
  if (!after) return [];
  const old = new Set((before ? runPolicies([before], config) : []).map(keyOf));
  return runPolicies([after], config)
    .filter((v) => !old.has(keyOf(v)))
    .map((v) => ({ policy: v.policy, severity: v.level, ...(v.urn && { urn: v.urn }), message: v.message }));
}
