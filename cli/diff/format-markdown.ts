import { groupByComponent } from "./format-shared";
import { ARTIFACT_HINT, code, escapeHtml, groupBlock, outputsBlock, stackSummary, table } from "./markdown-blocks";
import { type DiffReport, type StackDiff, hasChanges } from "./types";

/** The hidden marker that lets CI find and update its one sticky comment. */
export const COMMENT_MARKER = "<!-- llmops-diff -->";

/** GitHub refuses comment bodies longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_535;

/** Where folding starts: room below the limit for what CI appends (links to the run and artifact). */
export const DEFAULT_BUDGET = 60_000;

/** A part of the comment that can fold: rendered at a level, up to `max`. */
interface Foldable {
  level: number;
  readonly max: number;
  readonly render: (level: number) => string;
}

/** Renders each level once: folding measures every group at every step. */
function foldable(max: number, render: (level: number) => string): Foldable {
  const cache = new Map<number, string>();
  return {
    level: 0,
    max,
    render: (level) => {
      if (!cache.has(level)) cache.set(level, render(level));
      return cache.get(level)!;
    },
  };
}

type Part = string | Foldable;

function overview(report: DiffReport): string[] {
  const changed = report.stacks.filter(hasChanges);
  const same = report.stacks.filter((s) => !hasChanges(s)).map((s) => s.stack);
  const parts = [`### llmops diff: ${code(report.base.label)} → ${code(report.head.label)}`];
  if (changed.length) {
    const notes = (s: StackDiff) =>
      [s.models.length ? `${s.models.length} model${s.models.length > 1 ? "s" : ""}` : "", s.counts.move ? `${s.counts.move} moved` : "", s.dangers.length ? `⚠️ ${s.dangers.length} destructive` : "", s.violations.length ? `${s.violations.length} policy` : "", s.preflight.length ? `${s.preflight.length} preflight` : ""]
        .filter(Boolean)
        .join(", ");
    const rows = changed.map((s) => [s.stack, String(s.counts.create), String(s.counts.update), String(s.counts.replace), String(s.counts.delete), notes(s)]);
    parts.push(table([["stack", "create", "update", "replace", "delete", ""], ...rows], ["l", "r", "r", "r", "r", "l"]));
  } else {
    parts.push(report.stacks.length ? "No changes in any stack." : "No stacks to compare.");
  }
  if (changed.length && same.length) parts.push(`<details><summary>${same.length} ${same.length === 1 ? "stack" : "stacks"} without changes</summary>\n\n${same.map(escapeHtml).join(", ")}\n\n</details>`);
  return parts;
}

function layout(report: DiffReport): Part[] {
  const parts: Part[] = [COMMENT_MARKER, ...overview(report)];
  for (const s of report.stacks.filter(hasChanges)) {
    parts.push(...stackSummary(s));
    if (s.outputs.length) parts.push(foldable(1, (level) => outputsBlock(s.outputs, level)));
    for (const group of groupByComponent(s.resources)) parts.push(foldable(3, (level) => groupBlock(group, level)));
  }
  return parts;
}

const text = (part: Part) => (typeof part === "string" ? part : part.render(part.level));
const joined = (parts: readonly Part[]) => `${parts.map(text).join("\n\n")}\n`;

/**
 * A sticky pull-request comment: counts per stack, unchanged stacks folded into one line, the
 * models, danger and accelerators in full, then per component collapsed per-resource diffs. When
 * the text exceeds `budget`, the largest groups fold one level at a time (first their property
 * lists, then their resources), so the summary at the top is never cut.
 */
export function formatMarkdown(report: DiffReport, budget = DEFAULT_BUDGET): string {
  const parts = layout(report);
  const foldables = parts.filter((p): p is Foldable => typeof p !== "string");
  let size = joined(parts).length;
  while (size > budget) {
    const candidates = foldables.filter((f) => f.level < f.max);
    if (candidates.length === 0) break;
    const largest = candidates.reduce((a, b) => (b.render(b.level).length > a.render(a.level).length ? b : a));
    size -= largest.render(largest.level).length;
    largest.level += 1;
    size += largest.render(largest.level).length;
  }
  let body = joined(parts);
  if (body.length > budget) {
    // Thousands of components: even one line each is too much. Keep the summaries only.
    const summaries = parts.filter((p): p is string => typeof p === "string");
    body = joined([...summaries, `Resource details of ${foldables.length} groups folded; ${ARTIFACT_HINT}.`]);
  }
  if (foldables.some((f) => f.level > 0)) body += `\n<sub>Some details were folded to fit a GitHub comment; ${ARTIFACT_HINT} for every property.</sub>\n`;
  // Only a summary larger than a whole comment gets here: its tail is the least important part.
  if (budget > GITHUB_COMMENT_LIMIT || body.length <= GITHUB_COMMENT_LIMIT) return body;
  return `${body.slice(0, GITHUB_COMMENT_LIMIT - 200)}\n\n… cut at GitHub's comment limit; ${ARTIFACT_HINT}.\n`;
}
