/**
 * Builders for input and output declarations:
 *
 * ```ts
 * inputs: { text: param.string(), steps: param.integer({ default: 100 }), data: artifact("system.Dataset") }
 * ```
 *
 * A declaration with a `default` or `optional: true` is optional; the types record which, so a
 * task that leaves out a required input does not compile.
 */

import { withArticle } from "./errors";
import type { ArtifactSpec, JsonValue, ParameterSpec, ParameterType, TaskFinalStatusSpec, ValueOf } from "./types";

interface ParameterOptions<T extends ParameterType> {
  readonly description?: string;
  readonly default?: ValueOf<T>;
  /** Optional without a default (the SDK's `= None`). */
  readonly optional?: boolean;
  /** Allowed values, enforced when run parameters are encoded (not emitted into the spec). */
  readonly choices?: readonly ValueOf<T>[];
}

interface ListOptions extends ParameterOptions<"LIST"> {
  /** The type of one item, which a `parallelFor` over this list yields. @default "STRING" */
  readonly items?: ParameterType;
  /** For items that are objects: the type of their fields, which `item.field()` reads. @default "STRING" */
  readonly fields?: ParameterType;
}

type IsOptional<O> = O extends { readonly default: unknown } ? true : O extends { readonly optional: true } ? true : false;
type ItemOf<O> = O extends { readonly items: infer I extends ParameterType } ? I : "STRING";
type FieldOf<O> = O extends { readonly fields: infer F extends ParameterType } ? F : "STRING";

function parameterBuilder<T extends Exclude<ParameterType, "LIST">>(type: T) {
  return <const O extends ParameterOptions<T> = Record<never, never>>(options?: O): ParameterSpec<T, IsOptional<O>, never, never> =>
    makeParameter(type, options ?? {}) as ParameterSpec<T, IsOptional<O>, never, never>;
}

function makeParameter(type: ParameterType, options: ParameterOptions<ParameterType> & { readonly items?: ParameterType; readonly fields?: ParameterType }): ParameterSpec {
  return {
    kind: "parameter",
    type,
    optional: options.default !== undefined || options.optional === true,
    ...(options.default !== undefined ? { default: options.default } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(type === "LIST" ? { itemType: options.items ?? "STRING" } : {}),
    ...(type === "LIST" && options.fields !== undefined ? { itemFieldType: options.fields } : {}),
    ...(options.choices !== undefined ? { choices: options.choices } : {}),
  };
}

/** Every parameter type a component or pipeline can declare. */
export const PARAMETER_TYPES: readonly ParameterType[] = ["STRING", "NUMBER_INTEGER", "NUMBER_DOUBLE", "BOOLEAN", "LIST", "STRUCT"];

/** Parameter declarations, named after the Python types they stand for. */
export const param = {
  /** `str` → STRING */
  string: parameterBuilder("STRING"),
  /** `int` → NUMBER_INTEGER */
  integer: parameterBuilder("NUMBER_INTEGER"),
  /** `float` → NUMBER_DOUBLE */
  double: parameterBuilder("NUMBER_DOUBLE"),
  /** `bool` → BOOLEAN */
  boolean: parameterBuilder("BOOLEAN"),
  /** `dict` → STRUCT */
  struct: parameterBuilder("STRUCT"),
  /** `list` → LIST; `items` gives the type a `parallelFor` item has. */
  list: <const O extends ListOptions = Record<never, never>>(options?: O): ParameterSpec<"LIST", IsOptional<O>, ItemOf<O>, FieldOf<O>> =>
    makeParameter("LIST", options ?? {}) as ParameterSpec<"LIST", IsOptional<O>, ItemOf<O>, FieldOf<O>>,
};

/** `type_utils.PARAMETER_TYPES_MAPPING`: parameter types named as text (v1 component files, `OutputPath('String')`), lower-cased. */
export const PARAMETER_TYPE_NAMES: Readonly<Record<string, ParameterType>> = {
  integer: "NUMBER_INTEGER",
  int: "NUMBER_INTEGER",
  double: "NUMBER_DOUBLE",
  float: "NUMBER_DOUBLE",
  string: "STRING",
  str: "STRING",
  text: "STRING",
  bool: "BOOLEAN",
  boolean: "BOOLEAN",
  dict: "STRUCT",
  list: "LIST",
  jsonobject: "STRUCT",
  jsonarray: "LIST",
};

/** Schema titles of the built-in and Google Cloud artifact types (all at schema version 0.0.1). */
export const ARTIFACT_TYPES = {
  Artifact: "system.Artifact",
  Dataset: "system.Dataset",
  Model: "system.Model",
  Metrics: "system.Metrics",
  ClassificationMetrics: "system.ClassificationMetrics",
  SlicedClassificationMetrics: "system.SlicedClassificationMetrics",
  HTML: "system.HTML",
  Markdown: "system.Markdown",
  VertexModel: "google.VertexModel",
  VertexEndpoint: "google.VertexEndpoint",
  VertexBatchPredictionJob: "google.VertexBatchPredictionJob",
  VertexDataset: "google.VertexDataset",
  BQTable: "google.BQTable",
  BQMLModel: "google.BQMLModel",
  UnmanagedContainerModel: "google.UnmanagedContainerModel",
} as const;

/** KFP's own artifact classes (`kfp.dsl.types.artifact_types`), without Google Cloud's. */
export const KFP_ARTIFACT_TYPES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(ARTIFACT_TYPES).filter(([, title]) => title.startsWith("system.")));

/** The metrics types the SDK surfaces to every enclosing DAG's outputs. */
export const METRICS_SCHEMAS: readonly string[] = [ARTIFACT_TYPES.Metrics, ARTIFACT_TYPES.ClassificationMetrics];

export const SCHEMA_TITLE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*\.[A-Za-z][A-Za-z0-9_]*$/;

interface ArtifactOptions {
  readonly description?: string;
  /** An input the task may leave unset (`Input[T] = None`). */
  readonly optional?: boolean;
  /** A list of artifacts (`List[Dataset]`), such as `collected(...)` gathers from a loop. */
  readonly list?: boolean;
  /** @default "0.0.1" */
  readonly schemaVersion?: string;
}

/**
 * An artifact declaration, e.g. `artifact("system.Dataset")`, `artifact(ARTIFACT_TYPES.VertexModel)`
 * or `artifact("system.Model", { list: true })`.
 */
export function artifact<const S extends `${string}.${string}`, const O extends ArtifactOptions = Record<never, never>>(
  schemaTitle: S,
  options?: O,
): ArtifactSpec<S, O extends { readonly optional: true } ? true : false, O extends { readonly list: true } ? true : false> {
  return {
    kind: "artifact",
    schemaTitle,
    schemaVersion: options?.schemaVersion ?? "0.0.1",
    optional: (options?.optional === true) as O extends { readonly optional: true } ? true : false,
    list: (options?.list === true) as O extends { readonly list: true } ? true : false,
    ...(options?.description !== undefined ? { description: options.description } : {}),
  };
}

/** The input through which an exit task receives the final status of the tasks it guards. */
export function taskFinalStatus(options?: { readonly description?: string }): TaskFinalStatusSpec {
  return { kind: "taskFinalStatus", ...(options?.description !== undefined ? { description: options.description } : {}) };
}

/** Whether `value` is a JSON value of parameter type `type` (integers must be whole numbers). */
export function isValueOfType(type: ParameterType, value: unknown): boolean {
  switch (type) {
    case "STRING":
      return typeof value === "string";
    case "NUMBER_INTEGER":
      return typeof value === "number" && Number.isSafeInteger(value);
    case "NUMBER_DOUBLE":
      return typeof value === "number" && Number.isFinite(value);
    case "BOOLEAN":
      return typeof value === "boolean";
    case "LIST":
      return Array.isArray(value) && value.every(isJsonValue);
    case "STRUCT":
      return isPlainObject(value) && Object.values(value).every(isJsonValue);
  }
}

export function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return isPlainObject(value) && Object.values(value).every(isJsonValue);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** How a parameter type is described in messages: `an integer (NUMBER_INTEGER)`. */
export function describeType(type: ParameterType): string {
  const words: Record<ParameterType, string> = {
    STRING: "a string",
    NUMBER_INTEGER: "an integer",
    NUMBER_DOUBLE: "a number",
    BOOLEAN: "a boolean",
    LIST: "a list",
    STRUCT: "an object",
  };
  // Only JavaScript callers get here with something else; the message must still read well.
  return type in words ? `${words[type]} (${type})` : `${withArticle(String(type))} value`;
}
