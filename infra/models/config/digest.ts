import { createHash } from "node:crypto";
import { Secret } from "../../common/secret";

/**
 * A secure value in the digest: that it is one, never what it is. An object, so that no plain
 * value (version fields that take a secret take strings) can hash like it; a version whose secret
 * becomes plain text, or the reverse, is a new definition. Definitions without secure values hash
 * exactly as before this marker existed, so `released` stamps of such versions are unchanged.
 */
const SECURE_MARKER = { secure: true };

/** Keys sorted at every level, so the digest does not depend on how the YAML was ordered. */
function canonical(value: unknown): unknown {
  if (value instanceof Secret) return SECURE_MARKER;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/**
 * The digest of a version's definition (everything but the `released` stamp itself), with the
 * schema's defaults applied, so spelling a default out does not count as a change. Secure values
 * count by their place, not their value: the same definition hashes alike offline (where they
 * are "[secret]"), under `pulumi up` (decrypted) and in every stack (each with its own ciphertext).
 */
export function versionDigest(version: Readonly<Record<string, unknown>>): string {
  const { released: _released, ...definition } = version;
  return `sha256:${createHash("sha256").update(JSON.stringify(canonical(definition))).digest("hex").slice(0, 16)}`;
}
