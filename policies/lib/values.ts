/**
 * Reading plain-JSON inputs defensively. Inputs come from two engines and from hand-edited plan
 * files, so nothing is trusted to have the type the provider schema promises.
 */

/** The offline plan's spelling of a value known only after deploy (lib/plan.ts). */
export const UNKNOWN = "[unknown]";
/** The plan's spelling of a secret: present, but not inspectable. */
export const SECRET = "[secret]";

/** A value no rule can decide on: unknown in preview, or a secret. */
export function isOpaque(value: unknown): boolean {
  return value === UNKNOWN || value === SECRET;
}

export type Json = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function asRecord(value: unknown): Json {
  return isRecord(value) ? value : {};
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" && !isOpaque(value) ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Strings of a string-valued map, opaque values left out. */
export function asStringMap(value: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value))) if (typeof v === "string") out[k] = v;
  return out;
}

/** The value at a dotted path (`nodeConfig.shieldedInstanceConfig.enableSecureBoot`); arrays by index. */
export function at(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isRecord(current)) current = current[key];
    else return undefined;
  }
  return current;
}

/** `"x"` for messages: values quoted as JSON, absent ones named. */
export function show(value: unknown): string {
  return value === undefined ? "not set" : JSON.stringify(value);
}
