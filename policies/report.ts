import { POLICIES } from "./registry";
import type { Violation } from "./runner";
import type { Policy } from "./types";

/**
 * The text `llmops policy` prints: violations grouped by policy (mandatory first), each with the
 * stack and resource at fault, then the check it mirrors and the fix once per policy.
 */

export interface CheckedStack {
  readonly stack: string;
  readonly environment: string;
  /** `rendered` or the plan file it was read from. */
  readonly source: string;
}

function resourceOf(v: Violation): string {
  if (v.resource) return `${v.resource.type} ${v.resource.name}`;
  return v.urn ?? "(the stack)";
}

function mirrorsOf(policy: Pick<Policy, "mirrors">): string {
  return policy.mirrors.length ? `mirrors ${policy.mirrors.join(", ")}` : "no standard check";
}

export function formatReport(stacks: readonly CheckedStack[], violations: readonly Violation[], policies: readonly Policy[] = POLICIES): string {
  const mandatory = violations.filter((v) => v.level === "mandatory");
  const lines = [
    `checked ${stacks.map((s) => `${s.stack} (${s.environment}${s.source === "rendered" ? "" : `, ${s.source}`})`).join(", ")} against ${policies.length} policies: ` +
      (violations.length ? `${violations.length} violation${violations.length === 1 ? "" : "s"}, ${mandatory.length} mandatory` : "no violations"),
  ];
  const byPolicy = new Map<string, Violation[]>();
  for (const v of violations) byPolicy.set(v.policy, [...(byPolicy.get(v.policy) ?? []), v]);
  const rank = (list: readonly Violation[]) => (list.some((v) => v.level === "mandatory") ? 0 : 1);
  const groups = [...byPolicy.entries()].sort(([a, x], [b, y]) => rank(x) - rank(y) || a.localeCompare(b));
  for (const [name, list] of groups) {
    const policy = policies.find((p) => p.name === name);
    const levels = [...new Set(list.map((v) => v.level))].join("/");
    lines.push("", `${rank(list) === 0 ? "✗" : "!"} ${name} · ${levels} · ${list[0].group} · ${list[0].severity} · ${mirrorsOf(list[0])}`);
    if (policy) lines.push(`  ${policy.description}`);
    for (const v of list) lines.push(`  ${v.stack}: ${resourceOf(v)}: ${v.message}`);
    lines.push(`  fix: ${list[0].remediation}`);
  }
  return `${lines.join("\n")}\n`;
}
