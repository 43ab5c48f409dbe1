import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { Plan } from "../../lib/plan";
import { ROOT } from "./project";

/** One YAML example of a README: a fragment of a stack file's `config:` and what it must render to. */
export interface ReadmeExample {
  /** The heading the example sits under, and its line: how a failure names it. */
  readonly title: string;
  readonly line: number;
  readonly yaml: string;
  /** `# expect: <type> <count>, …`, in the order written; undefined when the block has no such line. */
  readonly expect?: readonly Expectation[];
  /**
   * `# over: [<README path>] "<title>"`: the example is a fragment laid over another example
   * (of this README, or of the one named), mappings merged key by key, anything else replaced.
   */
  readonly over?: { readonly readme?: string; readonly title: string };
}

export interface Expectation {
  readonly type: string;
  readonly count: number;
}

const EXPECT_LINE = /^#\s*expect:(.*)$/m;
const OVER_LINE = /^#\s*over:\s*(?:(\S+)\s+)?"([^"]+)"/m;
// A Pulumi type token (`gcp:storage/bucket:Bucket`, `kubernetes:apps/v1:Deployment`, `llmops:gke:Capacity`, `pulumi-nodejs:dynamic/…`) and a count.
const EXPECTATION = /^([A-Za-z][\w.-]*:[\w./-]*:[\w.-]+)\s+(\d+)$/;

/** Parses `# expect:`'s list; a malformed item is an error naming it, never a silently skipped check. */
export function parseExpectations(list: string): Expectation[] {
  const items = list.split(",").map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === "")) throw new Error(`"# expect:${list}": expected "<type> <count>, …"`);
  const seen = new Set<string>();
  return items.map((item) => {
    const m = EXPECTATION.exec(item);
    if (!m) throw new Error(`"${item}" in "# expect:${list}": expected a Pulumi type token and a count, e.g. "gcp:storage/bucket:Bucket 4"`);
    if (seen.has(m[1])) throw new Error(`"# expect:${list}" lists ${m[1]} twice`);
    seen.add(m[1]);
    return { type: m[1], count: Number(m[2]) };
  });
}

/**
 * The YAML blocks of a README that are stack configuration (their first key is a `namespace:key`
 * such as `llmops:gke`), each with its `# expect:` line. Other YAML (a compiled spec's excerpt)
 * is not an example of configuration and is left out.
 */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const examples: ReadmeExample[] = [];
  let title = "(top)";
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{1,6} (.+)$/.exec(lines[i]);
    if (heading) title = heading[1];
    if (lines[i] !== "```yaml") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== "```") end++;
    const yaml = lines.slice(start, end).join("\n");
    i = end;
    const firstKey = yaml.split("\n").find((l) => l.trim() !== "" && !l.startsWith("#"));
    if (!firstKey || !/^[a-z][\w-]*:[\w-]+:/.test(firstKey)) continue;
    const expectLine = EXPECT_LINE.exec(yaml);
    const overLine = OVER_LINE.exec(yaml);
    const over = overLine ? { title: overLine[2], ...(overLine[1] ? { readme: overLine[1] } : {}) } : undefined;
    examples.push({ title, line: start, yaml, expect: expectLine ? parseExpectations(expectLine[1]) : undefined, ...(over ? { over } : {}) });
  }
  return examples;
}

/** An example's YAML as the config fragment it is (stack file keys to values). */
export function exampleConfig(example: ReadmeExample): Record<string, unknown> {
  const value = parse(example.yaml) as unknown;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`example "${example.title}" (line ${example.line}) is not a mapping of stack config keys`);
  return value as Record<string, unknown>;
}

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `top` laid over `base`: mappings merged key by key, any other value (a list too) replaced. */
export function layOver(base: Record<string, unknown>, top: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) out[key] = isMapping(value) && isMapping(base[key]) ? layOver(base[key], value) : value;
  return out;
}

/** Every way the plan differs from the expectations: one line per type whose count is not the one expected. */
export function unmetExpectations(plan: Pick<Plan, "resources">, expectations: readonly Expectation[]): string[] {
  return expectations.flatMap(({ type, count }) => {
    const found = plan.resources.filter((r) => r.type === type).length;
    return found === count ? [] : [`${type}: expected ${count}, rendered ${found}`];
  });
}

/** The examples of a README, by its path from the project root. */
export const examplesOf = (readme: string) => readmeExamples(fs.readFileSync(path.join(ROOT, readme), "utf8"));

/** An example's whole config fragment: itself, laid over the example it names with `# over:`. */
export function resolvedConfig(readme: string, example: ReadmeExample): Record<string, unknown> {
  if (!example.over) return exampleConfig(example);
  const baseReadme = example.over.readme ?? readme;
  const base = examplesOf(baseReadme).find((e) => e.title === example.over!.title);
  if (!base) throw new Error(`example "${example.title}" of ${readme} is laid over "${example.over.title}", which ${baseReadme} has no example titled`);
  return layOver(resolvedConfig(baseReadme, base), exampleConfig(example));
}

