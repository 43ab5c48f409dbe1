import * as fs from "node:fs";
import { POLICIES } from "./registry";
import type { EnforcementLevel, Environment, Policy } from "./types";

/**
 * Policy config in CrossGuard's own format, so one file serves both engines:
 * `pulumi preview --policy-pack policies --policy-pack-config F` and `llmops policy --config F`.
 *
 *   { "all": "advisory",                                   // every policy's level
 *     "prod-canary-weight": { "enforcementLevel": "mandatory", "maxPercent": 20 },
 *     "iam-no-basic-roles": "disabled" }
 *
 * A policy's level is its own entry's, else `all`'s, else its default for the environment
 * (`Policy.enforcement`). Settings not given keep the policy's defaults for the environment.
 * `policies/config/<environment>.json` spell out the defaults for `pulumi preview`, which cannot
 * tell environments apart on its own (see README); a test keeps them equal to this code.
 */

export type PolicyConfigEntry = EnforcementLevel | ({ readonly enforcementLevel?: EnforcementLevel } & Readonly<Record<string, unknown>>);
export type PackConfig = Readonly<Record<string, PolicyConfigEntry>>;

const LEVELS: readonly string[] = ["advisory", "mandatory", "disabled"];

function entryOf(config: PackConfig | undefined, key: string): { level?: EnforcementLevel; settings: Readonly<Record<string, unknown>> } {
  const entry = config?.[key];
  if (entry === undefined) return { settings: {} };
  if (typeof entry === "string") return { level: entry, settings: {} };
  const { enforcementLevel, ...settings } = entry;
  return { level: enforcementLevel, settings };
}

export function levelFor(policy: Policy, environment: Environment, config?: PackConfig): EnforcementLevel {
  return entryOf(config, policy.name).level ?? entryOf(config, "all").level ?? policy.enforcement[environment];
}

/** The policy's defaults for the environment, overlaid with configured settings and validated. */
export function settingsFor(policy: Policy, environment: Environment, configured: Readonly<Record<string, unknown>> = {}): object {
  if (!policy.settings) return {};
  const merged = { ...policy.settings.defaults(environment), ...configured };
  const parsed = policy.settings.schema.safeParse(merged);
  if (!parsed.success) throw new Error(`policy config for ${policy.name}: ${parsed.error.issues.map((i) => `${[policy.name, ...i.path].join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

export function configuredSettings(policy: Policy, config?: PackConfig): Readonly<Record<string, unknown>> {
  return entryOf(config, policy.name).settings;
}

/** What `policies/config/<environment>.json` holds: every policy's level and settings for the environment. */
export function packConfig(environment: Environment, policies: readonly Policy[] = POLICIES): Record<string, { enforcementLevel: EnforcementLevel } & Record<string, unknown>> {
  const out: Record<string, { enforcementLevel: EnforcementLevel } & Record<string, unknown>> = {};
  for (const p of [...policies].sort((a, b) => a.name.localeCompare(b.name))) {
    out[p.name] = { enforcementLevel: p.enforcement[environment], ...(p.settings?.defaults(environment) ?? {}) };
  }
  return out;
}

/** Every problem of a config object, as `<file>: <policy>.<key>: <message>`. */
export function configProblems(config: unknown, source: string, policies: readonly Policy[] = POLICIES): string[] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) return [`${source}: expected a JSON object of policy names`];
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(config)) {
    const policy = policies.find((p) => p.name === key);
    if (!policy && key !== "all") {
      problems.push(`${source}: ${key}: unknown policy; allowed: all, ${policies.map((p) => p.name).join(", ")}`);
      continue;
    }
    if (typeof entry === "string") {
      if (!LEVELS.includes(entry)) problems.push(`${source}: ${key}: unknown enforcement level "${entry}"; allowed: ${LEVELS.join(", ")}`);
      continue;
    }
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(`${source}: ${key}: expected an enforcement level or an object`);
      continue;
    }
    const { enforcementLevel, ...settings } = entry as Record<string, unknown>;
    if (enforcementLevel !== undefined && !LEVELS.includes(String(enforcementLevel))) problems.push(`${source}: ${key}.enforcementLevel: unknown level ${JSON.stringify(enforcementLevel)}; allowed: ${LEVELS.join(", ")}`);
    if (!policy) continue;
    const known = Object.keys(policy.settings?.defaults("prod") ?? {});
    for (const name of Object.keys(settings)) if (!known.includes(name)) problems.push(`${source}: ${key}.${name}: unknown setting; allowed: enforcementLevel${known.length ? `, ${known.join(", ")}` : ""}`);
    if (policy.settings && Object.keys(settings).every((n) => known.includes(n))) {
      try {
        settingsFor(policy, "prod", settings);
      } catch (err) {
        problems.push(`${source}: ${(err as Error).message.replace(/^policy config for [^:]+: /, "")}`);
      }
    }
  }
  return problems;
}

export class PolicyConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid policy config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
    this.name = "PolicyConfigError";
  }
}

export function loadPackConfig(file: string): PackConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new PolicyConfigError([`${file}: ${(err as Error).message}`]);
  }
  const problems = configProblems(parsed, file);
  if (problems.length) throw new PolicyConfigError(problems);
  return parsed as PackConfig;
}
