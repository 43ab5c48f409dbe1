import * as fs from "node:fs";
import * as path from "node:path";
import { loadCatalog } from "../cost";
import { UserError } from "../project";
import { deploySteps } from "./deploys";
import { formatMarkdown } from "./format-markdown";
import { formatText } from "./format-text";
import { type CheckSource, type PreflightSource, type ViolationSource, diffStack } from "./report";
import { resolveSide } from "./sides";
import { type DiffReport, FORMATS, type Format } from "./types";

export { diffStack, type CheckSource, type PreflightSource, type ViolationSource } from "./report";
export { formatMarkdown, COMMENT_MARKER, GITHUB_COMMENT_LIMIT } from "./format-markdown";
export { formatText } from "./format-text";
export { PROPERTY_RULES, type PropertyRule } from "./replacements";
export type * from "./types";
export type { BudgetCrossing, CostDelta, CostLineDelta, CostLineSide, CostSide } from "./cost";

export { FORMATS, type Format } from "./types";

export interface DiffOptions {
  readonly dir: string;
  /** Git revision, plan file or folder of plan files. @default main */
  readonly base?: string;
  /** As `base`; omitted: the working tree. */
  readonly head?: string;
  readonly stacks?: readonly string[];
  /** Reuse plans rendered from the same files and configuration (default true; `--no-cache`). */
  readonly cache?: boolean;
  /** Price catalog for the cost section; default the committed policies/cost/catalog/prices.json. */
  readonly catalog?: string;
  /** The CI run that made the report, for the footer. */
  readonly runUrl?: string;
  /** When the report was made (ISO 8601); default: now. */
  readonly at?: string;
  /** Policy findings a change introduces; none by default. */
  readonly violationSources?: readonly ViolationSource[];
  /** Apply-time findings a change introduces; none by default. */
  readonly preflightSources?: readonly PreflightSource[];
  /** What each check examined, so that a pass is reported too; none by default. */
  readonly checkSources?: readonly CheckSource[];
}

/** Renders both sides of every requested stack and compares them. */
export async function diffReport(options: DiffOptions): Promise<DiffReport> {
  const catalog = loadCatalog(options.catalog);
  const base = resolveSide(options.dir, options.base ?? "main", options.cache !== false);
  try {
    const head = resolveSide(options.dir, options.head, options.cache !== false);
    try {
      const known = [...new Set([...base.stacks, ...head.stacks])].sort();
      const stacks = options.stacks?.length ? [...options.stacks] : known;
      const unknown = stacks.filter((s) => !known.includes(s));
      if (unknown.length) throw new UserError(`no stack ${unknown.join(", ")} in ${base.info.label} or ${head.info.label}; stacks: ${known.join(", ") || "none"}`);
      const [before, after] = await Promise.all([base.plans(stacks), head.plans(stacks)]);
      const deploys = deploySteps(options.dir);
      const context = { at: options.at ?? new Date().toISOString().replace(/\.\d+Z$/, "Z"), ...(options.runUrl && { runUrl: options.runUrl }) };
      return { base: base.info, head: head.info, context, ...(deploys && { deploys }), stacks: stacks.map((s) => diffStack(s, before.get(s), after.get(s), { sources: options.violationSources, preflightSources: options.preflightSources, checkSources: options.checkSources, catalog })) };
    } finally {
      head.dispose();
    }
  } finally {
    base.dispose();
  }
}

export function formatReport(report: DiffReport, format: Format): string {
  switch (format) {
    case "text":
      return formatText(report);
    case "markdown":
      return formatMarkdown(report);
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
  }
}

export interface DiffCommandOptions extends DiffOptions {
  readonly format: string;
  /** Write the chosen format here instead of stdout. */
  readonly output?: string;
  /** Also write the JSON report here (CI: the markdown for the comment, the JSON for bots). */
  readonly json?: string;
}

export async function diff(options: DiffCommandOptions): Promise<DiffReport> {
  if (!(FORMATS as readonly string[]).includes(options.format)) throw new UserError(`unknown format "${options.format}"; allowed: ${FORMATS.join(", ")}`);
  const report = await diffReport(options);
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const text = formatReport(report, options.format as Format);
  if (options.output) write(options.output, text);
  else process.stdout.write(text);
  if (options.json) write(options.json, formatReport(report, "json"));
  return report;
}
