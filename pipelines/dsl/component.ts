/**
 * Container components: an image, a command line built from typed input and output placeholders,
 * environment, resources. A component is a reusable template; a task runs it inside a pipeline.
 */

import { throwIfProblems, type DslProblem } from "./errors";
import { IO_NAME_PATTERN, k8sName } from "./names";
import { componentIo, ConcatPlaceholder, IfPresentPlaceholder, type CommandLineElement, type ComponentIo } from "./placeholders";
import { resourceProblems, type Resources } from "./resources";
import { isValueOfType, PARAMETER_TYPES, SCHEMA_TITLE_PATTERN } from "./specs";
import type { ArtifactSpec, ComponentLike, InputSpecs, OutputSpecs, ParameterSpec } from "./types";

/** `image@sha256:<64 hex>`: the only image form a compiled pipeline accepts (see `compile`). */
export const PINNED_IMAGE_PATTERN = /^[^\s@]+@sha256:[0-9a-f]{64}$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

type CommandLine<I extends InputSpecs, O extends OutputSpecs> =
  | readonly CommandLineElement[]
  | ((io: ComponentIo<I, O>) => readonly CommandLineElement[]);

export interface ContainerComponentDefinition<I extends InputSpecs, O extends OutputSpecs> {
  /** Becomes the task name (`print_op` → `print-op`) and the `comp-`/`exec-` names. */
  readonly name: string;
  readonly description?: string;
  /** Must be pinned by digest, `registry/path@sha256:…`, to compile. */
  readonly image: string;
  readonly inputs?: I;
  readonly outputs?: O;
  /** Falls back to the image's ENTRYPOINT when omitted. */
  readonly command?: CommandLine<I, O>;
  readonly args?: CommandLine<I, O>;
  /** Emitted in insertion order. */
  readonly env?: Readonly<Record<string, string>>;
  readonly resources?: Resources;
}

export class ContainerComponent<I extends InputSpecs = InputSpecs, O extends OutputSpecs = OutputSpecs> implements ComponentLike<I, O> {
  readonly kind = "container";
  readonly name: string;
  readonly description?: string;
  readonly image: string;
  readonly inputs: I;
  readonly outputs: O;
  readonly command: readonly CommandLineElement[];
  readonly args: readonly CommandLineElement[];
  readonly env: Readonly<Record<string, string>>;
  readonly resources?: Resources;

  constructor(definition: ContainerComponentDefinition<I, O>) {
    this.name = definition.name;
    this.description = definition.description;
    this.image = definition.image;
    this.inputs = definition.inputs ?? ({} as I);
    this.outputs = definition.outputs ?? ({} as O);
    const io = componentIo(this.inputs, this.outputs);
    this.command = typeof definition.command === "function" ? definition.command(io) : (definition.command ?? []);
    this.args = typeof definition.args === "function" ? definition.args(io) : (definition.args ?? []);
    this.env = definition.env ?? {};
    this.resources = definition.resources;
  }
}

/** Defines a container component, checking its declarations; throws one error listing every problem. */
export function component<const I extends InputSpecs = Record<never, never>, const O extends OutputSpecs = Record<never, never>>(
  definition: ContainerComponentDefinition<I, O>,
): ContainerComponent<I, O> {
  const built = new ContainerComponent(definition);
  throwIfProblems(`Component "${definition.name}"`, componentProblems(built));
  return built;
}

function componentProblems(component: ContainerComponent): DslProblem[] {
  const problems: DslProblem[] = [];
  const add = (where: string, message: string) => problems.push({ where, message });
  if (k8sName(component.name) === "") add("name", `${JSON.stringify(component.name)} has no letters or digits; allowed: a name such as "train-model"`);
  if (component.image.trim() === "") add("image", "is empty; allowed: an image pinned by digest, registry/path@sha256:<64 hex>");
  problems.push(...ioProblems(component.inputs, component.outputs));
  for (const [name, value] of Object.entries(component.env)) {
    if (!ENV_NAME_PATTERN.test(name)) add(`env ${JSON.stringify(name)}`, "is not a valid variable name; allowed: letters, digits and _, not starting with a digit");
    if (typeof value !== "string") add(`env ${JSON.stringify(name)}`, "value is not a string");
  }
  for (const message of component.resources ? resourceProblems(component.resources) : []) add("resources", message);
  for (const element of [...component.command, ...component.args]) checkElement(element, component.inputs, add);
  return problems;
}

/** Problems with input and output declarations, shared by components and pipelines. */
export function ioProblems(inputs: InputSpecs, outputs: OutputSpecs): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const [side, specs] of [["input", inputs], ["output", outputs]] as const) {
    for (const [name, spec] of Object.entries(specs)) {
      const where = `${side} "${name}"`;
      if (!IO_NAME_PATTERN.test(name)) problems.push({ where, message: "is not a valid name; allowed: letters, digits and _, not starting with a digit" });
      if (spec.kind === "artifact") problems.push(...artifactProblems(where, spec));
      if (spec.kind === "parameter") problems.push(...parameterProblems(where, spec));
      if (side === "output" && spec.kind === "parameter" && (spec.optional || spec.default !== undefined)) {
        problems.push({ where, message: "outputs cannot have defaults or be optional" });
      }
    }
  }
  return problems;
}

function parameterProblems(where: string, spec: ParameterSpec): DslProblem[] {
  if (!PARAMETER_TYPES.includes(spec.type)) return [{ where, message: `type ${JSON.stringify(spec.type) ?? "undefined"} is not a parameter type; allowed: ${PARAMETER_TYPES.join(", ")}` }];
  const problems: DslProblem[] = [];
  if (spec.default !== undefined && !isValueOfType(spec.type, spec.default)) {
    problems.push({ where, message: `default ${JSON.stringify(spec.default)} is not of type ${spec.type}` });
  }
  for (const choice of spec.choices ?? []) {
    if (!isValueOfType(spec.type, choice)) problems.push({ where, message: `choice ${JSON.stringify(choice)} is not of type ${spec.type}` });
  }
  if (spec.default !== undefined && spec.choices !== undefined && !spec.choices.some((c) => JSON.stringify(c) === JSON.stringify(spec.default))) {
    problems.push({ where, message: `default ${JSON.stringify(spec.default)} is not one of its choices; allowed: ${spec.choices.map((c) => JSON.stringify(c)).join(", ")}` });
  }
  return problems;
}

function artifactProblems(where: string, spec: ArtifactSpec): DslProblem[] {
  return SCHEMA_TITLE_PATTERN.test(spec.schemaTitle)
    ? []
    : [{ where, message: `schema title ${JSON.stringify(spec.schemaTitle)} is not of the form <namespace>.<Title>; allowed: system.Dataset, google.VertexModel, …` }];
}

function checkElement(element: CommandLineElement, inputs: InputSpecs, add: (where: string, message: string) => void): void {
  if (element instanceof ConcatPlaceholder) {
    for (const item of element.items) {
      if (item instanceof IfPresentPlaceholder && (Array.isArray(item.then) || Array.isArray(item.otherwise))) {
        add("command line", "an ifPresent inside concat must have single elements for then and otherwise, as in the SDK");
      }
      checkElement(item, inputs, add);
    }
  } else if (element instanceof IfPresentPlaceholder) {
    const spec = inputs[element.inputName];
    if (spec === undefined || spec.kind === "taskFinalStatus" || !spec.optional) {
      add("command line", `ifPresent tests input "${element.inputName}", which is not an optional input; allowed: ${optionalInputs(inputs)}`);
    }
    for (const branch of [element.then, element.otherwise ?? []]) {
      for (const item of Array.isArray(branch) ? branch : [branch]) checkElement(item, inputs, add);
    }
  }
}

function optionalInputs(inputs: InputSpecs): string {
  const names = Object.entries(inputs)
    .filter(([, spec]) => spec.kind !== "taskFinalStatus" && spec.optional)
    .map(([name]) => name);
  return names.length > 0 ? names.join(", ") : "none (declare the input with a default or optional: true)";
}
