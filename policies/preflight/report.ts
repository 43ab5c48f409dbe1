import { canonicalJson } from "../../lib/json";
import type { PreflightFinding } from "./check";
import { IAM_AS_OF } from "./iam";

export interface CheckedPlan {
  readonly stack: string;
  /** "rendered", or the plan file's path. */
  readonly source: string;
  readonly findings: readonly PreflightFinding[];
}

/** `Type name` from a URN, for headings. */
function resourceLabel(urn: string): string {
  const [, , qualified, name] = urn.split("::");
  return `${qualified.split("$").pop()} ${name}`;
}

/**
 * Text for people: per stack, findings grouped by the resource that would fail, each with its
 * rule id, what to change and the source; then one line of totals.
 */
export function formatText(checked: readonly CheckedPlan[]): string {
  const lines: string[] = [];
  for (const c of checked) {
    const errors = c.findings.filter((f) => f.severity === "error").length;
    const warnings = c.findings.length - errors;
    lines.push(`stack ${c.stack} (${c.source}): ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`);
    const byResource = new Map<string, PreflightFinding[]>();
    for (const f of c.findings) byResource.set(f.urn, [...(byResource.get(f.urn) ?? []), f]);
    for (const [urn, findings] of byResource) {
      lines.push(`  ${resourceLabel(urn)}`, `    ${urn}`);
      for (const f of findings) {
        lines.push(`    ${f.severity} [${f.rule}] ${f.message}`, `      source: ${f.source}`);
      }
    }
  }
  lines.push(`IAM permissions and roles as of ${IAM_AS_OF} (iann0036/iam-dataset). Not checked: quota, organization policies, live state.`);
  return `${lines.join("\n")}\n`;
}

/** `{ findings: [{ rule, severity, urn, message, source }] }`, canonical JSON. */
export function formatJson(checked: readonly CheckedPlan[]): string {
  return canonicalJson({ findings: checked.flatMap((c) => c.findings.map((f) => ({ rule: f.rule, severity: f.severity, urn: f.urn, message: f.message, source: f.source }))) });
}
