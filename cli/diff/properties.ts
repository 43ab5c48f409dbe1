import { sortKeys } from "../../lib/json";
import { SECRET } from "../../lib/plan";

export type Segment = string | number;

export interface Leaf {
  readonly segments: readonly Segment[];
  readonly before: unknown;
  readonly after: unknown;
}

/** `["nodeConfig", "guestAccelerators", 0, "type"]` → `nodeConfig.guestAccelerators[0].type`. */
export function formatPath(segments: readonly Segment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Every differing leaf between two JSON values, keys sorted. A value that is absent on one side is one leaf. */
export function leafChanges(before: unknown, after: unknown, at: readonly Segment[] = []): Leaf[] {
  if (sameValue(before, after)) return [];
  const bothLists = Array.isArray(before) && Array.isArray(after);
  if (!(bothLists || (isObject(before) && isObject(after)))) return [{ segments: at, before, after }];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = bothLists ? Array.from({ length: Math.max((before as unknown[]).length, (after as unknown[]).length) }, (_, i) => i) : [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.flatMap((key) => leafChanges(a[key as string], b[key as string], [...at, key]));
}

/** Leaves where one side is a whole object or list (`deployments[1]` added) become one leaf per value inside. */
export function expandLeaves(leaves: readonly Leaf[]): Leaf[] {
  return leaves.flatMap((leaf) => {
    if (leaf.before === undefined) return leavesOf(leaf.after, leaf.segments);
    if (leaf.after === undefined) return leavesOf(leaf.before, leaf.segments).map((l) => ({ segments: l.segments, before: l.after, after: undefined }));
    return [leaf];
  });
}

/** Every leaf of a value, as if it were created from nothing. */
export function leavesOf(value: unknown, at: readonly Segment[] = []): Leaf[] {
  if (isObject(value) && Object.keys(value).length > 0) return Object.keys(value).sort().flatMap((k) => leavesOf(value[k], [...at, k]));
  if (Array.isArray(value) && value.length > 0) return value.flatMap((v, i) => leavesOf(v, [...at, i]));
  return value === undefined ? [] : [{ segments: at, before: undefined, after: value }];
}

export function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

/**
 * True when `path` is inside `pattern` or `pattern` inside `path`, segment by segment, `*`
 * matching any key or index. Used for Pulumi `ignoreChanges` paths (`trafficSplit`,
 * `labels["team"]`, `list[*].name`) and for the replacement rules.
 */
export function overlaps(pattern: readonly Segment[], path: readonly Segment[]): boolean {
  const n = Math.min(pattern.length, path.length);
  for (let i = 0; i < n; i++) if (pattern[i] !== "*" && String(pattern[i]) !== String(path[i])) return false;
  return true;
}

/** `prefix` covers `path` (is equal to it or an ancestor of it). */
export function covers(prefix: readonly Segment[], path: readonly Segment[]): boolean {
  return prefix.length <= path.length && overlaps(prefix, path);
}

/** Parses a Pulumi property path: `a.b[0]["c.d"][*]`. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\[\*\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(m[3]) as string);
    else out.push("*");
  }
  return out;
}

// Plans already carry "[secret]" for secret outputs; this also hides values of inputs whose name
// says they are credentials, in case a plan file was written by something less careful.
const SECRET_NAMES = /(password|passphrase|secret|token|privatekey|credentials|apikey)$/i;

export function maskSecrets(segments: readonly Segment[], value: unknown): unknown {
  const last = [...segments].reverse().find((s): s is string => typeof s === "string");
  if (value === undefined || value === null || value === SECRET) return value;
  return last !== undefined && SECRET_NAMES.test(last) ? SECRET : value;
}

/**
 * Two values on one line each, cut at `max` characters. Long strings that differ are shown from
 * a little before their first difference, so the cut never hides what changed.
 */
export function showChange(before: unknown, after: unknown, max = 120): [string, string] {
  if (typeof before !== "string" || typeof after !== "string") return [showValue(before, max), showValue(after, max)];
  const a = JSON.stringify(before);
  const b = JSON.stringify(after);
  if (a.length <= max && b.length <= max) return [a, b];
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 30);
  const cut = (t: string) => `${from > 0 ? "…" : ""}${t.slice(from, from + max)}${from + max < t.length ? "…" : ""}`;
  return [cut(a), cut(b)];
}

/** A value on one line, cut at `max` characters: `"gs://bucket"`, `{"a":1}`, `(not set)`. */
export function showValue(value: unknown, max = 120): string {
  if (value === undefined) return "(not set)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
