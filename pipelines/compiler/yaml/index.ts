import type { JsonValue } from "../../dsl/types";
import { emitDocument, type YamlNode } from "./emitter";
import { compareCodePoints, pythonNumber } from "./python-text";

export { compareCodePoints, pythonFloatRepr, pythonJsonDumps, pythonStr } from "./python-text";

/**
 * Decides whether the number at `path` (the mapping keys and list indexes leading to it) was an
 * integer on the Python side. JSON does not keep the distinction, yet PyYAML prints `3` for an
 * int and `3.0` for a float.
 */
export type IntegerPathPredicate = (path: readonly (string | number)[]) => boolean;

/** `yaml.dump(value, sort_keys=True)` as PyYAML writes it. */
export function dumpYaml(value: JsonValue, isIntegerPath: IntegerPathPredicate): string {
  return emitDocument(represent(value, [], isIntegerPath));
}

function represent(value: JsonValue, path: (string | number)[], isIntegerPath: IntegerPathPredicate): YamlNode {
  if (value === null) return { kind: "scalar", text: "null", isString: false };
  if (typeof value === "boolean") return { kind: "scalar", text: String(value), isString: false };
  if (typeof value === "number") return { kind: "scalar", text: yamlNumber(value, isIntegerPath(path)), isString: false };
  if (typeof value === "string") return { kind: "scalar", text: value, isString: true };
  if (Array.isArray(value)) {
    return { kind: "sequence", items: value.map((item: JsonValue, index: number) => represent(item, [...path, index], isIntegerPath)) };
  }
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record).sort(compareCodePoints);
  return {
    kind: "mapping",
    entries: keys.map((key) => [{ kind: "scalar", text: key, isString: true }, represent(record[key], [...path, key], isIntegerPath)] as const),
  };
}

/** PyYAML's `represent_float`: lower-case repr, with `.0` added to a bare exponent form. */
function yamlNumber(value: number, asInteger: boolean): string {
  if (Number.isNaN(value)) return ".nan";
  if (value === Infinity) return ".inf";
  if (value === -Infinity) return "-.inf";
  const text = pythonNumber(value, asInteger).toLowerCase();
  return !text.includes(".") && text.includes("e") ? text.replace("e", ".0e") : text;
}
