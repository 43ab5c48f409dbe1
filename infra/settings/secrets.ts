import type { z } from "zod";
import { Secret, isSecretCapable } from "../common/secret";
import type { ConfigProblem } from "./errors";
import { type KeyPath, type SecretInfo, formatKeyPath } from "./key-path";

/**
 * Secure values, where they are and where they belong. The schema marks the fields that take
 * them (`acceptsSecret`: credentials, which must be secure, and values that may be); this wraps
 * each secure value of the configuration in a `Secret` before the schema runs, so a credential
 * written in plain text and a secure value where a plain one belongs are both found, by key path,
 * without ever reading a value.
 */

type Schema = z.ZodType | undefined;

/** The schema at `path` (namespace first), each wrapper it passes checked for secret-capability. */
export function schemaAt(root: z.ZodType, path: KeyPath): { schema: Schema; secretCapable: boolean } {
  let node: any = root;
  let capable = isSecretCapable(node);
  const unwrap = () => {
    for (;;) {
      capable ||= isSecretCapable(node);
      const def = node?._zod?.def;
      if (!def) return;
      if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "prefault" || def.type === "readonly" || def.type === "catch") node = def.innerType;
      else if (def.type === "pipe") node = def.in;
      else return;
    }
  };
  unwrap();
  for (const part of path) {
    capable = false;
    const def = node?._zod?.def;
    if (!def) return { schema: undefined, secretCapable: false };
    if (def.type === "object") {
      node = Object.hasOwn(def.shape, String(part)) ? def.shape[String(part)] : def.catchall && def.catchall._zod?.def.type !== "never" ? def.catchall : undefined;
    } else if (def.type === "array") node = typeof part === "number" ? def.element : undefined;
    else if (def.type === "record") node = def.valueType;
    else return { schema: undefined, secretCapable: false };
    if (!node) return { schema: undefined, secretCapable: false };
    unwrap();
  }
  return { schema: node, secretCapable: capable };
}

function valueAt(root: unknown, path: KeyPath): { found: boolean; parent?: any; key?: string | number } {
  let node: any = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (node === null || typeof node !== "object") return { found: false };
    node = node[path[i] as any];
  }
  const key = path[path.length - 1];
  if (node === null || typeof node !== "object" || !Object.hasOwn(node, key as any)) return { found: false };
  return { found: true, parent: node, key };
}

/** Every position below `value`, leaves only (the fallback when only top-level keys are known). */
function leaves(value: unknown, at: KeyPath, out: KeyPath[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...at, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) leaves(v, [...at, k], out);
  else out.push(at);
}

export interface WrappedSecrets {
  /** Secure values where the schema takes none: each its own problem. */
  readonly misplaced: readonly KeyPath[];
}

/**
 * Wraps the secure values of `input` (one object per namespace) in `Secret` holders, in place.
 * With exact paths, every secure value is wrapped, and those the schema does not take are
 * reported. With top-level keys only (a `pulumi up` whose stack file could not be matched), the
 * string values under a secret key that the schema takes as secrets are wrapped, and nothing is
 * reported: which of the others were secure is not known.
 */
export function wrapSecrets(input: Record<string, Record<string, unknown>>, schema: z.ZodType, secrets: SecretInfo): WrappedSecrets {
  const misplaced: KeyPath[] = [];
  if (secrets.paths) {
    for (const path of secrets.paths) {
      const at = valueAt(input, path);
      if (!at.found) continue;
      const { schema: target, secretCapable } = schemaAt(schema, path);
      const value = at.parent[at.key as any];
      at.parent[at.key as any] = new Secret(typeof value === "string" ? value : JSON.stringify(value));
      // A key the schema does not know is reported as unknown; a secure value there adds nothing.
      if (!secretCapable && target !== undefined) misplaced.push(path);
    }
    return { misplaced };
  }
  for (const key of secrets.keys) {
    const colon = key.indexOf(":");
    const top: KeyPath = [key.slice(0, colon), key.slice(colon + 1)];
    const root = valueAt(input, top);
    if (!root.found) continue;
    const positions: KeyPath[] = [];
    leaves(root.parent[root.key as any], top, positions);
    for (const path of positions) {
      const at = valueAt(input, path);
      const value = at.parent?.[at.key as any];
      if (typeof value === "string" && schemaAt(schema, path).secretCapable) at.parent[at.key as any] = new Secret(value);
    }
  }
  return { misplaced };
}

/** The problem of a secure value where the schema takes a plain one. */
export function misplacedSecretProblem(file: string, path: KeyPath): ConfigProblem {
  const key = formatKeyPath(path);
  return {
    file,
    key,
    message: `holds a secure value, but this key is not a secret (it is plain configuration, which plans, labels and resource names show); allowed: a plain value, set with: pulumi config set --path '${key}' <value>`,
  };
}
