import { sortKeys } from "./json";

/** The offline plan of one stack: the desired state `pulumi up` would converge to. */
export interface Plan {
  readonly project: string;
  readonly stack: string;
  /** Every resource the program registers, sorted by URN. */
  readonly resources: readonly PlannedResource[];
  /**
   * The configuration of each default provider (by package, e.g. `gcp`) that resources without an
   * explicit provider get: the stack's non-secret `<package>:*` keys. Absent in plans rendered
   * before it was captured.
   */
  readonly defaultProviders?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The stack outputs, secrets replaced by `"[secret]"`. */
  readonly outputs: Readonly<Record<string, unknown>>;
}

export interface PlannedResource {
  /** Engine-form URN: `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`. */
  readonly urn: string;
  /** Pulumi type token, e.g. `gcp:storage/bucket:Bucket` or `llmops:platform:Buckets`. */
  readonly type: string;
  /** Logical name. */
  readonly name: string;
  /** Parent URN, or null for resources directly under the stack. */
  readonly parent: string | null;
  /** Inputs as plain JSON; secrets are `"[secret]"`, values unknown before deploy are `"[unknown]"`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * URNs the engine waits for before creating this resource, sorted: explicit `dependsOn` and every
   * resource whose output flows into an input (a component stands for all its custom
   * descendants), plus the explicit provider. Captured from what the SDK sends the resource
   * monitor, so it is the engine's own graph. Absent in plans rendered before it was captured.
   */
  readonly dependencies?: readonly string[];
  readonly options: PlannedOptions;
}

export interface PlannedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  /** URNs of explicit dependencies, sorted. */
  readonly dependsOn: readonly string[];
  readonly ignoreChanges: readonly string[];
  /** The explicit provider's URN; null for the package's default provider (see `Plan.defaultProviders`). */
  readonly provider?: string | null;
  /**
   * Old URNs the engine takes this resource for (its `aliases`, completed as the engine completes
   * them, and those inherited from its ancestors' aliases), sorted. A resource whose URN is new
   * and one of these names a resource of the old state is that resource, moved or renamed.
   * Absent in plans rendered before it was captured.
   */
  readonly aliases?: readonly string[];
}

export const SECRET = "[secret]";
export const UNKNOWN = "[unknown]";

/**
 * The plan file's text: the documented field order at the top and per resource, keys sorted
 * everywhere inside inputs and outputs, a trailing newline. Equal plans give identical bytes.
 */
export function planJson(plan: Plan): string {
  const ordered = {
    project: plan.project,
    stack: plan.stack,
    resources: plan.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      parent: r.parent,
      inputs: sortKeys(r.inputs),
      dependencies: r.dependencies ?? [],
      options: { protect: r.options.protect, retainOnDelete: r.options.retainOnDelete, dependsOn: r.options.dependsOn, ignoreChanges: r.options.ignoreChanges, provider: r.options.provider ?? null, aliases: r.options.aliases ?? [] },
    })),
    defaultProviders: sortKeys(plan.defaultProviders ?? {}),
    outputs: sortKeys(plan.outputs),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}


/** The resources of one type, for tests and summaries. */
export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** A few lines about one aspect of a plan, printed by `llmops plan`; capabilities provide theirs. */
export type SummarySection = (plan: Plan) => string[];
