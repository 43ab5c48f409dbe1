/** Deterministic JSON: equal values give identical text, whatever order their keys were added in. */

/** Objects with their keys sorted at every level (by `compare`, default: UTF-16 code units); arrays keep their order. */
export function sortKeys<T = unknown>(value: T, compare?: (a: string, b: string) => number): T {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, compare)) as T;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(record)
        .sort(compare)
        .map((key) => [key, sortKeys(record[key], compare)]),
    ) as T;
  }
  return value;
}

/** Two-space JSON with keys sorted at every level and a trailing newline: the text of every file we write. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Whether two values are equal as JSON, whatever their key order. */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}
