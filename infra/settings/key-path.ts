/** A key path in a stack's configuration: namespace, key, then nested keys and list indices. */
export type KeyPath = readonly (string | number)[];

/**
 * What is known about a stack's `secure:` values. `keys` is what Pulumi tells a program (the
 * top-level keys holding any secure value, `PULUMI_CONFIG_SECRET_KEYS`); `paths` says where each
 * secure value is, when the stack file could be read (always offline; in `pulumi up` when the
 * program's own stack file agrees with the config it was given).
 */
export interface SecretInfo {
  readonly keys: readonly string[];
  readonly paths?: readonly KeyPath[];
}

/**
 * `["llmops", "storage", "buckets", "models", "lifecycle", 0]` → `llmops:storage.buckets.models.lifecycle[0]`:
 * the syntax of `pulumi config set --path`, so a message's key can be pasted into the command.
 */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  const [namespace, key, ...rest] = path;
  let out = key === undefined ? String(namespace) : `${String(namespace)}:${String(key)}`;
  for (const part of rest) {
    out += typeof part === "number" ? `[${part}]` : /^[A-Za-z_][\w-]*$/.test(String(part)) ? `.${String(part)}` : `[${JSON.stringify(String(part))}]`;
  }
  return out;
}

/** Whether `path` is `prefix` or below it. */
export function isUnder(path: readonly PropertyKey[], prefix: readonly PropertyKey[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => String(p) === String(path[i]));
}
