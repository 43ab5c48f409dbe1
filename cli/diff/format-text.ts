import { costChanged } from "./cost";
import { guardNote } from "./dangers";
import { costTitle, costTotalsLine } from "./format-cost";
import { SYMBOL, checkLine, footerParts, nextSteps, acceleratorTable, alignedTable, componentTitle, countsOf, countsPhrase, groupByComponent, propertyLine, resourceNotes, splitTable } from "./format-shared";
import { providerCodeLine } from "./provider-code";
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
  if (costChanged(s.cost)) {
    lines.push(`  ${costTitle(s.cost)}`, `    ${costTotalsLine(s.cost)}`, ...s.cost.lines.map((l) => `    ${l.sentence}`));
    lines.push(...s.cost.budget.crossings.map((c) => `    ! ${c.sentence}`), "");
  }
  if (s.violations.length) {
    lines.push("  Policy violations", ...s.violations.map((v) => `    ${v.severity} ${v.policy}: ${v.message}`), "");
  }
  if (s.preflight.length) {
    lines.push("  Preflight (apply-time rules this change breaks; llmops preflight)", ...s.preflight.map((f) => `    ${f.severity} [${f.rule}] ${f.urn.split("::").pop()}: ${f.message}`), "");
  }
  if (s.providerCode.length) lines.push("  Provider code (an update per resource records it; no API call)", ...s.providerCode.map((p) => `    ${providerCodeLine(p)}`), "");
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
  const checks = report.stacks.filter((s) => s.checks.length);
  if (checks.length) lines.push("", "Checks", ...checks.map((s) => `  ${s.stack}: ${s.checks.map(checkLine).join("; ")}`));
  const steps = nextSteps(report, changed);
  if (steps.length) lines.push("", "Next steps", ...steps.map((n) => `  ${n.stack}: ${n.step}`));
  const footer = footerParts(report);
  lines.push("", `Compared base ${footer.base} with head ${footer.head}${footer.runUrl ? `; run ${footer.runUrl}` : ""}${footer.at ? `; ${footer.at}` : ""}.`);
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}
