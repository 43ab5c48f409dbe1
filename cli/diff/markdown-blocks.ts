import { guardNote } from "./dangers";
import { SYMBOL, acceleratorTable, componentTitle, countsOf, countsPhrase, type Group, splitTable } from "./format-shared";
import { showChange } from "./properties";
import type { PropertyChange, ResourceChange, StackDiff } from "./types";

export const ARTIFACT_HINT = "see the JSON artifact";

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Inline code that survives backticks in the value. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const tick = "`".repeat(longest + 1);
  return longest > 0 ? `${tick} ${text} ${tick}` : `${tick}${text}${tick}`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
export function fenced(lang: string, lines: readonly string[]): string {
  const longest = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((run) => run.length)));
  const fence = "`".repeat(longest + 1);
  return [`${fence}${lang}`, ...lines, fence].join("\n");
}

export function table(rows: readonly string[][], align: readonly ("l" | "r")[] = []): string {
  const cell = (c: string) => c.replace(/\|/g, "\\|");
  const [head, ...body] = rows;
  const rule = head.map((_, i) => (align[i] === "r" ? "--:" : "---"));
  return [head, rule, ...body].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** Update: a red and a green line, so GitHub colours the change; create: green; delete: red. */
function diffLines(p: PropertyChange): string[] {
  const forced = p.forcesReplacement ? "   # forces replacement" : "";
  const [before, after] = showChange(p.before, p.after, 200);
  const lines: string[] = [];
  if (p.before !== undefined) lines.push(`- ${p.path}: ${before}${p.after === undefined ? forced : ""}`);
  if (p.after !== undefined) lines.push(`+ ${p.path}: ${after}${forced}`);
  return lines;
}

function resourceSummary(r: ResourceChange): string {
  const paths = r.replaceReasons.map((w) => `<code>${escapeHtml(w.path)}</code>`).join(", ");
  const why = r.action === "replace" ? [`replaced because ${paths} ${r.replaceReasons.length > 1 ? "change" : "changes"}`] : [];
  const moved = r.movedFrom ? [`moved from <code>${escapeHtml(r.movedFrom)}</code>`] : [];
  const notes = [...why, ...moved];
  return `<code>${SYMBOL[r.action]}</code> <b>${escapeHtml(r.name)}</b> <code>${escapeHtml(r.type)}</code>${notes.length ? `: ${notes.join("; ")}` : ""}`;
}

/**
 * A component's resources at a level of detail: 0 every property, 1 the first few per resource,
 * 2 one line per resource, 3 one line for the whole group. Higher levels fold for the size budget.
 */
export function groupBlock(group: Group, level: number): string {
  const component = group.component ? `<b>${escapeHtml(group.component.name)}</b> <code>${escapeHtml(group.component.type)}</code>` : `<b>${componentTitle(null)}</b>`;
  const title = `${component}: ${countsPhrase(countsOf(group.resources))}`;
  if (level >= 3) return `- ${title}; ${group.resources.length} resources folded, ${ARTIFACT_HINT}`;
  if (level === 2) {
    const lines = group.resources.map((r) => `- ${resourceSummary(r)}`);
    return details(title, `${lines.join("\n")}\n\n<sub>Property changes folded to fit the comment; ${ARTIFACT_HINT}.</sub>`);
  }
  const keep = level === 1 ? 3 : Infinity;
  const blocks = group.resources.map((r) => {
    const shown = r.properties.slice(0, keep);
    const more = r.properties.length - shown.length;
    const lines = shown.flatMap(diffLines);
    const notes = [
      ...r.replaceReasons.map((w) => `- ${code(w.path)}${w.note ? `: ${escapeHtml(w.note)}` : ""} (${w.source.startsWith("https://") ? `[source](${w.source})` : `source: ${code(w.source)}`})`),
      ...(more > 0 ? [`- ${more} more ${more === 1 ? "property" : "properties"}; ${ARTIFACT_HINT}`] : []),
    ];
    const unchanged = r.action === "move" ? "_no input changes: only the URN changes in the state_" : "_no input changes_";
    const body = [lines.length ? fenced("diff", lines) : unchanged, ...(notes.length ? [notes.join("\n")] : [])].join("\n\n");
    return details(resourceSummary(r), body);
  });
  return details(title, blocks.join("\n\n"));
}

export function outputsBlock(outputs: readonly PropertyChange[], level: number): string {
  const title = `Stack outputs: ${outputs.length} changed`;
  if (level >= 1) return `- ${title}; ${ARTIFACT_HINT}`;
  return details(title, fenced("diff", outputs.flatMap(diffLines)));
}

/** The part of a stack that is never folded: models, danger, accelerators, violations. */
export function stackSummary(s: StackDiff): string[] {
  const where = s.presence === "both" ? "" : s.presence === "head only" ? " (new stack)" : " (stack removed)";
  const parts = [`#### ${escapeHtml(s.stack)}: ${countsPhrase(s.counts)}${where}`];
  for (const m of s.models) {
    parts.push(m.sentences.map((line) => `**${escapeHtml(line)}**`).join("<br>\n"));
    parts.push(table(splitTable(m.split), ["l", "l", "l", "r", "r"]));
  }
  if (s.dangers.length) {
    const lines = s.dangers.map((d) => `> **${d.action}** ${code(d.name)} (${code(d.type)}): ${d.kind}. ${escapeHtml(d.consequence)}.<br>\n> _${escapeHtml(guardNote(d))}_`);
    parts.push(["> [!CAUTION]", `> **${s.dangers.length} destructive ${s.dangers.length === 1 ? "step" : "steps"}**`, ">", lines.join("\n>\n")].join("\n"));
  }
  if (s.accelerators.length) parts.push(`**Accelerators** (baseline: at minimum replicas and nodes; worst case: every deployment and pool at its maximum)\n\n${table(acceleratorTable(s.accelerators))}`);
  if (s.violations.length) parts.push(`**Policy violations**\n\n${s.violations.map((v) => `- **${v.severity}** ${code(v.policy)}: ${escapeHtml(v.message)}`).join("\n")}`);
  if (s.preflight.length) {
    parts.push(`**Preflight** (apply-time rules this change breaks)\n\n${s.preflight.map((f) => `- **${f.severity}** ${code(f.rule)} ${code(f.urn.split("::").pop() ?? f.urn)}: ${escapeHtml(f.message)}`).join("\n")}`);
  }
  return parts;
}
