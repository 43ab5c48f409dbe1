import { guardNote } from "./dangers";
import { SYMBOL, acceleratorTable, alignedTable, componentTitle, countsOf, countsPhrase, groupByComponent, propertyLine, resourceNotes, splitTable } from "./format-shared";
import { type DiffReport, type StackDiff, hasChanges } from "./types";

const indent = (n: number, lines: readonly string[]) => lines.map((l) => (l === "" ? l : `${" ".repeat(n)}${l}`));

function stackText(s: StackDiff): string[] {
  const where = s.presence === "both" ? "" : s.presence === "head only" ? " (new stack: everything is created)" : " (stack removed: everything is deleted)";
  const lines = [`${s.stack}: ${countsPhrase(s.counts)}${where}`];
  if (s.models.length) {
    lines.push("", "  Models");
    for (const m of s.models) lines.push(...indent(4, [...m.sentences, "", ...alignedTable(splitTable(m.split)), ""]));
  }
  if (s.dangers.length) {
    lines.push("  Danger");
    for (const d of s.dangers) lines.push(`    ! ${d.action} ${d.name} (${d.type}): ${d.kind}: ${d.consequence}`, `      ${guardNote(d)}`);
    lines.push("");
  }
  if (s.accelerators.length) lines.push("  Accelerators", ...indent(4, alignedTable(acceleratorTable(s.accelerators))), "");
  if (s.violations.length) {
    lines.push("  Policy violations", ...s.violations.map((v) => `    ${v.severity} ${v.policy}: ${v.message}`), "");
  }
  if (s.preflight.length) {
    lines.push("  Preflight (apply-time rules this change breaks; llmops preflight)", ...s.preflight.map((f) => `    ${f.severity} [${f.rule}] ${f.urn.split("::").pop()}: ${f.message}`), "");
  }
  if (s.outputs.length) lines.push("  Outputs", ...s.outputs.map((p) => `    ${propertyLine(p)}`), "");
  if (s.resources.length) {
    lines.push("  Resources");
    for (const group of groupByComponent(s.resources)) {
      lines.push(`    ${componentTitle(group.component)}: ${countsPhrase(countsOf(group.resources))}`);
      for (const r of group.resources) {
        lines.push(`      ${SYMBOL[r.action]} ${r.name} (${r.type})${resourceNotes(r)}`);
        if (r.action !== "create") lines.push(...r.properties.map((p) => `          ${propertyLine(p)}`));
      }
    }
  }
  return lines;
}

/** For a terminal: every stack with changes in full, unchanged stacks on one line. */
export function formatText(report: DiffReport): string {
  const lines = [`llmops diff: ${report.base.label} → ${report.head.label}`, ""];
  const changed = report.stacks.filter(hasChanges);
  for (const s of changed) lines.push(...stackText(s), "");
  const same = report.stacks.filter((s) => !hasChanges(s)).map((s) => s.stack);
  if (same.length) lines.push(`No changes: ${same.join(", ")}.`);
  if (report.stacks.length === 0) lines.push("No stacks to compare.");
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
