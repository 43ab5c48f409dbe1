import type { Plan, PlannedResource } from "../../lib/plan";
import { asRecord, asString } from "../lib/values";

/** A plan that cannot be checked: missing fields, wrong types, or a graph pointing nowhere. */
export class MalformedPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedPlanError";
  }
}

/** Components group resources; only custom resources (and providers) are created by a provider. */
export function isComponent(type: string): boolean {
  return type.startsWith("llmops:") || type === "pulumi:pulumi:Stack";
}

/**
 * A plan's resources and the engine's order between them. A resource waits for its dependencies
 * (what the SDK sent the engine: `dependsOn`, property dependencies, the provider) and for its
 * parent when the parent is a custom resource: the SDK awaits the parent's URN before it
 * registers a child, and the engine answers a custom resource's registration only once its step
 * has run (`@pulumi/pulumi/runtime/resource.js`, `prepareResource`: `await parent.urn.promise()`).
 */
export class PlanGraph {
  readonly plan: Plan;
  readonly resources: readonly PlannedResource[];
  /** The stack's own project: the default Google provider's, else the project most resources name. */
  readonly project: string | undefined;
  private readonly byUrn = new Map<string, PlannedResource>();
  private readonly closures = new Map<string, ReadonlySet<string>>();
  private readonly direct = new Map<string, readonly string[]>();

  constructor(plan: Plan) {
    this.plan = plan;
    this.resources = plan.resources;
    for (const r of plan.resources) this.byUrn.set(r.urn, r);
    for (const r of plan.resources) {
      for (const d of r.dependencies ?? []) {
        if (!this.byUrn.has(d)) throw new MalformedPlanError(`${r.urn}: depends on ${d}, which is not in the plan`);
      }
    }
    this.project = asString(plan.defaultProviders?.gcp?.project) ?? mostCommonProject(plan.resources);
  }

  get(urn: string): PlannedResource | undefined {
    return this.byUrn.get(urn);
  }

  ofType(type: string): PlannedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Every custom resource this one transitively waits for before it is created. */
  waitsFor(urn: string): ReadonlySet<string> {
    const cached = this.closures.get(urn);
    if (cached) return cached;
    const seen = new Set<string>();
    const stack = [...this.edges(urn)];
    while (stack.length) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      // A closure known already is complete: take it whole rather than walk it again (rules ask
      // for most resources' closures, and they share most of their ancestors).
      const known = this.closures.get(next);
      if (known) for (const u of known) seen.add(u);
      else stack.push(...this.edges(next));
    }
    this.closures.set(urn, seen);
    return seen;
  }

  /** Whether `urn` waits (directly or through others) for `target`. */
  waits(urn: string, target: string): boolean {
    return this.waitsFor(urn).has(target);
  }

  private edges(urn: string): readonly string[] {
    let edges = this.direct.get(urn);
    if (edges) return edges;
    const r = this.byUrn.get(urn);
    if (!r) return [];
    const parent = r.parent ? this.byUrn.get(r.parent) : undefined;
    edges = [...(r.dependencies ?? []), ...(parent && !isComponent(parent.type) ? [parent.urn] : [])];
    this.direct.set(urn, edges);
    return edges;
  }
}

function mostCommonProject(resources: readonly PlannedResource[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of resources) {
    const p = asString(asRecord(r.inputs).project);
    if (p) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
}

/**
 * Checks that a parsed JSON value is a plan this checker can read, naming what is wrong. Plans
 * rendered before the dependency graph was captured are refused: without it nothing can be said
 * about order.
 */
export function assertPlan(value: unknown, file: string): Plan {
  const fail = (what: string): never => {
    throw new MalformedPlanError(`${file}: ${what}; expected a plan as written by llmops plan (re-render it with npx llmops plan)`);
  };
  const plan = asRecord(value);
  if (typeof plan.stack !== "string") fail("no stack name");
  if (!Array.isArray(plan.resources)) fail("no resources list");
  (plan.resources as unknown[]).forEach((r, i) => {
    const res = asRecord(r);
    const where = typeof res.urn === "string" ? res.urn : `resources[${i}]`;
    if (typeof res.urn !== "string" || typeof res.type !== "string" || typeof res.name !== "string") fail(`${where}: urn, type and name must be strings`);
    if (res.inputs === null || typeof res.inputs !== "object" || Array.isArray(res.inputs)) fail(`${where}: inputs must be an object`);
    if (res.options === null || typeof res.options !== "object" || Array.isArray(res.options)) fail(`${where}: options must be an object`);
    if (!Array.isArray(res.dependencies) || !res.dependencies.every((d) => typeof d === "string")) fail(`${where}: no dependencies list (a plan from before llmops plan captured the engine's dependency graph)`);
    if (res.parent !== null && res.parent !== undefined && typeof res.parent !== "string") fail(`${where}: parent must be a URN or null`);
  });
  return value as Plan;
}
