/**
 * A Python component's interface from its function signature, as the KFP SDK derives it
 * (`get_name_to_specs`, `make_input_spec`, `make_output_spec` in `component_factory.py`, and the
 * type mapping of `type_utils.py` / `type_annotations.py`, sdk-2.14.3):
 *
 * | Python | becomes |
 * | --- | --- |
 * | `x: str`, `int`, `float`, `bool`, `dict`/`Dict[..]`, `list`/`List[..]` | a STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, STRUCT, LIST input |
 * | `x: Input[Dataset]`, `x: Dataset`, `x: InputPath('Dataset')` | a `system.Dataset` input artifact (`List[Dataset]`: a list) |
 * | `x: InputPath(str)` | a STRING input (read from a file) |
 * | `x: Output[Model]`, `x: OutputPath('Model')` | a `system.Model` output artifact |
 * | `x: OutputPath(int)` | a NUMBER_INTEGER output parameter |
 * | `x: PipelineTaskFinalStatus` | the final status an exit task receives |
 * | `-> int`, `-> Dataset` | one output named `Output` |
 * | `-> NamedTuple('Outputs', [('a', str), ('m', Model)])` | one output per field |
 *
 * A default makes an input optional; `Optional[T] = None` makes it optional without a default.
 */

import { describeType, isValueOfType, KFP_ARTIFACT_TYPES, PARAMETER_TYPE_NAMES } from "../specs";
import type { ArtifactSpec, InputSpec, JsonValue, OutputSpec, ParameterSpec, ParameterType, TaskFinalStatusSpec } from "../types";
import { describeExpression, literalValue, type Expression } from "./expression";
import { namedTupleCall, type NamedTupleField, type PythonFunction } from "./source";

/** Built-in KFP artifact classes, all at schema version 0.0.1. */
const ARTIFACT_CLASSES = KFP_ARTIFACT_TYPES;
const BUILTIN_TYPES: Readonly<Record<string, ParameterType>> = { str: "STRING", int: "NUMBER_INTEGER", float: "NUMBER_DOUBLE", bool: "BOOLEAN", dict: "STRUCT", list: "LIST" };
/** The only output name the SDK gives a single return value. */
export const SINGLE_OUTPUT_NAME = "Output";

export interface DerivedInterface {
  readonly inputs: Record<string, InputSpec>;
  readonly outputs: Record<string, OutputSpec>;
}

/** A problem with one part of the signature: where (`parameter "x"`, `return annotation`) and what. */
export interface SignatureProblem {
  readonly where: string;
  readonly message: string;
}

/** What a type annotation stands for, before it is placed as an input or an output. */
type Kind =
  | { readonly kind: "parameter"; readonly type: ParameterType; readonly itemType?: ParameterType; readonly itemFieldType?: ParameterType }
  | { readonly kind: "artifact"; readonly schemaTitle: string; readonly list: boolean }
  | { readonly kind: "taskFinalStatus" };

type Marker = "input" | "output" | "inputPath" | "outputPath";

export function deriveInterface(fn: PythonFunction, descriptions: { inputs: ReadonlyMap<string, string>; outputs: ReadonlyMap<string, string> }): { interface: DerivedInterface; problems: SignatureProblem[] } {
  const inputs: Record<string, InputSpec> = {};
  const outputs: Record<string, OutputSpec> = {};
  const problems: SignatureProblem[] = [];
  for (const parameter of fn.parameters) {
    const where = `parameter "${parameter.name}" (line ${parameter.line})`;
    const problem = (message: string) => problems.push({ where, message });
    if (parameter.name === SINGLE_OUTPUT_NAME) {
      problem(`"${SINGLE_OUTPUT_NAME}" is reserved for the return value's output; allowed: another name`);
      continue;
    }
    if (parameter.annotation === undefined) {
      problem("has no type annotation; allowed: str, int, float, bool, dict, list, Input[...], Output[...], InputPath(...), OutputPath(...)");
      continue;
    }
    const annotation = stripOptional(parameter.annotation);
    const marked = markerOf(annotation);
    const kind = marked === undefined ? kindOf(annotation) : markedKind(marked.marker, marked.inner);
    if ("error" in kind) {
      problem(kind.error);
      continue;
    }
    const description = descriptions.inputs.get(parameter.name);
    const describe = description !== undefined ? { description } : {};
    if (marked?.marker === "output" || marked?.marker === "outputPath") {
      if (kind.kind === "taskFinalStatus") problem("a task's final status cannot be an output");
      else outputs[unique(parameter.name, outputs)] = outputSpec(kind, descriptions.outputs.get(parameter.name));
      continue;
    }
    if (kind.kind === "taskFinalStatus") {
      inputs[unique(parameter.name, inputs)] = { kind: "taskFinalStatus", ...describe } satisfies TaskFinalStatusSpec;
      continue;
    }
    if (kind.kind === "artifact") {
      const defaultValue = parameter.default === undefined ? undefined : literalValue(parameter.default, fn.constants);
      if (defaultValue !== undefined && !("value" in defaultValue && defaultValue.value === null)) {
        problem(`an input artifact may only default to None; got ${describeExpression(parameter.default as Expression)}`);
        continue;
      }
      inputs[unique(parameter.name, inputs)] = {
        kind: "artifact",
        schemaTitle: kind.schemaTitle,
        schemaVersion: "0.0.1",
        optional: parameter.default !== undefined,
        list: kind.list,
        ...describe,
      } satisfies ArtifactSpec;
      continue;
    }
    let value: JsonValue | undefined;
    if (parameter.default !== undefined) {
      const evaluated = literalValue(parameter.default, fn.constants);
      if ("error" in evaluated) {
        problem(`default ${describeExpression(parameter.default)}: ${evaluated.error}; allowed: a literal (string, number, True/False/None, list, dict) or a module-level constant bound to one`);
        continue;
      }
      value = evaluated.value;
      if (value !== null && !isValueOfType(kind.type, value)) {
        problem(`default ${JSON.stringify(value)} is not ${describeType(kind.type)}`);
        continue;
      }
    }
    inputs[unique(parameter.name, inputs)] = {
      kind: "parameter",
      type: kind.type,
      optional: parameter.default !== undefined,
      ...(value !== undefined && value !== null ? { default: value } : {}),
      ...describe,
      ...listTypes(kind),
    } as ParameterSpec;
  }
  if (fn.returns !== undefined) deriveReturns(fn, descriptions.outputs, outputs, problems);
  return { interface: { inputs, outputs }, problems };
}

function deriveReturns(fn: PythonFunction, descriptions: ReadonlyMap<string, string>, outputs: Record<string, OutputSpec>, problems: SignatureProblem[]): void {
  const returns = fn.returns as Expression;
  const where = "return annotation";
  if (returns.kind === "name" && returns.name === "None") return;
  const fields = namedTupleFields(returns, fn.namedTuples);
  if (fields !== undefined) {
    for (const field of fields) {
      const kind = kindOf(stripOptional(field.annotation));
      if ("error" in kind) problems.push({ where: `${where}, field "${field.name}"`, message: kind.error });
      else if (kind.kind === "taskFinalStatus") problems.push({ where: `${where}, field "${field.name}"`, message: "a task's final status cannot be an output" });
      else outputs[unique(field.name, outputs)] = outputSpec(kind, descriptions.get(field.name));
    }
    return;
  }
  if (returns.kind === "dict") {
    problems.push({ where, message: "the deprecated dict form of multiple outputs is not supported; allowed: a NamedTuple" });
    return;
  }
  const kind = kindOf(returns);
  if ("error" in kind) problems.push({ where, message: kind.error });
  else if (kind.kind === "taskFinalStatus") problems.push({ where, message: "a task's final status cannot be an output" });
  else outputs[unique(SINGLE_OUTPUT_NAME, outputs)] = outputSpec(kind, descriptions.get(SINGLE_OUTPUT_NAME));
}

function outputSpec(kind: Exclude<Kind, { kind: "taskFinalStatus" }>, description: string | undefined): OutputSpec {
  const describe = description !== undefined ? { description } : {};
  if (kind.kind === "artifact") return { kind: "artifact", schemaTitle: kind.schemaTitle, schemaVersion: "0.0.1", optional: false, list: kind.list, ...describe };
  return { kind: "parameter", type: kind.type, optional: false, ...describe, ...listTypes(kind) } as OutputSpec;
}

function listTypes(kind: Extract<Kind, { kind: "parameter" }>): { itemType?: ParameterType; itemFieldType?: ParameterType } {
  if (kind.type !== "LIST") return {};
  return { itemType: kind.itemType ?? "STRING", ...(kind.itemFieldType !== undefined ? { itemFieldType: kind.itemFieldType } : {}) };
}

/** `maybe_make_unique`: `name`, else `name_2`, `name_3`, … */
function unique(name: string, taken: Record<string, unknown>): string {
  if (!(name in taken)) return name;
  for (let index = 2; ; index++) if (!(`${name}_${index}` in taken)) return `${name}_${index}`;
}

/** `maybe_strip_optional_from_annotation`: `Optional[T]` and `Union[T, None]` are `T`. */
function stripOptional(annotation: Expression): Expression {
  if (annotation.kind !== "subscript" || annotation.value.kind !== "name") return annotation;
  const name = typingName(annotation.value.name);
  if (name === "Optional" && annotation.index.length === 1) return annotation.index[0];
  if (name === "Union" && annotation.index.length === 2 && annotation.index[1].kind === "name" && annotation.index[1].name === "None") return annotation.index[0];
  return annotation;
}

function markerOf(annotation: Expression): { marker: Marker; inner: Expression | undefined } | undefined {
  if (annotation.kind === "subscript" && annotation.value.kind === "name") {
    const name = kfpName(annotation.value.name);
    if ((name === "Input" || name === "Output") && annotation.index.length === 1) return { marker: name === "Input" ? "input" : "output", inner: annotation.index[0] };
  }
  if (annotation.kind === "call" && annotation.func.kind === "name") {
    const name = kfpName(annotation.func.name);
    if (name === "InputPath" || name === "OutputPath") return { marker: name === "InputPath" ? "inputPath" : "outputPath", inner: annotation.args[0] ?? annotation.keywords.find(([key]) => key === "type")?.[1] };
  }
  return undefined;
}

/** `Input[T]` and `Output[T]` hold artifacts; `InputPath(t)` and `OutputPath(t)` artifacts or parameters. */
function markedKind(marker: Marker, inner: Expression | undefined): Kind | { error: string } {
  if (marker === "input" || marker === "output") {
    const kind = inner === undefined ? undefined : kindOf(inner);
    if (kind === undefined || "error" in kind || kind.kind !== "artifact") {
      return { error: `${marker === "input" ? "Input" : "Output"}[...] takes an artifact class such as Dataset or Model, or a List of one; got ${inner === undefined ? "nothing" : describeExpression(inner)}` };
    }
    return kind;
  }
  // `construct_type_for_inputpath_or_outputpath`: an artifact class or its name, a parameter type
  // or its name, else (an unknown name, or nothing) a generic artifact.
  if (inner === undefined) return { kind: "artifact", schemaTitle: "system.Artifact", list: false };
  if (inner.kind === "string") {
    const artifactClass = Object.keys(ARTIFACT_CLASSES).find((name) => name.toLowerCase() === inner.value.toLowerCase());
    if (artifactClass !== undefined) return { kind: "artifact", schemaTitle: ARTIFACT_CLASSES[artifactClass], list: false };
    const short = /^(?:typing\.)?(\w+)/.exec(inner.value)?.[1] ?? inner.value;
    const type = PARAMETER_TYPE_NAMES[short.toLowerCase()];
    return type !== undefined ? { kind: "parameter", type } : { kind: "artifact", schemaTitle: "system.Artifact", list: false };
  }
  const kind = kindOf(inner);
  if ("error" in kind) return kind;
  if (kind.kind === "artifact" && kind.list) return { error: `${marker === "inputPath" ? "InputPath" : "OutputPath"}(...) takes one artifact type, not a list` };
  return kind;
}

/** A bare annotation: a parameter type, an artifact class (or a List of one), or the final status. */
function kindOf(annotation: Expression): Kind | { error: string } {
  const base = annotation.kind === "subscript" ? annotation.value : annotation;
  if (base.kind === "name" && base.name.startsWith("typing.")) {
    return { error: `${base.name}: the container's module imports only \`from typing import *\`, so "typing." is not defined there; allowed: ${base.name.slice(7)}` };
  }
  const unknown = { error: `${describeExpression(annotation)} is not a type a component input or output can have; allowed: str, int, float, bool, dict, list, Dict[...], List[...], an artifact class (${Object.keys(ARTIFACT_CLASSES).join(", ")}), Input[...], Output[...], InputPath(...), OutputPath(...)` };
  if (annotation.kind === "name") {
    const builtin = BUILTIN_TYPES[annotation.name];
    if (builtin !== undefined) return { kind: "parameter", type: builtin };
    const typing = typingName(annotation.name);
    if (typing === "List") return { kind: "parameter", type: "LIST" };
    if (typing === "Dict") return { kind: "parameter", type: "STRUCT" };
    const kfp = kfpName(annotation.name);
    if (kfp !== undefined && kfp in ARTIFACT_CLASSES) return { kind: "artifact", schemaTitle: ARTIFACT_CLASSES[kfp], list: false };
    if (kfp === "PipelineTaskFinalStatus") return { kind: "taskFinalStatus" };
    return unknown;
  }
  if (annotation.kind === "subscript" && annotation.value.kind === "name") {
    const name = annotation.value.name;
    const generic = name === "list" || name === "dict" ? (name === "list" ? "List" : "Dict") : typingName(name);
    if (generic === "List" && annotation.index.length === 1) {
      const item = kindOf(stripOptional(annotation.index[0]));
      if (!("error" in item) && item.kind === "artifact" && !item.list) return { kind: "artifact", schemaTitle: item.schemaTitle, list: true };
      // `for_loop._get_loop_item_type` / `_get_subvar_type`: the item's type, and the value type of `Dict[str, V]` items.
      return { kind: "parameter", type: "LIST", itemType: parameterTypeOf(annotation.index[0]) ?? "STRING", ...fieldTypeOf(annotation.index[0]) };
    }
    if (generic === "Dict") return { kind: "parameter", type: "STRUCT" };
  }
  if (annotation.kind === "binary" && annotation.operator === "|") return { error: `${describeExpression(annotation)}: the SDK reads only Optional[T] for optional inputs; allowed: Optional[...]` };
  if (annotation.kind === "string") return { error: `a string annotation (${JSON.stringify(annotation.value)}) is a forward reference the SDK does not resolve; allowed: the type itself` };
  return unknown;
}

function parameterTypeOf(expression: Expression): ParameterType | undefined {
  const kind = kindOf(stripOptional(expression));
  return "error" in kind || kind.kind !== "parameter" ? undefined : kind.type;
}

function fieldTypeOf(item: Expression): { itemFieldType?: ParameterType } {
  if (item.kind !== "subscript" || item.value.kind !== "name" || item.index.length !== 2) return {};
  const generic = item.value.name === "dict" ? "Dict" : typingName(item.value.name);
  if (generic !== "Dict" || item.index[0].kind !== "name" || !/^\w+$/.test(item.index[0].name)) return {};
  const type = parameterTypeOf(item.index[1]);
  return type !== undefined ? { itemFieldType: type } : {};
}

function namedTupleFields(returns: Expression, classes: ReadonlyMap<string, readonly NamedTupleField[]>): readonly NamedTupleField[] | undefined {
  if (returns.kind === "name") return classes.get(returns.name);
  return namedTupleCall(returns);
}

/** The name of a `typing` generic written bare, as the container's `from typing import *` allows. */
function typingName(name: string): string | undefined {
  return /^[A-Za-z_]\w*$/.test(name) ? name : undefined;
}

/** The name of a KFP class written bare, as `dsl.X` or as `kfp.dsl.X`, which the container imports. */
function kfpName(name: string): string | undefined {
  const match = /^(?:(?:kfp\.)?dsl\.)?([A-Za-z_]\w*)$/.exec(name);
  return match?.[1];
}
