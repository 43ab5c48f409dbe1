import { createHash } from "node:crypto";
import { sortKeys } from "../../../lib/json";

/**
 * The digest of a version's definition (everything but the `released` stamp itself), with the
 * schema's defaults applied, so spelling a default out does not count as a change.
 */
export function versionDigest(version: Readonly<Record<string, unknown>>): string {
  const { released: _released, ...definition } = version;
  return `sha256:${createHash("sha256").update(JSON.stringify(sortKeys(definition))).digest("hex").slice(0, 16)}`;
}
