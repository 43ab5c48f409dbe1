import type { z } from "zod";

/**
 * The shapes every rule works on, whichever engine runs it: the offline runner over a rendered
 * plan (`runner.ts`), or Pulumi CrossGuard during `pulumi preview` (`crossguard.ts`). Rules see
 * only these, never a `Plan` or a CrossGuard argument, so both engines run the same code.
 */

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const GROUPS = ["security", "reliability", "cost", "rollouts"] as const;
export type Group = (typeof GROUPS)[number];

export type Severity = "low" | "medium" | "high" | "critical";

/** CrossGuard's levels without `remediate`: these rules report, they never rewrite inputs. */
export type EnforcementLevel = "advisory" | "mandatory" | "disabled";

/**
 * One resource as both engines can describe it. `inputs` are plain JSON: a value the engine does
 * not know yet (preview) is `"[unknown]"`, a secret is `"[secret]"` (the plan's spelling).
 */
export interface PolicyResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** CrossGuard does not report `retainOnDelete`; rules must not depend on it. */
  readonly options: { readonly protect: boolean; readonly retainOnDelete?: boolean };
  readonly parentUrn?: string;
  /** The nearest `llmops:*` component above the resource (from the URN's type chain). */
  readonly component?: string;
}

/** Another stack's resources and outputs, for rules that compare stacks (prod against dev). */
export interface StackView {
  readonly stack: string;
  readonly environment: Environment;
  readonly resources: readonly PolicyResource[];
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export interface PolicyContext<S extends object = object> {
  readonly environment: Environment;
  readonly stack: string;
  /** The policy's settings: its defaults for the environment, overlaid with policy config. */
  readonly settings: S;
  /** Stack outputs, when the engine has them (the offline plan does; CrossGuard does not). */
  readonly outputs?: Readonly<Record<string, unknown>>;
  /** Other stacks checked in the same run (offline only). */
  readonly otherStacks?: readonly StackView[];
}

/** What a check reports; the engine adds the policy's metadata and enforcement level. */
export interface Finding {
  readonly message: string;
  /** The resource at fault; stack checks name it, resource checks default to the checked one. */
  readonly urn?: string;
}

/** A resource type token, or a pattern for families of them (every `*IamMember`). */
export type TypeMatch = string | RegExp;

export interface ResourceCheck<S extends object> {
  readonly types: readonly TypeMatch[];
  check(resource: PolicyResource, ctx: PolicyContext<S>): Finding[];
}

export interface StackCheck<S extends object> {
  check(resources: readonly PolicyResource[], ctx: PolicyContext<S>): Finding[];
}

/**
 * Settings a policy can be configured with. The zod schema validates policy config offline and
 * becomes the CrossGuard `configSchema` (JSON Schema) of the pack, so both agree on what is valid.
 */
export interface PolicySettings<S extends object> {
  readonly schema: z.ZodType<S>;
  defaults(environment: Environment): S;
}

export interface Policy<S extends object = object> {
  /** Kebab-case id, unique in the pack; the file is `rules/<group>/<name>.ts`. */
  readonly name: string;
  /** One sentence: what must hold. */
  readonly description: string;
  readonly group: Group;
  readonly severity: Severity;
  /** Ids of the well-known checks this one mirrors (Checkov `CKV_*`, Trivy `AVD-*`); empty when none. */
  readonly mirrors: readonly string[];
  /** What to change, in this project's terms. */
  readonly remediation: string;
  /** Level per environment unless policy config sets `enforcementLevel`. */
  readonly enforcement: Readonly<Record<Environment, EnforcementLevel>>;
  readonly settings?: PolicySettings<S>;
  readonly resource?: ResourceCheck<S>;
  readonly stack?: StackCheck<S>;
}

/** Advisory while iterating in dev; staging rehearses prod, so it is held to prod's level. */
export const DEFAULT_ENFORCEMENT: Readonly<Record<Environment, EnforcementLevel>> = { dev: "advisory", staging: "mandatory", prod: "mandatory" };

/** For exposures that are as real in dev as in prod (public data, long-lived keys). */
export const ALWAYS_MANDATORY: Readonly<Record<Environment, EnforcementLevel>> = { dev: "mandatory", staging: "mandatory", prod: "mandatory" };

/** Identity, typed: keeps a rule file's settings type flowing into its checks. */
export function definePolicy<S extends object = object>(policy: Policy<S>): Policy<S> {
  if (!policy.resource === !policy.stack) throw new Error(`policy ${policy.name}: give exactly one of resource or stack`);
  return policy;
}
