import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, parseDocument } from "yaml";
import type { ConfigProblem } from "../settings";

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
  /** Keys whose value is (or holds) a `secure:` value, rendered as "[secret]". */
  readonly secretKeys: string[];
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; problems: ConfigProblem[] };

export const SECRET_PLACEHOLDER = "[secret]";

function yamlProblems(file: string, text: string): { doc: ReturnType<typeof parseDocument>; problems: ConfigProblem[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((e) => {
    const line = e.linePos?.[0];
    return { file, key: line ? `line ${line.line}, column ${line.col}` : "(file)", message: `not valid YAML: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}` };
  });
  return { doc, problems };
}

export function readProjectFile(dir: string): Loaded<ProjectFile> {
  const file = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(file)) return { ok: false, problems: [{ file: "Pulumi.yaml", key: "(file)", message: `not found in ${dir}; run from the project folder` }] };
  const { doc, problems } = yamlProblems("Pulumi.yaml", fs.readFileSync(file, "utf8"));
  if (problems.length) return { ok: false, problems };
  const data = (doc.toJS() ?? {}) as Record<string, any>;
  const config: Record<string, any> = {};
  for (const [key, decl] of Object.entries<any>(data.config ?? {})) {
    const full = key.includes(":") ? key : `${data.name}:${key}`;
    config[full] = decl !== null && typeof decl === "object" && !Array.isArray(decl) ? decl : { value: decl };
  }
  return { ok: true, value: { name: String(data.name), main: String(data.main ?? "."), config } };
}

/** Replaces every `secure:` value with the placeholder; reports whether any was found. */
function maskSecure(value: unknown): { value: unknown; secret: boolean } {
  if (Array.isArray(value)) {
    const items = value.map(maskSecure);
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure") return { value: SECRET_PLACEHOLDER, secret: true };
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const masked = maskSecure(v);
      out[k] = masked.value;
      secret ||= masked.secret;
    }
    return { value: out, secret };
  }
  return { value, secret: false };
}

/** Lists the stacks that have a `Pulumi.<stack>.yaml` beside the project file. */
export function listStacks(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

export function stackFilePath(dir: string, stack: string): string {
  const yml = path.join(dir, `Pulumi.${stack}.yml`);
  return fs.existsSync(yml) ? yml : path.join(dir, `Pulumi.${stack}.yaml`);
}

/**
 * Reads a stack file the way the Pulumi CLI hands it to the program: project-level defaults
 * first, the stack's values over them, structured values JSON-encoded. Secure values cannot be
 * decrypted without the stack's key, so they become "[secret]" and are never printed.
 */
export function readStackFile(dir: string, stack: string, project: ProjectFile): Loaded<StackFile> {
  const filePath = stackFilePath(dir, stack);
  const file = path.basename(filePath);
  if (!fs.existsSync(filePath)) return { ok: false, problems: [{ file, key: "(file)", message: `no such stack file in ${dir}; stacks here: ${listStacks(dir).join(", ") || "none"}` }] };
  return stackFileFromText(stack, file, fs.readFileSync(filePath, "utf8"), project);
}

/** As `readStackFile`, for text not on disk yet: `llmops promote` validates an edit before writing it. */
export function stackFileFromText(stack: string, file: string, text: string, project: ProjectFile): Loaded<StackFile> {
  const { doc, problems } = yamlProblems(file, text);
  if (problems.length) return { ok: false, problems };
  if (doc.contents !== null && !isMap(doc.contents)) return { ok: false, problems: [{ file, key: "(file)", message: "expected a mapping with a `config:` key" }] };
  const configNode = doc.get("config", true);
  if (configNode !== undefined && configNode !== null && !isMap(configNode) && !(isScalar(configNode) && configNode.value === null)) {
    return { ok: false, problems: [{ file, key: "config", message: "expected a mapping of `namespace:key` to values" }] };
  }
  const values = ((doc.toJS() ?? {}) as Record<string, any>).config ?? {};

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, decl] of Object.entries(project.config)) {
    const fallback = decl.value ?? decl.default;
    if (fallback !== undefined) config[key] = typeof fallback === "string" ? fallback : JSON.stringify(fallback);
  }
  for (const [rawKey, raw] of Object.entries<unknown>(values)) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    const { value, secret } = maskSecure(raw);
    if (secret) secretKeys.push(key);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { ok: true, value: { stack, file, config, secretKeys: secretKeys.sort() } };
}
