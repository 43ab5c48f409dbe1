/**
 * Configuration problems and their messages, Pulumi-free: the CLI formats a render's problems
 * without loading the SDK (errors.ts adds the error `pulumi up` prints).
 */
import type { z } from "zod";
import { closest, didYouMean } from "../../lib/suggest";
import { Secret } from "../common/secret";
import { formatKeyPath } from "./key-path";

export { formatKeyPath } from "./key-path";

/** One problem in a stack's configuration: where it is and what is wrong. */
export interface ConfigProblem {
  /** The stack file, e.g. `Pulumi.prod.yaml`. */
  readonly file: string;
  /** The key path, e.g. `llmops:regions[1]`. */
  readonly key: string;
  /** What was wrong and what is allowed. */
  readonly message: string;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return [`Invalid stack configuration (${count}); nothing was created:`, ...problems.map((p) => `  ${p.file}: ${p.key}: ${p.message}`)].join("\n");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: any = root;
  for (const part of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[part as any];
  }
  return node;
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value instanceof Secret) return "a secure value";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (value instanceof Secret) return "a secure value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${show(value)}`;
}

const KIND_NAMES: Record<string, string> = {
  array: "a list",
  object: "an object (a YAML mapping)",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  record: "a mapping of names to values",
};

/** The keys an object schema accepts at `path`, for "allowed:" lists on unknown keys. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: any = schema;
  const unwrap = () => {
    for (;;) {
      const def = node?._zod?.def;
      if (!def) return;
      if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault" || def.type === "readonly") node = def.innerType;
      else if (def.type === "pipe") node = def.in;
      else return;
    }
  };
  unwrap();
  for (const part of path) {
    const def = node?._zod?.def;
    if (!def) return [];
    if (def.type === "object") node = def.shape[part as string];
    else if (def.type === "array") node = def.element;
    else if (def.type === "record") node = def.valueType;
    else return [];
    unwrap();
  }
  const def = node?._zod?.def;
  return def?.type === "object" ? Object.keys(def.shape) : [];
}

/**
 * Turns zod issues into problems that name the file, the key path, what was wrong and what is
 * allowed. Unknown keys become one problem each, with a did-you-mean hint.
 */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], input: unknown, schema: z.ZodType, file: string, secretKeys: readonly string[] = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    // A value under a secret key is never quoted back, even when it is the mistake.
    const secret = secretKeys.includes(formatKeyPath(issue.path.slice(0, 2)));
    const got = secret ? "[secret]" : valueAt(input, issue.path);
    const credential = issue.code === "custom" ? (issue.params as { credential?: string } | undefined)?.credential : undefined;
    if (credential !== undefined) {
      // Never the value: a credential in plain text is exactly what must not be printed.
      const key = formatKeyPath(issue.path);
      problems.push({
        file,
        key,
        message: `${issue.message}; allowed: a secure value, set with: pulumi config set --secret --path '${key}' <${credential}>`,
      });
      continue;
    }
    switch (issue.code) {
      case "unrecognized_keys": {
        const allowed = knownKeys(schema, issue.path);
        for (const key of issue.keys) {
          const hint = closest(key, allowed);
          const key_ = formatKeyPath([...issue.path, key]);
          const suggestion = hint ? ` did you mean "${formatKeyPath([...issue.path, hint])}"?` : "";
          problems.push({ file, key: key_, message: `unknown key;${suggestion} allowed: ${allowed.join(", ")}` });
        }
        break;
      }
      case "invalid_value": {
        const allowed = issue.values.map(String);
        const hint = typeof got === "string" ? didYouMean(got, allowed) : "";
        const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(", ")}, … (${allowed.length} in all)` : allowed.join(", ");
        const what = got === undefined ? "missing" : `${show(got)} is not allowed${hint}`;
        problems.push({ file, key: formatKeyPath(issue.path), message: `${what}; allowed: ${list}` });
        break;
      }
      case "invalid_type": {
        const expected = KIND_NAMES[issue.expected] ?? issue.expected;
        const message = got === undefined ? (issue.message.startsWith("Invalid input") ? `missing; expected ${expected}` : issue.message) : `got ${kindOf(got)}; expected ${expected}`;
        problems.push({ file, key: formatKeyPath(issue.path), message });
        break;
      }
      case "too_small":
      case "too_big": {
        const bound = issue.code === "too_small" ? "at least" : "at most";
        const limit = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
        const custom = !issue.message.startsWith("Too ");
        const what = issue.origin === "array" ? `${limit} item(s)` : issue.origin === "string" ? `${limit} character(s)` : limit;
        problems.push({ file, key: formatKeyPath(issue.path), message: custom ? issue.message : `${show(got)} is out of range; allowed: ${bound} ${what}` });
        break;
      }
      case "invalid_format":
        problems.push({ file, key: formatKeyPath(issue.path), message: `${show(got)}: ${issue.message.startsWith("Invalid") ? `does not match ${issue.format}` : issue.message}` });
        break;
      default:
        problems.push({ file, key: formatKeyPath(issue.path), message: issue.message });
    }
  }
  return problems;
}
