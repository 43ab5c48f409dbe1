import { ConfigError, type ConfigProblem, problemsFromIssues } from "./errors";
import { type StackSettings, resolveSettings } from "./resolve";
import { stackConfigSchema } from "./schema";

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

/**
 * Validates a whole stack's configuration and applies defaults. Every problem is reported at
 * once; nothing here touches Pulumi resources, so it runs before any is registered.
 */
export function parseStackConfig(flat: Readonly<Record<string, string>>, stack: string, secretKeys: readonly string[] = []): ParseResult {
  const file = `Pulumi.${stack}.yaml`;
  const input = namespacesFromFlatConfig(flat);
  const parsed = stackConfigSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: problemsFromIssues(parsed.error.issues, input, stackConfigSchema, file, secretKeys) };
  }
  const { settings, problems } = resolveSettings(parsed.data.llmops, parsed.data.gcp.project, stack, file);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, settings };
}

/** As `parseStackConfig`, throwing one `ConfigError` with every problem. */
export function loadStackConfig(flat: Readonly<Record<string, string>>, stack: string, secretKeys: readonly string[] = []): StackSettings {
  const result = parseStackConfig(flat, stack, secretKeys);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.settings;
}
