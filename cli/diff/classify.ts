import type { Plan, PlannedResource } from "../../lib/plan";
import { regionOf } from "../summary";
import { type Leaf, type Segment, covers, expandLeaves, formatPath, leafChanges, leavesOf, maskSecrets, overlaps, parsePath, sameValue } from "./properties";
import { rulesFor, valuesAt } from "./replacements";
import type { ComponentRef, PropertyChange, ReplaceReason, ResourceChange } from "./types";

const isComponent = (r: PlannedResource) => r.type.startsWith("llmops:");

/** The top-level component above a resource (the capability it belongs to), or null. */
function componentOf(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): ComponentRef | null {
  let top: PlannedResource | undefined;
  for (let parent = resource.parent ? byUrn.get(resource.parent) : undefined; parent; parent = parent.parent ? byUrn.get(parent.parent) : undefined) top = parent;
  return top ? { urn: top.urn, type: top.type, name: top.name } : null;
}

function toChange(leaf: Leaf, forcesReplacement = false): PropertyChange {
  const change: PropertyChange = { path: formatPath(leaf.segments) };
  const before = maskSecrets(leaf.segments, leaf.before);
  const after = maskSecrets(leaf.segments, leaf.after);
  return { ...change, ...(before !== undefined && { before }), ...(after !== undefined && { after }), ...(forcesReplacement && { forcesReplacement }) };
}

/** Inputs that never make a step by themselves (the table's `ignore` rules). */
function noisePaths(type: string): Segment[][] {
  return rulesFor(type)
    .filter((r) => r.effect === "ignore")
    .map((r) => parsePath(r.path));
}

/** Inputs whose change makes no step: `ignoreChanges` on the resource, and the noise. */
function ignoredPaths(resource: PlannedResource): Segment[][] {
  return [...resource.options.ignoreChanges.map(parsePath), ...noisePaths(resource.type)];
}

/**
 * Replace or update, as the provider would decide: a `replace` rule fires when the values at its
 * path differ and a change that is not ignored touches that path.
 */
function replaceReasons(type: string, before: PlannedResource, after: PlannedResource, changed: readonly Leaf[]): ReplaceReason[] {
  return rulesFor(type)
    .filter((rule) => rule.effect === "replace")
    .filter((rule) => !sameValue(valuesAt(before.inputs, rule.path), valuesAt(after.inputs, rule.path)))
    .filter((rule) => changed.some((leaf) => overlaps(parsePath(rule.path), leaf.segments)))
    .map((rule) => ({ path: rule.path, source: rule.source, ...(rule.note !== undefined && { note: rule.note }) }));
}

function changeOf(before: PlannedResource | undefined, after: PlannedResource | undefined, components: (r: PlannedResource) => ComponentRef | null): ResourceChange | undefined {
  const resource = (after ?? before)!;
  const moved = before && after && before.urn !== after.urn ? { movedFrom: before.urn } : {};
  const base = { urn: resource.urn, type: resource.type, name: resource.name, component: components(resource), region: regionOf(resource), ...moved };
  if (!before) {
    const noise = noisePaths(resource.type);
    const properties = leavesOf(resource.inputs).filter((leaf) => !noise.some((p) => covers(p, leaf.segments)));
    return { ...base, action: "create", properties: properties.map((l) => toChange(l)), replaceReasons: [], protect: resource.options.protect, retainOnDelete: resource.options.retainOnDelete };
  }
  if (!after) return { ...base, action: "delete", properties: [], replaceReasons: [], protect: before.options.protect, retainOnDelete: before.options.retainOnDelete };

  const ignored = ignoredPaths(after);
  const inputs = expandLeaves(leafChanges(before.inputs, after.inputs)).filter((leaf) => !ignored.some((p) => covers(p, leaf.segments)));
  // Protection is engine state, not a cloud call, but a reviewer must see it come and go.
  const options = leafChanges(
    { protect: before.options.protect, retainOnDelete: before.options.retainOnDelete },
    { protect: after.options.protect, retainOnDelete: after.options.retainOnDelete },
    ["options"],
  );
  if (inputs.length === 0 && options.length === 0) {
    return before.urn === after.urn ? undefined : { ...base, action: "move", properties: [], replaceReasons: [], protect: after.options.protect, retainOnDelete: after.options.retainOnDelete };
  }
  const reasons = replaceReasons(resource.type, before, after, inputs);
  const forcing = reasons.map((r) => parsePath(r.path));
  const properties = [...inputs.map((leaf) => toChange(leaf, forcing.some((p) => overlaps(p, leaf.segments)))), ...options.map((leaf) => toChange(leaf))];
  // A replacement deletes the old resource under its old options.
  const guard = reasons.length > 0 ? before.options : after.options;
  return { ...base, action: reasons.length > 0 ? "replace" : "update", properties, replaceReasons: reasons, protect: guard.protect, retainOnDelete: guard.retainOnDelete };
}

/**
 * The head resources that are base resources under a new URN (head URN → base URN). The engine
 * looks a registration up in the old state by its URN, then by each alias, and takes the first
 * that names an old resource (pulumi/pulumi `step_generator.go`, `getOldResource`). Plans list the
 * aliases sorted, not in the order the engine tries them: where two aliases both name a base
 * resource, the first in sort order wins here (assumed rare; the engine would warn of neither). A
 * base URN the head plan still has is no move, and each base URN moves once: the engine rejects
 * two resources claiming one URN. Plans without `options.aliases` (older ones) have no moves.
 */
export function aliasMatches(before: Plan | undefined, after: Plan | undefined): Map<string, string> {
  const old = new Set((before?.resources ?? []).map((r) => r.urn));
  const now = new Set((after?.resources ?? []).map((r) => r.urn));
  const moves = new Map<string, string>();
  const claimed = new Set<string>();
  for (const r of [...(after?.resources ?? [])].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))) {
    if (old.has(r.urn)) continue;
    const from = (r.options.aliases ?? []).find((alias) => old.has(alias) && !now.has(alias) && !claimed.has(alias));
    if (from === undefined) continue;
    moves.set(r.urn, from);
    claimed.add(from);
  }
  return moves;
}

/**
 * Every changed custom resource between two plans of a stack (either may be absent: a stack on
 * one side only), in URN order (a moved resource at its new URN). Component resources are left
 * out: they own no cloud state and group the others instead.
 */
export function classify(before: Plan | undefined, after: Plan | undefined): ResourceChange[] {
  const old = new Map((before?.resources ?? []).map((r) => [r.urn, r]));
  const now = new Map((after?.resources ?? []).map((r) => [r.urn, r]));
  const moves = aliasMatches(before, after);
  const movedAway = new Set(moves.values());
  const components = (r: PlannedResource) => componentOf(r, now.has(r.urn) ? now : old);
  const changes: ResourceChange[] = [];
  for (const urn of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    if (movedAway.has(urn)) continue;
    const b = now.get(urn);
    const a = old.get(moves.get(urn) ?? urn);
    if ((a && isComponent(a)) || (b && isComponent(b))) continue;
    const change = changeOf(a, b, components);
    if (change) changes.push(change);
  }
  return changes;
}
