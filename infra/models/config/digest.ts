import { createHash } from "node:crypto";

/** Keys sorted at every level, so the digest does not depend on how the YAML was ordered. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * The digest of a version's definition (everything but the `released` stamp itself), with the
 * schema's defaults applied, so spelling a default out does not count as a change.
 */
export function versionDigest(version: Readonly<Record<string, unknown>>): string {
  const { released: _released, ...definition } = version;
  return `sha256:${createHash("sha256").update(JSON.stringify(canonical(definition))).digest("hex").slice(0, 16)}`;
}
