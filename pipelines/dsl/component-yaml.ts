/**
 * Components loaded from YAML, as `kfp.components.load_component_from_text` loads them: the KFP v1
 * `component.yaml` format that Google Cloud Pipeline Components and many teams publish, and the
 * KFP v2 IR of a single container component (a compiled component). The interface is typed from
 * the spec; a TypeScript declaration, when given, types the tasks and is checked against it.
 * Sources: kubeflow/pipelines `sdk/python/kfp/dsl/structures.py` (`from_v1_component_spec`,
 * `from_ir_dicts`, `from_yaml_documents`), `placeholders.py`
 * (`maybe_convert_v1_yaml_placeholder_to_v2_placeholder`), `types/type_utils.py`, sdk-2.14.3.
 */

import * as YAML from "yaml";
import { component, type ContainerComponent } from "./component";
import { declarationProblems } from "./declaration";
import { PipelineDefinitionError, throwIfProblems, type DslProblem } from "./errors";
import { k8sName } from "./names";
import { ConcatPlaceholder, IfPresentPlaceholder, Placeholder, type CommandLineElement } from "./placeholders";
import { isPlainObject, isValueOfType, KFP_ARTIFACT_TYPES, PARAMETER_TYPE_NAMES, PARAMETER_TYPES } from "./specs";
import type { ArtifactSpec, InputSpec, InputSpecs, JsonValue, OutputSpec, OutputSpecs, ParameterSpec, ParameterType } from "./types";

export interface LoadComponentOptions<I extends InputSpecs, O extends OutputSpecs> {
  /** Where the text came from (a file path or URL), for messages. @default "<text>" */
  readonly sourceName?: string;
  /**
   * Replaces the component's image: published components usually name a tag, and a compiled
   * pipeline takes images pinned by digest only (`registry/path@sha256:…` of the same tag).
   */
  readonly image?: string;
  /** The inputs as TypeScript declares them, for typed tasks; they must match the spec's. */
  readonly inputs?: I;
  /** The outputs as TypeScript declares them; checked like `inputs`. */
  readonly outputs?: O;
}

/** `type_utils.ARTIFACT_CLASSES_MAPPING`: v1 type names of artifacts, lower-cased. */
const ARTIFACT_TYPE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(KFP_ARTIFACT_TYPES).map(([name, title]) => [name.toLowerCase(), title]));
const GOOGLE_TYPE = /^google.[A-Za-z]+$/;

/**
 * PyYAML's booleans (`Resolver` for `tag:yaml.org,2002:bool`): yes/no/on/off/true/false in three
 * cases, but not `y`/`n`, which the `yaml` package's YAML 1.1 schema also reads as booleans.
 */
function pyyamlBooleans(tags: YAML.Tags): YAML.Tags {
  return tags.map((tag) => {
    if (typeof tag !== "object" || tag.tag !== "tag:yaml.org,2002:bool" || !("test" in tag) || tag.test === undefined) return tag;
    const scalar = tag as YAML.ScalarTag;
    const isTrue = scalar.identify?.(true) === true;
    return { ...scalar, test: isTrue ? /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/ : /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/ };
  });
}

/**
 * `load_component_from_text`: a container component from its YAML, v1 `component.yaml` or the v2
 * IR of a compiled component. Throws one error listing every problem.
 */
export function loadComponentFromText<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  text: string,
  options: LoadComponentOptions<I, O> = {},
): ContainerComponent<I, O> {
  const subject = `Component YAML ${options.sourceName ?? "<text>"}`;
  let documents: unknown[];
  try {
    // PyYAML reads YAML 1.1 (`yes` is true, `010` is octal), as the SDK does.
    documents = YAML.parseAllDocuments(text, { version: "1.1", customTags: pyyamlBooleans }).map((document) => {
      if (document.errors.length > 0) throw new Error(document.errors[0].message);
      return document.toJS();
    });
  } catch (error) {
    throw new PipelineDefinitionError(subject, [{ where: "YAML", message: (error as Error).message }]);
  }
  if (documents.length === 0 || documents.length > 2 || !isPlainObject(documents[0])) {
    throw new PipelineDefinitionError(subject, [{ where: "YAML", message: `holds ${documents.length} documents${documents.length > 0 && !isPlainObject(documents[0]) ? " and the first is not a mapping" : ""}; allowed: one component (a second, platform document is ignored)` }]);
  }
  const document = documents[0] as Record<string, unknown>;
  const loaded = "implementation" in document ? fromV1(document) : fromIr(document);
  const problems: DslProblem[] = [...loaded.problems];
  const source = { noun: "the component YAML", member: "input" };
  if (options.inputs !== undefined) problems.push(...declarationProblems("input", options.inputs, loaded.inputs, source));
  if (options.outputs !== undefined) problems.push(...declarationProblems("output", options.outputs, loaded.outputs, { ...source, member: "output" }));
  throwIfProblems(subject, problems);
  return component({
    name: loaded.name,
    ...(loaded.description !== undefined ? { description: loaded.description } : {}),
    image: options.image ?? loaded.image,
    inputs: loaded.inputs as unknown as I,
    outputs: loaded.outputs as unknown as O,
    command: loaded.command,
    args: loaded.args,
    ...(Object.keys(loaded.env).length > 0 ? { env: loaded.env } : {}),
  });
}

interface Loaded {
  name: string;
  description?: string;
  image: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  command: CommandLineElement[];
  args: CommandLineElement[];
  env: Record<string, string>;
  problems: DslProblem[];
}

/** `utils.sanitize_input_name`: lower case, runs of other characters become `_`, no edge `_`. */
export function sanitizeInputName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^_0-9a-z]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** `get_canonical_name_for_outer_generic`: `typing.List[str]` and `List[str]` are `List`. */
function outerType(type: string): string {
  const bare = type.startsWith("typing.") ? type.slice(7) : type;
  return /^(list|dict)/i.test(bare) ? bare.split("[")[0] : bare;
}

// ---------------------------------------------------------------------------------------------
// KFP v1 component.yaml

function fromV1(document: Record<string, unknown>): Loaded {
  const problems: DslProblem[] = [];
  const add = (where: string, message: string) => problems.push({ where, message });
  const implementation = document.implementation;
  const container = isPlainObject(implementation) ? implementation.container : undefined;
  if (!isPlainObject(container)) {
    add("implementation", "has no container; allowed: implementation.container (graph implementations of KFP v1 are not supported, as in the SDK)");
  }
  const spec = isPlainObject(container) ? container : {};
  const inputs: Record<string, InputSpec> = {};
  const outputs: Record<string, OutputSpec> = {};
  const inputTypes = new Map<string, unknown>();
  const outputTypes = new Map<string, unknown>();
  for (const [index, raw] of list(document.inputs, "inputs", add).entries()) {
    if (!isPlainObject(raw) || typeof raw.name !== "string") {
      add(`inputs[${index}]`, "has no name; allowed: {name: ..., type: ...}");
      continue;
    }
    const name = sanitizeInputName(raw.name);
    inputTypes.set(raw.name, raw.type);
    const optional = raw.optional === true || "default" in raw;
    const input = v1Input(raw.type, raw.default, optional, (message) => add(`input "${raw.name}"`, message));
    if (input !== undefined) inputs[name] = input;
  }
  for (const [index, raw] of list(document.outputs, "outputs", add).entries()) {
    if (!isPlainObject(raw) || typeof raw.name !== "string") {
      add(`outputs[${index}]`, "has no name; allowed: {name: ..., type: ...}");
      continue;
    }
    outputTypes.set(raw.name, raw.type);
    outputs[sanitizeInputName(raw.name)] = v1Output(raw.type);
  }
  const placeholders = new V1Placeholders(inputs, outputs, inputTypes, outputTypes, add);
  const env: Record<string, string> = {};
  if (spec.env !== undefined) {
    if (!isPlainObject(spec.env)) add("implementation.container.env", "is not a mapping of names to values");
    else for (const [key, value] of Object.entries(spec.env)) env[key] = String(placeholders.element(value, `env ${key}`));
  }
  if (typeof spec.image !== "string" || spec.image === "") add("implementation.container.image", "is missing");
  return {
    name: typeof document.name === "string" ? document.name : "name",
    ...(typeof document.description === "string" ? { description: document.description } : {}),
    image: typeof spec.image === "string" ? spec.image : "",
    inputs,
    outputs,
    command: list(spec.command, "implementation.container.command", add).map((element, i) => placeholders.element(element, `command[${i}]`)),
    args: list(spec.args, "implementation.container.args", add).map((element, i) => placeholders.element(element, `args[${i}]`)),
    env,
    problems,
  };
}

function list(value: unknown, where: string, add: (where: string, message: string) => void): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  add(where, "is not a list");
  return [];
}

/** An input of a v1 spec, as `from_v1_component_spec` types it. */
function v1Input(type: unknown, rawDefault: unknown, optional: boolean, problem: (message: string) => void): InputSpec | undefined {
  const typeName = typeof type === "string" ? outerType(type) : undefined;
  if (typeName === "PipelineTaskFinalStatus") return { kind: "taskFinalStatus" };
  const parameterType = typeName !== undefined ? PARAMETER_TYPE_NAMES[typeName.toLowerCase()] : undefined;
  if (parameterType !== undefined) {
    const value = v1Default(parameterType, rawDefault);
    if (value !== undefined && value !== null && !isValueOfType(parameterType, value)) {
      problem(`default ${JSON.stringify(rawDefault)} is not ${parameterType}`);
      return undefined;
    }
    return { kind: "parameter", type: parameterType, optional, ...(value !== undefined && value !== null ? { default: value } : {}), ...(parameterType === "LIST" ? { itemType: "STRING" } : {}) } as ParameterSpec;
  }
  return { kind: "artifact", schemaTitle: v1ArtifactTitle(typeName), schemaVersion: "0.0.1", optional, list: false } satisfies ArtifactSpec;
}

function v1Output(type: unknown): OutputSpec {
  const typeName = typeof type === "string" ? outerType(type) : undefined;
  const parameterType = typeName !== undefined ? PARAMETER_TYPE_NAMES[typeName.toLowerCase()] : undefined;
  if (parameterType !== undefined) return { kind: "parameter", type: parameterType, optional: false, ...(parameterType === "LIST" ? { itemType: "STRING" } : {}) } as OutputSpec;
  return { kind: "artifact", schemaTitle: v1ArtifactTitle(typeName), schemaVersion: "0.0.1", optional: false, list: false };
}

/** `google.X` stays itself, a KFP artifact class name is its `system.X`, anything else a `system.Artifact`. */
function v1ArtifactTitle(typeName: string | undefined): string {
  if (typeName === undefined) return "system.Artifact";
  if (GOOGLE_TYPE.test(typeName)) return typeName;
  return ARTIFACT_TYPE_NAMES[typeName.toLowerCase()] ?? "system.Artifact";
}

/** `deserialize_v1_component_yaml_default`: v1 defaults are often strings; cast them to the type. */
function v1Default(type: ParameterType, value: unknown): JsonValue | undefined {
  if (value === undefined || value === null) return value as undefined;
  switch (type) {
    case "NUMBER_INTEGER":
      return typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : (value as JsonValue);
    case "NUMBER_DOUBLE":
      return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : (value as JsonValue);
    case "STRING":
      return typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? pythonStrOf(value) : (value as JsonValue);
    case "BOOLEAN": {
      if (typeof value !== "string") return value as JsonValue;
      const text = value.toLowerCase();
      return ["y", "yes", "t", "true", "on", "1"].includes(text) ? true : ["n", "no", "f", "false", "off", "0"].includes(text) ? false : value;
    }
    case "LIST":
    case "STRUCT":
      if (typeof value !== "string") return value as JsonValue;
      try {
        return JSON.parse(value) as JsonValue;
      } catch {
        return value;
      }
  }
}

/** `str()` of a YAML number or boolean, as a v1 String default is cast. */
function pythonStrOf(value: number | boolean): string {
  return typeof value === "boolean" ? (value ? "True" : "False") : String(value);
}

/** v1 command-line placeholders (`{inputValue: x}`, `{outputPath: y}`, `concat`, `if`) as the DSL's. */
class V1Placeholders {
  constructor(
    private readonly inputs: Readonly<Record<string, InputSpec>>,
    private readonly outputs: Readonly<Record<string, OutputSpec>>,
    private readonly inputTypes: ReadonlyMap<string, unknown>,
    private readonly outputTypes: ReadonlyMap<string, unknown>,
    private readonly add: (where: string, message: string) => void,
  ) {}

  element(value: unknown, where: string): CommandLineElement {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (!isPlainObject(value)) {
      this.add(where, `${JSON.stringify(value)} is not a string or a placeholder`);
      return "";
    }
    const keys = Object.keys(value);
    if ("if" in value) return this.ifPresent(value.if, where);
    if ("ifPresent" in value && isPlainObject(value.ifPresent)) {
      const { inputName, then, else: otherwise } = value.ifPresent;
      return this.ifPresent({ cond: { isPresent: inputName }, then, else: otherwise }, where);
    }
    if ("concat" in value) return new ConcatPlaceholder(list(value.concat, where, this.add).map((item, i) => this.element(item, `${where}.concat[${i}]`)));
    if (keys.length !== 1) {
      this.add(where, `${JSON.stringify(value)} has ${keys.length} keys; allowed: one placeholder such as {inputValue: name}`);
      return "";
    }
    const [kind] = keys;
    const target = value[kind];
    if (kind === "executorInput") return new Placeholder("{{$}}");
    if (typeof target !== "string") {
      this.add(where, `${kind} names ${JSON.stringify(target)}; allowed: the name of an input or output`);
      return "";
    }
    const name = sanitizeInputName(target);
    switch (kind) {
      case "inputValue":
        return this.input(name, target, "parameter", where, `{{$.inputs.parameters['${name}']}}`);
      case "inputPath":
        return this.input(name, target, "artifact", where, `{{$.inputs.artifacts['${name}'].path}}`);
      case "inputUri":
        return this.input(name, target, "artifact", where, `{{$.inputs.artifacts['${name}'].uri}}`);
      case "outputPath": {
        if (!this.outputTypes.has(target)) return this.unknown(where, kind, target, "output");
        const spec = this.outputs[name];
        return new Placeholder(spec.kind === "parameter" ? `{{$.outputs.parameters['${name}'].output_file}}` : `{{$.outputs.artifacts['${name}'].path}}`);
      }
      case "outputUri": {
        if (!this.outputTypes.has(target)) return this.unknown(where, kind, target, "output");
        if (this.outputs[name].kind !== "artifact") this.add(where, `outputUri of "${target}", which is a parameter; allowed: outputPath (parameters have no URI)`);
        return new Placeholder(`{{$.outputs.artifacts['${name}'].uri}}`);
      }
      default:
        this.add(where, `the placeholder ${kind} is not one KFP v2 converts; allowed: inputValue, inputPath, inputUri, outputPath, outputUri, executorInput, concat, if`);
        return "";
    }
  }

  private input(name: string, original: string, expected: "parameter" | "artifact", where: string, text: string): CommandLineElement {
    if (!this.inputTypes.has(original)) return this.unknown(where, expected === "parameter" ? "inputValue" : "inputPath/inputUri", original, "input");
    const spec = this.inputs[name];
    if (spec !== undefined && spec.kind !== "taskFinalStatus" && spec.kind !== expected) {
      this.add(
        where,
        expected === "parameter"
          ? `inputValue of "${original}", which is an artifact; allowed: inputPath or inputUri (KFP v2 passes artifacts by reference)`
          : `a path or URI of "${original}", which is a parameter; allowed: inputValue (KFP v2 passes parameters by value)`,
      );
    }
    return new Placeholder(text);
  }

  private unknown(where: string, kind: string, name: string, side: "input" | "output"): string {
    const names = [...(side === "input" ? this.inputTypes : this.outputTypes).keys()];
    this.add(where, `${kind} names "${name}", which is not an ${side}; allowed: ${names.join(", ") || "none"}`);
    return "";
  }

  /** `{if: {cond: {isPresent: x}, then: [...], else: [...]}}`. */
  private ifPresent(value: unknown, where: string): CommandLineElement {
    const condition = isPlainObject(value) && isPlainObject(value.cond) ? value.cond.isPresent : undefined;
    if (!isPlainObject(value) || typeof condition !== "string") {
      this.add(where, "an if placeholder needs cond: {isPresent: <input name>}; other conditions are not supported, as in the SDK");
      return "";
    }
    const branch = (part: unknown, label: string) =>
      Array.isArray(part) ? part.map((item, i) => this.element(item, `${where}.${label}[${i}]`)) : this.element(part, `${where}.${label}`);
    const then = branch(value.then, "then");
    const otherwise = value.else === undefined || value.else === null ? undefined : branch(value.else, "else");
    return new IfPresentPlaceholder(sanitizeInputName(condition), then, otherwise);
  }
}

// ---------------------------------------------------------------------------------------------
// KFP v2 IR of one component (`from_ir_dicts`)

function fromIr(document: Record<string, unknown>): Loaded {
  const problems: DslProblem[] = [];
  const add = (where: string, message: string) => problems.push({ where, message });
  const info = isPlainObject(document.pipelineInfo) ? document.pipelineInfo : {};
  const rawName = typeof info.name === "string" ? info.name : "";
  if (rawName === "") add("pipelineInfo.name", "is missing; allowed: a compiled KFP v2 component, or a v1 component.yaml with implementation.container");
  const components = isPlainObject(document.components) ? document.components : {};
  const spec = (components[`comp-${k8sName(rawName)}`] ?? document.root) as unknown;
  const executors = isPlainObject(document.deploymentSpec) && isPlainObject(document.deploymentSpec.executors) ? document.deploymentSpec.executors : {};
  const executor = executors[`exec-${k8sName(rawName)}`];
  const container = isPlainObject(executor) ? executor.container : undefined;
  if (!isPlainObject(container)) {
    add("deploymentSpec", `has no container executor exec-${k8sName(rawName)}; allowed: a compiled single-container component (a compiled pipeline with a DAG cannot be loaded as a component)`);
  }
  const inputs: Record<string, InputSpec> = {};
  const outputs: Record<string, OutputSpec> = {};
  const definitions = isPlainObject(spec) ? spec : {};
  const inputDefinitions = isPlainObject(definitions.inputDefinitions) ? definitions.inputDefinitions : {};
  const outputDefinitions = isPlainObject(definitions.outputDefinitions) ? definitions.outputDefinitions : {};
  // As `InputSpec.from_ir_component_inputs_dict`: descriptions are not kept.
  for (const [name, raw] of Object.entries(isPlainObject(inputDefinitions.parameters) ? inputDefinitions.parameters : {})) {
    if (!isPlainObject(raw)) continue;
    if (raw.parameterType === "TASK_FINAL_STATUS") {
      inputs[name] = { kind: "taskFinalStatus" };
      continue;
    }
    const type = irParameterType(raw.parameterType, `input "${name}"`, add);
    if (type === undefined) continue;
    const optional = raw.isOptional === true || (raw.isOptional === undefined && "defaultValue" in raw);
    inputs[name] = { kind: "parameter", type, optional, ...(raw.defaultValue !== undefined && raw.defaultValue !== null ? { default: raw.defaultValue as JsonValue } : {}), ...(type === "LIST" ? { itemType: "STRING" } : {}) } as ParameterSpec;
  }
  for (const [name, raw] of Object.entries(isPlainObject(inputDefinitions.artifacts) ? inputDefinitions.artifacts : {})) {
    const type = isPlainObject(raw) && isPlainObject(raw.artifactType) ? raw.artifactType : {};
    inputs[name] = { kind: "artifact", schemaTitle: String(type.schemaTitle), schemaVersion: String(type.schemaVersion ?? "0.0.1"), optional: isPlainObject(raw) && raw.isOptional === true, list: isPlainObject(raw) && raw.isArtifactList === true };
  }
  for (const [name, raw] of Object.entries(isPlainObject(outputDefinitions.parameters) ? outputDefinitions.parameters : {})) {
    const type = irParameterType(isPlainObject(raw) ? raw.parameterType : undefined, `output "${name}"`, add);
    if (type !== undefined) outputs[name] = { kind: "parameter", type, optional: false, ...(type === "LIST" ? { itemType: "STRING" } : {}) } as OutputSpec;
  }
  for (const [name, raw] of Object.entries(isPlainObject(outputDefinitions.artifacts) ? outputDefinitions.artifacts : {})) {
    const type = isPlainObject(raw) && isPlainObject(raw.artifactType) ? raw.artifactType : {};
    outputs[name] = { kind: "artifact", schemaTitle: String(type.schemaTitle), schemaVersion: String(type.schemaVersion ?? "0.0.1"), optional: false, list: isPlainObject(raw) && raw.isArtifactList === true };
  }
  const containerSpec = isPlainObject(container) ? container : {};
  const strings = (value: unknown, where: string) => list(value, where, add).map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
  // The IR writes the environment as a list of {name, value}.
  const env: Record<string, string> = {};
  for (const entry of list(containerSpec.env, "env", add)) if (isPlainObject(entry) && typeof entry.name === "string") env[entry.name] = String(entry.value ?? "");
  return {
    name: rawName,
    image: typeof containerSpec.image === "string" ? containerSpec.image : "",
    inputs,
    outputs,
    command: strings(containerSpec.command, "command"),
    args: strings(containerSpec.args, "args"),
    env,
    problems,
  };
}

function irParameterType(value: unknown, where: string, add: (where: string, message: string) => void): ParameterType | undefined {
  if (typeof value === "string" && (PARAMETER_TYPES as readonly string[]).includes(value)) return value as ParameterType;
  add(where, `parameter type ${JSON.stringify(value)} is unknown; allowed: ${PARAMETER_TYPES.join(", ")}`);
  return undefined;
}
