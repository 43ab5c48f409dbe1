import * as fs from "node:fs";
import * as path from "node:path";
import { type Document, LineCounter, type Node, type Pair, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import type { ConfigProblem } from "./errors";
import { type KeyPath, type SecretInfo, formatKeyPath } from "./key-path";

/**
 * Stack files read the way the Pulumi CLI reads them and hands their config to the program. Every
 * rule here mirrors the CLI (pulumi/pulumi `sdk/go/common/workspace/loaders.go`,
 * `sdk/go/common/resource/config/key.go` and `value.go`), so that what `llmops plan` validates is
 * what `pulumi up` runs; where the CLI would pick a value at random, this refuses instead.
 */

export interface ProjectFile {
  readonly name: string;
  readonly main: string;
  /** Project-level config declarations (`config:` in Pulumi.yaml), by full key. */
  readonly config: Readonly<Record<string, { type?: string; default?: unknown; value?: unknown }>>;
}

export interface StackFile {
  readonly stack: string;
  readonly file: string;
  /** `namespace:key` to string, structured values JSON-encoded: what Pulumi hands the program. */
  readonly config: Record<string, string>;
  /** Keys whose value is (or holds) a `secure:` value, rendered as "[secret]": what Pulumi tells the program. */
  readonly secretKeys: string[];
  /** Where exactly each `secure:` value is: `["llmops", "monitoring", "channels", "slack", "authToken"]`. */
  readonly secretPaths: KeyPath[];
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

export const SECRET_PLACEHOLDER = "[secret]";

/**
 * Stack names as Pulumi allows them (pulumi/pulumi `pkg/backend/diy/backend.go`,
 * `validateStackName`: "stack names may only contain alphanumeric, hyphens, underscores, or
 * periods", at most 100). Nothing else may name a file: no separator, so no path outside the
 * project folder, and no markup reaches a report.
 */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function stackNameProblem(stack: string): string | undefined {
  if (STACK_NAME.test(stack) && stack !== "." && stack !== "..") return undefined;
  const shown = JSON.stringify(stack.length > 60 ? `${stack.slice(0, 57)}...` : stack);
  const qualified = /^[A-Za-z0-9_.-]+\/([A-Za-z0-9_.-]+\/)?([A-Za-z0-9_.-]{1,100})$/.exec(stack);
  const hint = qualified ? ` (for org/project/stack, give the stack's own name: ${qualified[2]})` : "";
  return `${shown} is not a stack name${hint}; allowed: 1-100 letters, digits, '-', '_' or '.' (Pulumi's stack names), naming Pulumi.<stack>.yaml in the project folder`;
}

/** Alias expansions allowed per anchor (the `yaml` default): more is an alias bomb, not configuration. */
const MAX_ALIAS_COUNT = 100;

function parse(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  // Merge keys (`<<: *base`) as the Pulumi CLI's YAML decoder (go-yaml v3) applies them.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true, merge: true, lineCounter: lines });
  return { doc, lines };
}

function yamlProblems(file: string, doc: Document.Parsed): ConfigProblem[] {
  return doc.errors.map((e) => {
    const line = e.linePos?.[0];
    return { file, key: line ? `line ${line.line}, column ${line.col}` : "(file)", message: `not valid YAML: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}` };
  });
}

/** A node's value as plain JS, or the reason it has none (an alias bomb). */
function toJs(node: unknown, doc: Document.Parsed): { ok: true; value: unknown } | { ok: false; message: string } {
  if (node === null || node === undefined) return { ok: true, value: null };
  try {
    return { ok: true, value: (node as Node).toJS(doc, { maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (err) {
    // Whatever `toJS` refuses is the YAML's structure, never a bug here: an alias bomb, an alias
    // before its anchor, a merge key whose source is not a mapping (all found by the fuzz test).
    const message = (err as Error).message.split("\n")[0];
    if (/alias count/i.test(message)) {
      return { ok: false, message: `its YAML aliases expand too far (${message.toLowerCase()}); allowed: at most ${MAX_ALIAS_COUNT} expansions of one anchor: write the values out` };
    }
    return { ok: false, message: `its YAML cannot be read as a value (${message}); allowed: aliases after their anchor, merge keys (<<) of mappings only` };
  }
}

function lineOf(lines: LineCounter, node: unknown): number {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? lines.linePos(range[0]).line : 0;
}

export function readProjectFile(dir: string): Loaded<ProjectFile> {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) return { ok: false, problems: [{ file: "Pulumi.yaml", key: "(file)", message: `not found in ${dir}; run from the project folder` }] };
  const { doc } = parse(fs.readFileSync(file, "utf8"));
  const problems = yamlProblems("Pulumi.yaml", doc);
  if (problems.length) return { ok: false, problems };
  const js = toJs(doc.contents, doc);
  if (!js.ok) return { ok: false, problems: [{ file: "Pulumi.yaml", key: "(file)", message: js.message }] };
  const data = (js.value !== null && typeof js.value === "object" ? js.value : {}) as Record<string, any>;
  const config: Record<string, any> = {};
  for (const [key, decl] of Object.entries<any>(data.config ?? {})) {
    const full = key.includes(":") ? key : `${data.name}:${key}`;
    config[full] = decl !== null && typeof decl === "object" && !Array.isArray(decl) ? decl : { value: decl };
  }
  return { ok: true, value: { name: String(data.name), main: String(data.main ?? "."), config } };
}

/** Pulumi's secure value: a mapping of exactly `secure` to a string (`config/value.go`). */
function isSecure(value: unknown): boolean {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "secure" && typeof (value as { secure: unknown }).secure === "string";
}

/** Replaces every `secure:` value with the placeholder, recording where each one was. */
function maskSecure(value: unknown, at: KeyPath, found: KeyPath[]): unknown {
  if (isSecure(value)) {
    found.push(at);
    return SECRET_PLACEHOLDER;
  }
  if (Array.isArray(value)) return value.map((v, i) => maskSecure(v, [...at, i], found));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskSecure(v, [...at, k], found)]));
  }
  return value;
}

/** Lists the stacks that have a `Pulumi.<stack>.yaml` beside the project file (valid stack names only). */
export function listStacks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined && stackNameProblem(s) === undefined)
    .sort();
}

/**
 * The stack file of a stack: `Pulumi.<stack>.yaml` (or `.yml`) in the project folder, nothing else.
 * Throws on a name Pulumi would not accept; callers validate first with `stackNameProblem`.
 */
export function stackFilePath(dir: string, stack: string): string {
  const problem = stackNameProblem(stack);
  if (problem) throw new Error(`stackFilePath called with an unchecked stack name: ${problem}`);
  const yml = path.join(dir, `Pulumi.${stack}.yml`);
  return fs.existsSync(yml) ? yml : path.join(dir, `Pulumi.${stack}.yaml`);
}

/**
 * Reads a stack file the way the Pulumi CLI hands it to the program: project-level defaults
 * first, the stack's values over them, structured values JSON-encoded. Secure values cannot be
 * decrypted without the stack's key, so they become "[secret]" and are never printed.
 */
export function readStackFile(dir: string, stack: string, project: ProjectFile): Loaded<StackFile> {
  const problem = stackNameProblem(stack);
  if (problem) return { ok: false, problems: [{ file: "(stack)", key: "--stack", message: problem }] };
  const filePath = stackFilePath(dir, stack);
  const file = path.basename(filePath);
  if (!fs.existsSync(filePath)) return { ok: false, problems: [{ file, key: "(file)", message: `no such stack file in ${dir}; stacks here: ${listStacks(dir).join(", ") || "none"}` }] };
  return stackFileFromText(stack, file, fs.readFileSync(filePath, "utf8"), project);
}

/**
 * A `config:` key as Pulumi resolves it: a bare key is in the project's namespace
 * (`stackConfigNamespacedWithProject`), `ns:config:name` is the old spelling of `ns:name`, and any
 * other number of colons is refused (`config.ParseKey`).
 */
export function resolveConfigKey(raw: string, project: string): { namespace: string; name: string } | undefined {
  const key = raw.includes(":") ? raw : `${project}:${raw}`;
  const parts = key.split(":");
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return { namespace: parts[0], name: parts[2] };
  return undefined;
}

/**
 * The pairs of the `config:` mapping as the CLI's decoder sees them: a merge key (`<<: *base`)
 * contributes the merged mapping's pairs, except those the mapping spells out itself. Each pair
 * comes with the node whose line names it (the merge key, for merged pairs).
 */
function configKeyPairs(items: readonly Pair[], doc: Document.Parsed): { pair: Pair; lineNode: unknown }[] {
  const isMerge = (p: Pair) => isScalar(p.key) && typeof p.key.value === "symbol" && p.key.source === "<<";
  const explicit = items.filter((p) => !isMerge(p));
  const own = new Set(explicit.map((p) => (isScalar(p.key) ? String(p.key.value) : "")));
  const out = explicit.map((pair) => ({ pair, lineNode: pair.key }));
  for (const merge of items.filter(isMerge)) {
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    for (const source of sources) {
      const map = isAlias(source) ? source.resolve(doc) : source;
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        const raw = isScalar(pair.key) ? String(pair.key.value) : "";
        if (own.has(raw)) continue;
        own.add(raw);
        out.push({ pair, lineNode: merge.key });
      }
    }
  }
  return out;
}

/** As `readStackFile`, for text not on disk yet: `llmops promote` validates an edit before writing it. */
export function stackFileFromText(stack: string, file: string, text: string, project: ProjectFile): Loaded<StackFile> {
  const { doc, lines } = parse(text);
  const yaml = yamlProblems(file, doc);
  if (yaml.length) return { ok: false, problems: yaml };
  if (doc.contents !== null && !isMap(doc.contents)) return { ok: false, problems: [{ file, key: "(file)", message: "expected a mapping with a `config:` key" }] };
  const configNode = doc.get("config", true);
  if (configNode !== undefined && configNode !== null && !isMap(configNode) && !(isScalar(configNode) && configNode.value === null)) {
    return { ok: false, problems: [{ file, key: "config", message: "expected a mapping of `namespace:key` to values" }] };
  }
  const pairs = isMap(configNode) ? configKeyPairs(configNode.items, doc) : [];

  const problems: ConfigProblem[] = [];
  const config: Record<string, string> = {};
  const secretPaths: KeyPath[] = [];
  for (const [key, decl] of Object.entries(project.config)) {
    const fallback = decl.value ?? decl.default;
    if (fallback !== undefined) config[key] = typeof fallback === "string" ? fallback : JSON.stringify(fallback);
  }

  // Every spelling of one key, with its line: Pulumi keeps one of them (Go map order, at random).
  const spellings = new Map<string, { raw: string; line: number }[]>();
  const values: [string, KeyPath, Pair][] = [];
  for (const { pair, lineNode } of pairs) {
    const keyNode = pair.key;
    const line = lineOf(lines, lineNode);
    if (!isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number" && typeof keyNode.value !== "boolean")) {
      // A merge key's entries are keys of their own; anything else is not a config key.
      problems.push({ file, key: `line ${line}`, message: "not a config key; allowed: namespace:name (or a name in the project's namespace)" });
      continue;
    }
    const raw = String(keyNode.value);
    const resolved = resolveConfigKey(raw, project.name);
    if (!resolved) {
      problems.push({ file, key: raw, message: `Pulumi cannot parse this as a configuration key (line ${line}); allowed: namespace:name, or name alone for the ${project.name} namespace` });
      continue;
    }
    const full = `${resolved.namespace}:${resolved.name}`;
    const list = spellings.get(full) ?? [];
    list.push({ raw, line });
    spellings.set(full, list);
    values.push([full, [resolved.namespace, resolved.name], pair]);
  }
  for (const [full, list] of spellings) {
    if (list.length < 2) continue;
    const where = list.map((s) => `line ${s.line} (${JSON.stringify(s.raw)})`).join(" and ");
    problems.push({ file, key: full, message: `set twice: ${where} both mean ${full}, and Pulumi would keep one of them at random; allowed: each key once, in one spelling` });
  }
  if (problems.length) return { ok: false, problems };

  for (const [full, at, pair] of values) {
    const js = toJs(pair.value, doc);
    if (!js.ok) {
      problems.push({ file, key: formatKeyPath(at), message: `${js.message} (line ${lineOf(lines, pair.value ?? pair.key)})` });
      continue;
    }
    const value = maskSecure(js.value, at, secretPaths);
    // A top-level `null` reaches the program as an empty string (`checkForEmptyConfig`).
    config[full] = value === null ? "" : typeof value === "string" ? value : JSON.stringify(value);
  }
  if (problems.length) return { ok: false, problems };
  const secretKeys = [...new Set(secretPaths.map((p) => `${p[0]}:${p[1]}`))].sort();
  return { ok: true, value: { stack, file, config, secretKeys, secretPaths: secretPaths.sort((a, b) => (formatKeyPath(a) < formatKeyPath(b) ? -1 : 1)) } };
}

/** What the settings layer needs to know about secrets in this file. */
export function secretInfo(file: StackFile): SecretInfo {
  return { keys: file.secretKeys, paths: file.secretPaths };
}
