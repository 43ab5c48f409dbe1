import type { Plan, PlannedResource } from "../../lib/plan";

/** One changed value between two plans: the resource and the property path inside it. */
export interface PlanChange {
  readonly urn: string;
  readonly kind: "create" | "delete" | "change";
  /** For "change": the path of the changed value, e.g. `inputs.trafficSplit["123"]`. */
  readonly path?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

function walk(path: string, a: unknown, b: unknown, out: { path: string; before: unknown; after: unknown }[]): void {
  if (a === b) return;
  const objects = a !== null && b !== null && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b);
  if (!objects) {
    out.push({ path, before: a, after: b });
    return;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of [...keys].sort()) {
    const child = Array.isArray(a) ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
    walk(child, (a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], out);
  }
}

/** Every difference between two plans of one stack, leaf by leaf, in URN order. */
export function comparePlans(before: Plan, after: Plan): PlanChange[] {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const now = new Map(after.resources.map((r) => [r.urn, r]));
  const changes: PlanChange[] = [];
  for (const urn of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(urn);
    const b = now.get(urn);
    if (!a) changes.push({ urn, kind: "create", after: b });
    else if (!b) changes.push({ urn, kind: "delete", before: a });
    else {
      const leaves: { path: string; before: unknown; after: unknown }[] = [];
      const strip = (r: PlannedResource) => ({ inputs: r.inputs, options: r.options, parent: r.parent });
      walk("", strip(a), strip(b), leaves);
      for (const leaf of leaves) changes.push({ urn, kind: "change", path: leaf.path.replace(/^\./, ""), before: leaf.before, after: leaf.after });
    }
  }
  return changes;
}
