/**
 * Tasks: one run of a component inside a pipeline. `TaskArgs` derives the accepted arguments from
 * the component's declared inputs, which is where wiring mistakes become type errors.
 */

import { ArtifactChannel, ParameterChannel, type Channel, type ChannelContext } from "./channels";
import type { ContainerComponent } from "./component";
import type { ScopeNode, TaskNode } from "./graph";
import type { Resources } from "./resources";
import type { ArtifactSpec, ComponentLike, InputSpecs, JsonValue, OutputSpecs, ParameterSpec, ParameterType, PipelineInputSpecs, TaskFinalStatusSpec, ValueOf } from "./types";

/** What a task needs of the pipeline definition it belongs to (a PipelineContext). */
export interface TaskContext extends ChannelContext {
  /** Every task of the pipeline, in creation order. */
  readonly tasks: Task[];
  /** A name unique in the pipeline: `base` itself when `explicit`, else `base`, `base-2`, … */
  claimTaskName(base: string, explicit: boolean): string;
}

/** A parameter input takes a literal of its type or a channel of exactly its type. */
type ParameterArg<T extends ParameterType> = ValueOf<T> | ParameterChannel<T>;
/**
 * An artifact input takes an artifact of its schema (a `system.Artifact` input takes any), and a
 * list input a list of them.
 */
type ArtifactArg<S extends string, L extends boolean> = ArtifactChannel<S extends "system.Artifact" ? string : S, L>;
type ArgFor<S> = S extends ParameterSpec<infer T> ? ParameterArg<T> : S extends ArtifactSpec<infer A, boolean, infer L> ? ArtifactArg<A, ListFlag<L>> : never;
/** Whether an artifact spec is a list: known for declared specs, either for specs TypeScript cannot see (derived ones). */
type ListFlag<L> = [L] extends [true] ? true : [L] extends [false] ? false : boolean;

type RequiredInputs<I extends InputSpecs> = {
  [K in keyof I]: I[K] extends TaskFinalStatusSpec ? never : I[K] extends { readonly optional: true } ? never : K;
}[keyof I];
type OptionalInputs<I extends InputSpecs> = {
  [K in keyof I]: I[K] extends TaskFinalStatusSpec ? never : I[K] extends { readonly optional: true } ? K : never;
}[keyof I];

/** The arguments of a task of a component with inputs `I`: required inputs must be given. */
export type TaskArgs<I extends InputSpecs> = { readonly [K in RequiredInputs<I>]: ArgFor<I[K]> } & {
  readonly [K in OptionalInputs<I>]?: ArgFor<I[K]>;
};

/** How a parameter type reads in a type error: what the input takes. */
type Takes<T extends ParameterType> = T extends "STRING"
  ? "a string, or a STRING channel"
  : T extends "NUMBER_INTEGER"
    ? "an integer, or a NUMBER_INTEGER channel"
    : T extends "NUMBER_DOUBLE"
      ? "a number, or a NUMBER_DOUBLE channel"
      : T extends "BOOLEAN"
        ? "a boolean, or a BOOLEAN channel"
        : T extends "LIST"
          ? "an array, or a LIST channel (collected(...) of a loop output, too)"
          : "an object, or a STRUCT channel";
/** What an input takes, in a type error. */
type WhatItTakes<S> =
  S extends ParameterSpec<infer T>
    ? Takes<T>
    : S extends ArtifactSpec<infer A, boolean, infer L>
      ? ListFlag<L> extends true
        ? `a list of ${A} artifacts: collected(...) of a loop output, or a list output`
        : `${A extends "system.Artifact" ? "an artifact of any type" : `a ${A} artifact`}: a task output, an importer or a pipeline input`
      : "nothing: the exit handler fills it in";
/** The type error for a wrong argument: it names the input and what it takes. */
type WrongArgument<K extends PropertyKey, S> = `input '${K & string}' takes ${WhatItTakes<S>}`;

/**
 * The arguments `A` a task passes, checked against the component's inputs `I`: a wrong argument's
 * type becomes a sentence naming the input and what it takes, which is what TypeScript then reports.
 */
export type CheckedArgs<I extends InputSpecs, A> = {
  readonly [K in keyof A]: K extends keyof I ? (A[K] extends ArgFor<I[K]> | undefined ? A[K] : WrongArgument<K, I[K]>) : `'${K & string}' is not an input of this component`;
} & (string extends RequiredInputs<I> ? unknown : { readonly [K in Exclude<RequiredInputs<I>, keyof A>]: `input '${K & string}' is required; it takes ${WhatItTakes<I[K]>}` });

/**
 * `[args, options?]`, with `args` optional when the component has no required input, or when its
 * inputs are not known to TypeScript (a Python component whose interface was derived, not declared:
 * `compile` checks those arguments).
 */
export type TaskArgsTuple<I extends InputSpecs, A> = [RequiredInputs<I>] extends [never]
  ? [args?: CheckedArgs<I, A>, options?: TaskOptions]
  : string extends RequiredInputs<I>
    ? [args?: CheckedArgs<I, A>, options?: TaskOptions]
    : [args: CheckedArgs<I, A>, options?: TaskOptions];

type OutputChannel<S> =
  S extends ParameterSpec<infer T, boolean, infer Item, infer Field>
    ? ParameterChannel<T, Item, Field>
    : S extends ArtifactSpec<infer A, boolean, infer L>
      ? ArtifactChannel<A, ListFlag<L>>
      : never;
export type TaskOutputs<O extends OutputSpecs> = { readonly [K in keyof O]: OutputChannel<O[K]> };

/** `set_retry`: retried `maxRetries` times, waiting `backoffSeconds × backoffFactor^n`, capped. */
export interface RetryPolicy {
  readonly maxRetries: number;
  /** @default 0 */
  readonly backoffSeconds?: number;
  /** @default 2 */
  readonly backoffFactor?: number;
  /** At most 3600. @default 3600 */
  readonly backoffMaxSeconds?: number;
}

export interface TaskOptions {
  /** The task's key in its DAG. @default the component name, with `-2`, `-3`, … if taken */
  readonly name?: string;
  /** Shown in the console (`taskInfo.name`). @default the task name */
  readonly displayName?: string;
  /** Reuse the outputs of an identical earlier run. @default true */
  readonly caching?: boolean;
  readonly retry?: RetryPolicy;
  /** Replaces the component's resources (container components only). */
  readonly resources?: Resources;
  /** Added to (and overriding) the component's environment (container components only). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * An importer (`dsl.importer`). The URI is the task's `uri` argument: a constant is written as
 * `artifactUri.constant`, a channel as `runtimeParameter: uri`.
 */
export interface ImporterComponent extends ComponentLike<{ readonly uri: ParameterSpec<"STRING", false> }, { readonly artifact: ArtifactSpec<string, false, false> }> {
  readonly kind: "importer";
  readonly reimport: boolean;
  readonly metadata?: { readonly [key: string]: JsonValue };
}

/** A pipeline run as a task (a Pipeline, which builds on tasks). */
export interface PipelineComponent extends ComponentLike<PipelineInputSpecs, OutputSpecs> {
  readonly kind: "pipeline";
}

export type TaskComponent = ContainerComponent | ImporterComponent | PipelineComponent;

/** The type records the outputs; inputs were checked when the task was created. */
export class Task<O extends OutputSpecs = OutputSpecs> implements TaskNode {
  readonly name: string;
  readonly outputs: TaskOutputs<O>;
  /** @internal Tasks named in `.after()`. */
  readonly upstream: Task[] = [];

  constructor(
    /** @internal */ readonly context: TaskContext,
    /** @internal The Dag the task was added to. */ readonly scope: ScopeNode,
    /** @internal */ readonly component: TaskComponent,
    /** @internal */ readonly args: { readonly [input: string]: unknown },
    /** @internal */ readonly options: TaskOptions,
    baseName: string,
  ) {
    this.name = context.claimTaskName(options.name ?? baseName, options.name !== undefined);
    context.tasks.push(this);
    const outputs: Record<string, Channel> = {};
    for (const [key, spec] of Object.entries(component.outputs as OutputSpecs)) {
      const ref = { kind: "taskOutput", task: this as Task, output: key } as const;
      outputs[key] =
        spec.kind === "artifact"
          ? new ArtifactChannel(context, ref, spec.schemaTitle, spec.schemaVersion, spec.list === true)
          : new ParameterChannel(context, ref, spec.type, spec.itemType, spec.itemFieldType);
    }
    this.outputs = outputs as TaskOutputs<O>;
  }

  /** Runs this task only after `tasks` finish, without passing data (`.after()`). */
  after(...tasks: Task[]): this {
    for (const task of tasks) if (!this.upstream.includes(task)) this.upstream.push(task);
    return this;
  }
}
