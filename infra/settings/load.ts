import { ConfigError, type ConfigProblem, problemsFromIssues } from "./errors";
import { type SecretInfo, isUnder } from "./key-path";
import { type StackSettings, resolveSettings } from "./resolve";
import { stackConfigSchema } from "./schema";
import { misplacedSecretProblem, wrapSecrets } from "./secrets";

/**
 * Pulumi hands config to the program as a flat map of `namespace:key` to strings, with
 * structured values JSON-encoded. This turns it back into one object per namespace.
 */
export function namespacesFromFlatConfig(flat: Readonly<Record<string, string>>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const fullKey of Object.keys(flat).sort()) {
    const colon = fullKey.indexOf(":");
    const namespace = colon < 0 ? "" : fullKey.slice(0, colon);
    const key = colon < 0 ? fullKey : fullKey.slice(colon + 1);
    const raw = flat[fullKey];
    let value: unknown = raw;
    if (/^\s*[[{]/.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    (out[namespace] ??= {})[key] = value;
  }
  out.llmops ??= {};
  out.gcp ??= {};
  return out;
}

export type ParseResult = { ok: true; settings: StackSettings } | { ok: false; problems: ConfigProblem[] };

/** Secret keys as Pulumi names them (top-level keys only), or what the stack file says exactly. */
export type Secrets = readonly string[] | SecretInfo;

function secretInfo(secrets: Secrets): SecretInfo {
  return Array.isArray(secrets) ? { keys: secrets as readonly string[] } : (secrets as SecretInfo);
}

/**
 * Validates a whole stack's configuration and applies defaults. Every problem is reported at
 * once; nothing here touches Pulumi resources, so it runs before any is registered. `secrets`
 * says which values were `secure:`: they reach the schema as `Secret` holders, so credentials
 * are checked to be secure, other keys to be plain, and no secret is ever quoted.
 */
export function parseStackConfig(flat: Readonly<Record<string, string>>, stack: string, secrets: Secrets = []): ParseResult {
  const file = `Pulumi.${stack}.yaml`;
  const info = secretInfo(secrets);
  const input = namespacesFromFlatConfig(flat);
  const { misplaced } = wrapSecrets(input, stackConfigSchema, info);
  const misplacedProblems = misplaced.map((path) => misplacedSecretProblem(file, path));
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) {
    // A misplaced secure value is one problem, not also the type error it causes.
    const issues = parsed.error.issues.filter((issue) => !misplaced.some((path) => isUnder(issue.path, path)));
    // With exact paths every secure value is a Secret holder, which messages show as "a secure
    // value"; only without them must whole top-level keys be masked (a typo beside a secret too).
    const masked = info.paths ? [] : info.keys;
    return { ok: false, problems: [...misplacedProblems, ...problemsFromIssues(issues, input, stackConfigSchema, file, masked)] };
  }
  if (misplacedProblems.length) return { ok: false, problems: misplacedProblems };
  const { settings, problems } = resolveSettings(parsed.data.llmops, parsed.data.gcp.project, stack, file);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings };
}

/** As `parseStackConfig`, throwing one `ConfigError` with every problem. */
export function loadStackConfig(flat: Readonly<Record<string, string>>, stack: string, secrets: Secrets = []): StackSettings {
  const result = parseStackConfig(flat, stack, secrets);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.settings;
}
