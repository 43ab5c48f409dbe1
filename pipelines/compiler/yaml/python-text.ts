/**
 * Python's text forms of JSON values, as the KFP SDK produces them: `repr(float)`, `str()` of
 * lists and dicts (used in the `# Inputs:` header) and `json.dumps` (used for Concat/IfPresent
 * placeholders and raw loop items). Byte-for-byte parity with the SDK depends on these.
 */

import type { JsonValue } from "../../dsl/types";

/** `repr(x)` of a Python float: shortest round-trip digits, exponent outside [1e-4, 1e16). */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  // toExponential() without an argument yields the shortest digits that round-trip, like repr.
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${head}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  return `${sign}${whole}.${digits.slice(exponent + 1) || "0"}`;
}

/** A JSON number as Python prints it after protobuf parsing: `google.protobuf.Value` numbers are floats. */
export function pythonNumber(value: number, asInteger: boolean): string {
  if (asInteger && Number.isInteger(value)) return BigInt(value).toString();
  return pythonFloatRepr(value);
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(s)` of a Python str. */
export function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === quote || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code > 0x7f && ch !== " " && NON_PRINTABLE.test(ch)) {
      out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

/**
 * `str(value)` for a value parsed from a protobuf `Value`: numbers are floats, booleans are
 * `True`/`False`, containers use `repr` of their items.
 */
export function pythonStr(value: JsonValue): string {
  if (typeof value === "string") return value;
  return pythonRepr(value);
}

function pythonRepr(value: JsonValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return pythonFloatRepr(value);
  if (typeof value === "string") return pythonStrRepr(value);
  if (isList(value)) return `[${value.map(pythonRepr).join(", ")}]`;
  const entries = Object.keys(value)
    .sort(compareCodePoints)
    .map((key) => `${pythonStrRepr(key)}: ${pythonRepr(value[key])}`);
  return `{${entries.join(", ")}}`;
}

/**
 * `json.dumps(value, sort_keys=sortKeys)` with Python's defaults: `", "` and `": "` separators
 * and `ensure_ascii`. Integral numbers print as ints, as they were ints on the Python side.
 */
export function pythonJsonDumps(value: JsonValue, sortKeys = false): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonNumber(value, true);
  if (typeof value === "string") return jsonString(value);
  if (isList(value)) return `[${value.map((item) => pythonJsonDumps(item, sortKeys)).join(", ")}]`;
  const keys = sortKeys ? Object.keys(value).sort(compareCodePoints) : Object.keys(value);
  return `{${keys.map((key) => `${jsonString(key)}: ${pythonJsonDumps(value[key], sortKeys)}`).join(", ")}}`;
}

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function jsonString(text: string): string {
  let out = '"';
  // Iterating UTF-16 code units reproduces Python's surrogate-pair escapes for astral characters.
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const code = text.charCodeAt(i);
    if (JSON_ESCAPES[ch] !== undefined) out += JSON_ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return out + '"';
}

/** Python's default string ordering: by code point, not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = (left[i].codePointAt(0) as number) - (right[i].codePointAt(0) as number);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

function isList(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, "0");
}
