/**
 * Pipelines: typed root inputs, a body that wires tasks, optional typed outputs. A pipeline can
 * run as a task inside another pipeline, like a component.
 */

import { ArtifactChannel, isChannel, ParameterChannel, type Channel } from "./channels";
import { ioProblems } from "./component";
import { PipelineContext } from "./context";
import { Dag } from "./dag";
import { PIPELINE_NAME_PATTERN } from "./names";
import type { ArtifactSpec, ComponentLike, JsonValue, OutputSpecs, ParameterSpec, ParameterType, PipelineInputSpecs, ValueOf } from "./types";

export interface PipelineDefinition<I extends PipelineInputSpecs, O extends OutputSpecs> {
  /** `pipelineInfo.name`; must match `^[a-z0-9][a-z0-9-]{0,127}$`. */
  readonly name: string;
  /** At most 1024 characters. */
  readonly description?: string;
  readonly displayName?: string;
  /** `defaultPipelineRoot`: where outputs go when the run does not say. */
  readonly pipelineRoot?: string;
  readonly inputs?: I;
  readonly outputs?: O;
}

/** The channels a pipeline body receives for its inputs. */
export type PipelineInputs<I extends PipelineInputSpecs> = {
  readonly [K in keyof I]: I[K] extends ParameterSpec<infer T, boolean, infer Item, infer Field>
    ? ParameterChannel<T, Item, Field>
    : I[K] extends ArtifactSpec<infer A, boolean, infer L>
      ? ArtifactChannel<A, [L] extends [true] ? true : false>
      : never;
};

type ReturnedChannel<S> = S extends ParameterSpec<infer T> ? ParameterChannel<T> : S extends ArtifactSpec<infer A> ? ArtifactChannel<A extends "system.Artifact" ? string : A> : never;
/** What the body returns: one channel per declared output, or nothing without outputs. */
export type PipelineResult<O extends OutputSpecs> = [keyof O] extends [never] ? void : { readonly [K in keyof O]: ReturnedChannel<O[K]> };

/** One root parameter input, as run parameters are checked against it (artifact inputs are not parameters). */
export interface PipelineParameter {
  readonly name: string;
  readonly type: ParameterType;
  /** True when the run may leave it out (it has a default or is optional). */
  readonly optional: boolean;
  readonly default?: ValueOf<ParameterType>;
  readonly description?: string;
  readonly choices?: readonly ValueOf<ParameterType>[];
}

export class Pipeline<I extends PipelineInputSpecs = PipelineInputSpecs, O extends OutputSpecs = OutputSpecs> implements ComponentLike<I, O> {
  readonly kind = "pipeline";
  readonly name: string;
  readonly description?: string;
  readonly displayName?: string;
  readonly pipelineRoot?: string;
  readonly inputs: I;
  readonly outputs: O;
  /** @internal */ readonly context: PipelineContext;
  /** @internal */ readonly root: Dag;
  /** @internal What the body returned for each declared output. */
  readonly returned: { readonly [output: string]: Channel };
  private readonly definition: PipelineDefinition<PipelineInputSpecs, OutputSpecs>;
  // Erased to `never` inputs: a field typed by I would make Pipeline invariant in I, and a
  // specific pipeline could no longer be used where a Pipeline of any inputs is expected.
  private readonly body: (dag: Dag, inputs: never) => unknown;

  constructor(definition: PipelineDefinition<PipelineInputSpecs, OutputSpecs>, body: (dag: Dag, inputs: PipelineInputs<I>) => PipelineResult<O>) {
    this.definition = definition;
    this.body = body;
    this.name = definition.name;
    this.description = definition.description;
    this.displayName = definition.displayName;
    this.pipelineRoot = definition.pipelineRoot;
    // `pipeline()` derives I and O from this very definition.
    this.inputs = (definition.inputs ?? {}) as I;
    this.outputs = (definition.outputs ?? {}) as O;
    this.context = new PipelineContext(definition.name);
    this.root = new Dag(this.context);
    this.checkDefinition();
    const channels = Object.fromEntries(
      Object.entries(this.inputs as PipelineInputSpecs).map(([name, spec]) => {
        const ref = { kind: "pipelineInput", name } as const;
        return [name, spec.kind === "artifact" ? new ArtifactChannel(this.context, ref, spec.schemaTitle, spec.schemaVersion, spec.list === true) : new ParameterChannel(this.context, ref, spec.type, spec.itemType, spec.itemFieldType)];
      }),
    ) as PipelineInputs<I>;
    this.returned = this.checkReturned(this.root.run((dag) => body(dag, channels)));
  }

  /** The root parameter inputs in name order: what a run (or schedule) may pass as parameter values. */
  get parameters(): readonly PipelineParameter[] {
    return Object.entries(this.inputs as PipelineInputSpecs)
      .filter((entry): entry is [string, ParameterSpec] => entry[1].kind === "parameter")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, spec]) => ({
        name,
        type: spec.type,
        optional: spec.optional,
        ...(spec.default !== undefined ? { default: spec.default } : {}),
        ...(spec.description !== undefined ? { description: spec.description } : {}),
        ...(spec.choices !== undefined ? { choices: spec.choices } : {}),
      }));
  }

  /**
   * The same pipeline with `values` as the defaults of those root inputs, which become optional:
   * what the KFP SDK compiles from the pipeline function with these defaults in its signature
   * (`defaultValue` typed in `root.inputDefinitions`, `isOptional: true`, the `# Inputs:` header).
   * The body runs again on the new definition; a name that is not an input, or a value of the
   * wrong type or outside the input's choices, is reported by `compile` like any other problem.
   * The static types still treat inputs required before as required.
   */
  withDefaults(values: Readonly<Record<string, JsonValue>>): Pipeline<I, O> {
    const inputs: Record<string, ParameterSpec | ArtifactSpec> = {};
    for (const [name, spec] of Object.entries(this.inputs as PipelineInputSpecs)) {
      // The value's type is checked with the definition (checkDefinition), as a declared default is.
      const given = Object.prototype.hasOwnProperty.call(values, name) && spec.kind === "parameter";
      inputs[name] = given ? { ...spec, optional: true, default: values[name] as ValueOf<ParameterType> } : spec;
    }
    const copy = new Pipeline<I, O>({ ...this.definition, inputs }, this.body as (dag: Dag, inputs: PipelineInputs<I>) => PipelineResult<O>);
    const declared = Object.entries(this.inputs as PipelineInputSpecs).flatMap(([name, spec]) => (spec.kind === "parameter" ? [name] : []));
    for (const name of Object.keys(values).sort()) {
      if (!declared.includes(name)) {
        const artifact = (this.inputs as PipelineInputSpecs)[name]?.kind === "artifact";
        copy.context.problem(`default for "${name}"`, `${artifact ? "is an artifact input, which has no default" : "is not an input of the pipeline"}; allowed: ${declared.join(", ") || "none"}`);
      }
    }
    return copy;
  }

  private checkDefinition(): void {
    if (!PIPELINE_NAME_PATTERN.test(this.name)) {
      this.context.problem("name", `${JSON.stringify(this.name)} is not a valid pipeline name; allowed: ^[a-z0-9][a-z0-9-]{0,127}$, e.g. "tune-and-evaluate"`);
    }
    if (this.description !== undefined && this.description.length > 1024) {
      this.context.problem("description", `is ${this.description.length} characters long; allowed: at most 1024`);
    }
    for (const problem of ioProblems(this.inputs, this.outputs)) this.context.problems.push(problem);
    for (const [name, spec] of Object.entries(this.inputs as PipelineInputSpecs)) {
      if (spec.kind !== "parameter" && spec.kind !== "artifact") this.context.problem(`input "${name}"`, "is neither a parameter nor an artifact; allowed: param.string(), …, artifact(\"system.Dataset\")");
    }
  }

  private checkReturned(result: unknown): { readonly [output: string]: Channel } {
    const declared = Object.keys(this.outputs);
    const returned: Record<string, Channel> = {};
    if (result === undefined && declared.length === 0) return returned;
    const entries = result !== null && typeof result === "object" ? Object.entries(result) : [];
    for (const [key, value] of entries) {
      if (!declared.includes(key)) this.context.problem(`output "${key}"`, `is returned but not declared; allowed: ${declared.join(", ") || "no outputs"}`);
      else if (!isChannel(value)) this.context.problem(`output "${key}"`, "must be a task output or oneOf(...) channel");
      else returned[key] = value;
    }
    for (const key of declared) {
      if (!(key in returned) && !entries.some(([name]) => name === key)) this.context.problem(`output "${key}"`, "is declared but the body does not return it");
    }
    return returned;
  }
}

type InputsOf<D> = D extends { readonly inputs: infer I extends PipelineInputSpecs } ? I : Record<never, never>;
type OutputsOf<D> = D extends { readonly outputs: infer O extends OutputSpecs } ? O : Record<never, never>;

/**
 * Defines a pipeline. The body runs once, now, recording tasks; mistakes the types cannot catch
 * are reported together when the pipeline is compiled.
 */
// Inferring the whole definition (not I and O separately) keeps a call such as
// `compile(pipeline(...))` from taking its types from the parameter it is passed to.
export function pipeline<const D extends PipelineDefinition<PipelineInputSpecs, OutputSpecs>>(
  definition: D,
  body: (dag: Dag, inputs: PipelineInputs<InputsOf<D>>) => NoInfer<PipelineResult<OutputsOf<D>>>,
): Pipeline<InputsOf<D>, OutputsOf<D>> {
  return new Pipeline<InputsOf<D>, OutputsOf<D>>(definition, body);
}
