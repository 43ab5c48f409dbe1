/**
 * A DAG scope: the pipeline body or the body of a group. Tasks and groups are recorded in the
 * order they are created; nothing runs until the compiled pipeline is submitted.
 */

import { ArtifactChannel, LoopField, ParameterChannel, type LoopItem, type LoopItems } from "./channels";
import { negated, type Comparison } from "./conditions";
import type { PipelineContext } from "./context";
import { withArticle } from "./errors";
import { BranchesGroup, ConditionGroup, ExitHandlerGroup, LoopGroup, type DagNode, type Group, type GroupScope } from "./groups";
import { k8sName } from "./names";
import { isJsonValue, isPlainObject } from "./specs";
import { Task, type ImporterComponent, type TaskArgsTuple, type TaskComponent } from "./task";
import type { ArtifactSpec, ComponentLike, InputSpecs, JsonValue, OutputSpecs, ParameterType } from "./types";

export interface GroupOptions {
  /** Shown in the console instead of `condition-1`, `for-loop-2`, … */
  readonly displayName?: string;
}

export interface LoopOptions extends GroupOptions {
  /** How many iterations may run at once; 0 is unlimited. @default 0 */
  readonly parallelism?: number;
}

export interface ImporterOptions<S extends string> {
  /** A constant `gs://…` URI, or a STRING channel resolved at run time. */
  readonly artifactUri: string | ParameterChannel<"STRING">;
  readonly schemaTitle: S;
  /** @default "0.0.1" */
  readonly schemaVersion?: string;
  /** Import again even if an artifact with this URI exists. @default false */
  readonly reimport?: boolean;
  readonly metadata?: { readonly [key: string]: JsonValue };
  /** @default "importer", with `-2`, `-3`, … if taken */
  readonly name?: string;
  readonly displayName?: string;
  /** @default true */
  readonly caching?: boolean;
}

type ImporterTask<S extends string> = Task<{ readonly artifact: ArtifactSpec<S, false, false> }>;

/**
 * The parameter type of a JSON value's TypeScript type: a number literal with a decimal point is a
 * NUMBER_DOUBLE. A union of kinds stays a union, which no single input accepts: the SDK types by
 * the first element, which the types cannot see, so such a loop states its types instead.
 */
type KindOf<V> = V extends string
  ? "STRING"
  : V extends boolean
    ? "BOOLEAN"
    : V extends number
      ? number extends V
        ? "NUMBER_INTEGER" | "NUMBER_DOUBLE"
        : `${V}` extends `${string}.${string}`
          ? "NUMBER_DOUBLE"
          : "NUMBER_INTEGER"
      : V extends readonly JsonValue[]
        ? "LIST"
        : V extends object
          ? "STRUCT"
          : ParameterType;
/** The item type of a static list (the SDK takes its first element's). */
type RawItemType<L extends readonly JsonValue[]> = KindOf<L[number]>;
/** The field type of a static list of objects (the SDK takes the first value of the first object's). */
type RawFieldType<L extends readonly JsonValue[]> = L[number] extends infer Item ? (Item extends { readonly [key: string]: infer V } ? KindOf<V> : "STRING") : never;

export class Dag implements GroupScope {
  /** @internal Tasks and groups in creation order. */
  readonly children: DagNode[] = [];
  private closed = false;

  constructor(
    /** @internal */ readonly context: PipelineContext,
    /** @internal The group whose body this is; undefined for the pipeline's root. */
    readonly owner?: Group,
  ) {}

  /** Adds a task running `component` (a container component or another pipeline). */
  task<I extends InputSpecs, O extends OutputSpecs, const A extends object = Record<never, never>>(component: ComponentLike<I, O>, ...[args, options]: TaskArgsTuple<I, A>): Task<O> {
    this.assertOpen();
    // ComponentLike is only the typing surface; what reaches here is one of the DSL's own objects.
    const runnable = component as unknown as TaskComponent;
    if (runnable.kind !== "container" && runnable.kind !== "pipeline") {
      throw new Error(`dag.task() runs a component() or a pipeline(); got ${describe(component)}. Use dag.importer() for imports.`);
    }
    const baseName = runnable.kind === "container" ? k8sName(runnable.name) : runnable.name;
    return this.add(new Task<O>(this.context, this, runnable, args ?? {}, options ?? {}, baseName));
  }

  /** Imports an existing artifact (`dsl.importer`); its output is `outputs.artifact`. */
  importer<const S extends `${string}.${string}`>(options: ImporterOptions<S>): ImporterTask<S> {
    this.assertOpen();
    const importer: ImporterComponent = {
      kind: "importer",
      name: "importer",
      inputs: { uri: { kind: "parameter", type: "STRING", optional: false } },
      outputs: { artifact: { kind: "artifact", schemaTitle: options.schemaTitle, schemaVersion: options.schemaVersion ?? "0.0.1", optional: false, list: false } },
      reimport: options.reimport ?? false,
      ...(options.metadata !== undefined ? { metadata: options.metadata } : {}),
    };
    const taskOptions = { name: options.name, displayName: options.displayName, caching: options.caching };
    return this.add(new Task(this.context, this, importer, { uri: options.artifactUri }, taskOptions, "importer")) as ImporterTask<S>;
  }

  /** `dsl.If`: the body runs when `condition` holds. Continue with `.elif(...)` / `.else(...)`. */
  if<R>(condition: Comparison, body: (dag: Dag) => R, options?: GroupOptions): IfChain<[R]> {
    this.assertOpen();
    const group = new ConditionGroup<Dag>(this.groupName("condition"), this, (owner) => this.child(owner), options?.displayName, [condition], [negated(condition)]);
    this.add(group);
    return new IfChain(this, group, undefined, [group.body.run(body)]);
  }

  /**
   * `dsl.ParallelFor(item.p_a)` over a field of another loop's item: the SDK does not know the
   * field is a list, so its items are STRING (with STRING fields), whatever the field's stated type.
   */
  parallelFor<R>(items: LoopField, body: (dag: Dag, item: LoopItem<"STRING", "STRING">) => R, options?: LoopOptions): R;
  /** `dsl.ParallelFor` over a LIST channel (pipeline input or task output). */
  parallelFor<Item extends ParameterType, Field extends ParameterType, R>(items: ParameterChannel<"LIST", Item, Field>, body: (dag: Dag, item: LoopItem<Item, Field>) => R, options?: LoopOptions): R;
  /** `dsl.ParallelFor` over a static list of strings, numbers, booleans or objects. */
  parallelFor<const L extends readonly JsonValue[], R>(items: L, body: (dag: Dag, item: LoopItem<RawItemType<L>, RawFieldType<L>>) => R, options?: LoopOptions): R;
  parallelFor<R>(items: ParameterChannel | readonly JsonValue[], body: (dag: Dag, item: never) => R, options?: LoopOptions): R {
    this.assertOpen();
    const parallelism = options?.parallelism ?? 0;
    if (!(Number.isSafeInteger(parallelism) && parallelism >= 0)) {
      this.context.problem("parallelFor", `parallelism ${JSON.stringify(parallelism)} is not a whole number ≥ 0; allowed: 0 (unlimited), 1, 2, …`);
    }
    let loopItems: LoopItems;
    let itemType: ParameterType;
    let itemFieldType: ParameterType;
    if (items instanceof LoopField) {
      // `LoopParameterArgument.from_pipeline_channel`: the item type of a "String" field is unknown.
      loopItems = { kind: "channel", channel: items };
      itemType = "STRING";
      itemFieldType = "STRING";
    } else if (items instanceof ParameterChannel) {
      if (items.type !== "LIST") this.context.problem("parallelFor", `cannot iterate over ${withArticle(String(items.type))} channel; allowed: a LIST channel, a field of a loop item, or a static list`);
      loopItems = { kind: "channel", channel: items };
      itemType = items.itemType ?? "STRING";
      itemFieldType = items.itemFieldType ?? "STRING";
    } else if (items instanceof ArtifactChannel) {
      throw new Error(`parallelFor over ${withArticle(items.schemaTitle)} artifact channel is not supported; allowed: a LIST parameter channel, a field of a loop item, or a static list`);
    } else {
      [itemType, itemFieldType] = this.rawItemTypes(items);
      // The SDK numbers a static list's item before the loop group itself.
      loopItems = { kind: "raw", values: items, id: this.context.nextGroupId() };
    }
    const group = new LoopGroup<Dag>(this.groupName("for-loop"), this, (owner) => this.child(owner), options?.displayName, loopItems, itemType, itemFieldType, parallelism);
    this.add(group);
    return group.body.run((dag) => body(dag, group.item as never));
  }

  /**
   * `dsl.ExitHandler`: `exitTask`, created just before in this (top-level) scope, runs after the
   * body finishes, whether it succeeded or failed. A `taskFinalStatus()` input of its component
   * receives the outcome.
   */
  exitHandler<R>(exitTask: Task, body: (dag: Dag) => R, options?: GroupOptions): R {
    this.assertOpen();
    const where = `task "${exitTask.name}"`;
    if (this.owner !== undefined) this.context.problem(where, "exitHandler can only be used at the top level of a pipeline, as in the SDK");
    const index = this.children.indexOf(exitTask);
    if (index < 0) this.context.problem(where, "an exit task must be created in the scope that calls exitHandler, and guard one exit handler only");
    else this.children.splice(index, 1);
    const group = new ExitHandlerGroup<Dag>(this.groupName("exit-handler"), this, (owner) => this.child(owner), options?.displayName, exitTask);
    this.add(group);
    return group.body.run(body);
  }

  /** @internal Runs a body in this scope, then closes it. */
  run<R>(body: (dag: Dag) => R): R {
    try {
      return body(this);
    } finally {
      this.closed = true;
    }
  }

  /** @internal */
  child(owner: Group): Dag {
    return new Dag(this.context, owner);
  }

  /** @internal */
  add<N extends DagNode>(node: N): N {
    this.children.push(node);
    return node;
  }

  private groupName(kind: string): string {
    return `${kind}-${this.context.nextGroupId()}`;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new Error("this scope's body has already returned; add tasks through the dag passed to the body that is running");
    }
  }

  /** `_get_first_element_type`: the first element's type, and for an object its first value's. */
  private rawItemTypes(items: readonly JsonValue[]): [ParameterType, ParameterType] {
    const first = items[0];
    if (items.length === 0) this.context.problem("parallelFor", "the static list is empty; allowed: a list with at least one item");
    if (!items.every(isJsonValue)) this.context.problem("parallelFor", "the static list holds values that are not JSON; allowed: strings, numbers, booleans, objects");
    const itemType = jsonKind(first);
    const firstValue = isPlainObject(first) ? Object.values(first)[0] : undefined;
    return [itemType, itemType === "STRUCT" && firstValue !== undefined ? jsonKind(firstValue as JsonValue) : "STRING"];
  }
}

// If/Elif/Else chains live beside Dag: `dag.if` starts one and its `elif`/`else` take Dag bodies.
// A lone `if` is a condition group; adding `elif` or `else` wraps the chain in a
// condition-branches group, whose `oneOf` outputs pick the value of whichever branch ran.

/** The end of a chain that has an `else`. */
export interface Branches<R extends readonly unknown[]> {
  /** What each branch body returned, in order. */
  readonly results: R;
}

export class IfChain<R extends readonly unknown[]> implements Branches<R> {
  private continued = false;

  constructor(
    private readonly scope: Dag,
    private readonly last: ConditionGroup<Dag>,
    private readonly wrapper: BranchesGroup<Dag> | undefined,
    readonly results: R,
  ) {}

  /** `dsl.Elif`: runs when no earlier branch ran and `condition` holds. */
  elif<R2>(condition: Comparison, body: (dag: Dag) => R2, options?: GroupOptions): IfChain<[...R, R2]> {
    const upstream = this.last.negatedUpstream;
    const [wrapper, group] = this.next([...upstream, condition], [...upstream, negated(condition)], options);
    return new IfChain(this.scope, group, wrapper, [...this.results, group.body.run(body)]);
  }

  /** `dsl.Else`: runs when no earlier branch ran. */
  else<R2>(body: (dag: Dag) => R2, options?: GroupOptions): Branches<[...R, R2]> {
    const [wrapper, group] = this.next(this.last.negatedUpstream, [], options);
    wrapper.hasElse = true;
    return { results: [...this.results, group.body.run(body)] };
  }

  private next(conditions: readonly Comparison[], negatedUpstream: readonly Comparison[], options?: GroupOptions): [BranchesGroup<Dag>, ConditionGroup<Dag>] {
    if (this.continued) throw new Error("this if-chain was already continued; call elif/else on the value the previous elif returned");
    this.continued = true;
    const wrapper = this.wrapper ?? this.wrap();
    if (this.scope.children[this.scope.children.length - 1] !== wrapper) {
      throw new Error(`elif/else must directly follow its if: "${nodeName(this.scope.children[this.scope.children.length - 1])}" was added in between`);
    }
    const context = this.scope.context;
    const group = new ConditionGroup<Dag>(`condition-${context.nextGroupId()}`, wrapper.body, (owner) => wrapper.body.child(owner), options?.displayName, conditions, negatedUpstream);
    wrapper.body.add(group);
    return [wrapper, group];
  }

  /** Wraps the If in a branches group, taking over the If's number as the SDK does. */
  private wrap(): BranchesGroup<Dag> {
    const children = this.scope.children;
    const index = children.indexOf(this.last);
    if (index !== children.length - 1) {
      throw new Error(`elif/else must directly follow its if: "${nodeName(children[children.length - 1])}" was added in between`);
    }
    const context = this.scope.context;
    const wrapper = new BranchesGroup<Dag>(`condition-branches-${context.nextGroupId()}`, this.scope, (owner) => this.scope.child(owner));
    const wrapperId = wrapper.name.slice(wrapper.name.lastIndexOf("-") + 1);
    wrapper.name = `condition-branches-${this.last.name.slice(this.last.name.lastIndexOf("-") + 1)}`;
    this.last.name = `condition-${wrapperId}`;
    children[index] = wrapper;
    wrapper.body.add(this.last);
    this.last.parentScope = wrapper.body;
    return wrapper;
  }
}

function nodeName(node: { readonly name: string } | undefined): string {
  return node?.name ?? "?";
}

/** The parameter type of a JSON value as Python sees it after `json` parsing (whole numbers are ints). */
function jsonKind(value: JsonValue | undefined): ParameterType {
  if (typeof value === "string") return "STRING";
  if (typeof value === "boolean") return "BOOLEAN";
  if (typeof value === "number") return Number.isInteger(value) ? "NUMBER_INTEGER" : "NUMBER_DOUBLE";
  if (Array.isArray(value)) return "LIST";
  return isPlainObject(value) ? "STRUCT" : "STRING";
}

function describe(value: unknown): string {
  if (value !== null && typeof value === "object" && "kind" in value) return withArticle(String(value.kind));
  return withArticle(typeof value);
}
