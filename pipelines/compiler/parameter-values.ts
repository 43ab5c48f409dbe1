/**
 * Run parameters for Vertex AI (`runtimeConfig.parameterValues`, schema 2.1.0): checked against a
 * pipeline's typed root inputs and encoded as the JSON values Vertex reads as the declared types.
 * Values from Pulumi config often arrive as strings, so numbers, booleans and JSON text are
 * accepted in string form and converted.
 */

import type { Pipeline, PipelineParameter } from "../dsl/pipeline";
import { describeType, isValueOfType } from "../dsl/specs";
import type { JsonValue, ParameterType } from "../dsl/types";
import { editDistance } from "../../lib/suggest";

export interface ParameterValueError {
  /** The parameter name (or the unknown name given). */
  readonly param: string;
  /** What was wrong; allowed: … */
  readonly message: string;
}

export type EncodeResult =
  | { readonly ok: true; readonly values: Record<string, JsonValue> }
  | { readonly ok: false; readonly errors: readonly ParameterValueError[] };

type Encoded = { readonly value: JsonValue } | { readonly error: string };

/**
 * Validates `values` against `pipeline`'s root inputs and encodes them. Reports unknown names,
 * missing required inputs, wrong types and values outside declared choices, all at once.
 * Inputs left out keep their defaults (they are not written).
 */
export function encodeParameterValues(pipeline: Pick<Pipeline, "parameters">, values: Readonly<Record<string, unknown>>): EncodeResult {
  const parameters = new Map(pipeline.parameters.map((parameter) => [parameter.name, parameter]));
  const allowedNames = [...parameters.keys()].join(", ") || "none (the pipeline has no inputs)";
  const errors: ParameterValueError[] = [];
  const encoded: Record<string, JsonValue> = {};
  for (const name of Object.keys(values).sort()) {
    const parameter = parameters.get(name);
    if (parameter === undefined) {
      errors.push({ param: name, message: `unknown parameter${suggestion(name, [...parameters.keys()])}; allowed: ${allowedNames}` });
      continue;
    }
    const result = encodeValue(parameter, values[name]);
    if ("error" in result) errors.push({ param: name, message: result.error });
    else encoded[name] = result.value;
  }
  for (const parameter of parameters.values()) {
    if (!parameter.optional && !(parameter.name in values)) {
      errors.push({ param: parameter.name, message: `missing required parameter (it has no default); allowed: ${describeType(parameter.type)}` });
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: encoded };
}

function encodeValue(parameter: PipelineParameter, raw: unknown): Encoded {
  const value = coerce(parameter.type, raw);
  if (!isValueOfType(parameter.type, value)) {
    return { error: `${show(raw)} is not ${describeType(parameter.type)}; allowed: ${example(parameter.type)}` };
  }
  const json = value as JsonValue;
  if (parameter.choices !== undefined && !parameter.choices.some((choice) => JSON.stringify(choice) === JSON.stringify(json))) {
    return { error: `${show(raw)} is not one of the allowed values; allowed: ${parameter.choices.map((choice) => show(choice)).join(", ")}` };
  }
  return { value: json };
}

/** Converts the string forms config files produce; anything else is returned unchanged. */
function coerce(type: ParameterType, raw: unknown): unknown {
  if (typeof raw !== "string" || type === "STRING") return raw;
  const text = raw.trim();
  if (type === "BOOLEAN") return text === "true" ? true : text === "false" ? false : raw;
  if (type === "NUMBER_INTEGER" || type === "NUMBER_DOUBLE") return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) ? Number(text) : raw;
  try {
    return JSON.parse(text);
  } catch {
    return raw;
  }
}

function example(type: ParameterType): string {
  const examples: Record<ParameterType, string> = {
    STRING: 'text such as "gs://bucket/path"',
    NUMBER_INTEGER: "a whole number such as 3",
    NUMBER_DOUBLE: "a number such as 0.75",
    BOOLEAN: "true or false",
    LIST: 'a list such as ["a", "b"] (or its JSON text)',
    STRUCT: 'an object such as {"key": "value"} (or its JSON text)',
  };
  return examples[type];
}

function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The likeliest intended name: a small typo away, or one whose words include all of `name`'s. */
function suggestion(name: string, candidates: readonly string[]): string {
  const words = (text: string) => text.toLowerCase().split(/[_-]+/);
  const likely = candidates
    .map((candidate) => ({ candidate, cost: editDistance(name.toLowerCase(), candidate.toLowerCase()) }))
    .filter(({ candidate, cost }) => cost <= Math.max(2, Math.floor(name.length / 3)) || words(name).every((word) => words(candidate).includes(word)))
    .sort((a, b) => a.cost - b.cost)[0];
  return likely === undefined ? ` "${name}"` : ` "${name}" (did you mean "${likely.candidate}"?)`;
}
