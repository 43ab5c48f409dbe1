/**
 * Channels: values that exist only when the pipeline runs (pipeline inputs, task outputs, loop
 * items, `oneOf` selections). Tasks take them as inputs; the type parameters make a STRING output
 * unassignable to a NUMBER_INTEGER input, or a `system.Model` to a `system.Dataset` input.
 *
 * A parameter channel may also be embedded in a constant string (`${inputs.bucket}/data`); it then
 * stands for itself as a pattern the compiler turns into an injected input, as the SDK does.
 */

import type { GroupNode, TaskNode } from "./graph";
import type { JsonValue, ParameterType } from "./types";

/** What a channel needs of the pipeline definition it belongs to (a PipelineContext). */
export interface ChannelContext {
  readonly pipelineName: string;
  /** Every channel of the pipeline by its pattern, to resolve channels embedded in strings. */
  readonly channels: Map<string, Channel>;
  problem(where: string, message: string): void;
}

export type LoopItems =
  | { readonly kind: "raw"; readonly values: readonly JsonValue[]; readonly id: number }
  /** A LIST channel, or a field of another loop's item (of whatever declared type, as in the SDK). */
  | { readonly kind: "channel"; readonly channel: ParameterChannel };

/** A `parallelFor` (a LoopGroup) as its item and the item's fields see it. */
export interface LoopNode extends GroupNode {
  readonly kind: "for-loop";
  readonly items: LoopItems;
  readonly item: LoopItem;
  /** The item's type, as the SDK declares the loop's item input. */
  readonly itemType: ParameterType;
  /** The type of the item's fields, as the SDK declares a field passed into a group. */
  readonly itemFieldType: ParameterType;
}

/** An if/elif/else chain (a BranchesGroup) as its `oneOf` outputs see it. */
export interface BranchesNode extends GroupNode {
  readonly kind: "condition-branches";
}

/** Where a channel's value comes from. */
export type ChannelRef =
  | { readonly kind: "pipelineInput"; readonly name: string }
  | { readonly kind: "taskOutput"; readonly task: TaskNode; readonly output: string }
  | { readonly kind: "loopItem"; readonly loop: LoopNode }
  | { readonly kind: "loopField"; readonly loop: LoopNode; readonly field: string }
  | { readonly kind: "oneOf"; readonly branches: BranchesNode; readonly id: number; readonly channels: readonly Channel[] }
  /** `collected(output)`: every iteration's value of a task output inside loops (`dsl.Collected`). */
  | { readonly kind: "collected"; readonly output: Channel }
  /**
   * What a collected value becomes for one reader (set by the compiler): the list a group around
   * the producer publishes as its output `key`, outside every loop the reader is not in.
   */
  | { readonly kind: "groupOutput"; readonly group: GroupNode; readonly key: string; readonly source: Channel };

// Process-wide, so that a pattern copied from one pipeline into another never resolves there.
let nextChannelId = 1;
const PATTERN = /\{\{channel:\d+\}\}/g;

abstract class ChannelBase {
  /** The text that stands for this channel inside a constant string. */
  readonly pattern: string;

  constructor(
    /** @internal */ readonly context: ChannelContext,
    /** @internal */ readonly ref: ChannelRef,
  ) {
    this.pattern = `{{channel:${nextChannelId++}}}`;
    context.channels.set(this.pattern, this as unknown as Channel);
  }

  toString(): string {
    return this.pattern;
  }
}

export class ParameterChannel<T extends ParameterType = ParameterType, Item extends ParameterType = ParameterType, Field extends ParameterType = ParameterType> extends ChannelBase {
  readonly kind = "parameter";

  constructor(
    context: ChannelContext,
    ref: ChannelRef,
    readonly type: T,
    /** For LIST channels: the type of one item. */
    readonly itemType?: Item,
    /** For LIST channels of objects: the type of the items' fields. */
    readonly itemFieldType?: Field,
  ) {
    super(context, ref);
  }
}

export class ArtifactChannel<S extends string = string, L extends boolean = boolean> extends ChannelBase {
  readonly kind = "artifact";

  constructor(
    context: ChannelContext,
    ref: ChannelRef,
    readonly schemaTitle: S,
    readonly schemaVersion: string,
    /** A list of artifacts (`isArtifactList`), such as `collected(...)` of a loop task's output. */
    readonly list: L = false as L,
  ) {
    super(context, ref);
  }
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The current item of a `parallelFor`, typed as the SDK types it: an item of a static list by its
 * first element, of a LIST channel by the list's item type (STRING when the list says nothing,
 * as for a Python `list`), of another item's field as STRING.
 */
export class LoopItem<T extends ParameterType = ParameterType, F extends ParameterType = ParameterType> extends ParameterChannel<T, never, never> {
  /**
   * One field of the item, e.g. `item.field("A_a")` (the SDK's `item.A_a`), read with a `parseJson`
   * selector. Any item may have fields, whatever its declared type. The field's type is `type` when
   * given, else the item's field type: the type of a static list's first value, or the list's
   * `fields` (`Dict[str, V]` in Python); STRING when unknown.
   */
  field(key: string): LoopField<F>;
  field<S extends ParameterType>(key: string, type: S): LoopField<S>;
  field(key: string, type?: ParameterType): LoopField {
    if (this.ref.kind !== "loopItem") throw new Error("field() applies to the item a parallelFor body receives");
    const loop = this.ref.loop;
    if (!FIELD_NAME.test(key)) {
      this.context.problem(`${loop.name} item field ${JSON.stringify(key)}`, "is not a valid name; allowed: letters, digits and _, not starting with a digit (the SDK reads it as a Python attribute)");
    }
    return new LoopField(this.context, { kind: "loopField", loop, field: key }, type ?? loop.itemFieldType, type !== undefined);
  }
}

/** A field of a loop item; it can be passed to tasks, compared, and iterated over by another `parallelFor`. */
export class LoopField<T extends ParameterType = ParameterType> extends ParameterChannel<T, never, never> {
  constructor(
    context: ChannelContext,
    ref: ChannelRef,
    type: T,
    /** Whether the caller stated the type (else it is the loop's inferred field type). */
    readonly stated: boolean,
  ) {
    super(context, ref, type);
  }
}

export type Channel = ParameterChannel | ArtifactChannel;

export function isChannel(value: unknown): value is Channel {
  return value instanceof ParameterChannel || value instanceof ArtifactChannel;
}

/**
 * Channels of `context`'s pipeline embedded as patterns in the strings of `value`, in order of
 * first appearance, and the patterns that belong to no channel of that pipeline.
 */
export function embeddedChannels(value: unknown, context: ChannelContext): { channels: Channel[]; unknownPatterns: string[] } {
  const channels: Channel[] = [];
  const unknownPatterns: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === "string") {
      for (const match of node.matchAll(PATTERN)) {
        const channel = context.channels.get(match[0]);
        if (channel === undefined) unknownPatterns.push(match[0]);
        else if (!channels.includes(channel)) channels.push(channel);
      }
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === "object") Object.values(node).forEach(visit);
  };
  visit(value);
  return { channels, unknownPatterns };
}

/**
 * `dsl.Collected`: the values one task output takes in every iteration of the loops around its
 * task, as a list, for a task after those loops (or inside an outer loop only), or as a pipeline
 * output. A parameter output becomes a LIST; an artifact output a list of artifacts.
 *
 * ```ts
 * const doubled = dag.parallelFor([1, 2, 3], (loop, n) => loop.task(double, { num: n }).outputs.Output);
 * dag.task(sum, { nums: collected(doubled) });
 * ```
 */
export function collected<T extends ParameterType>(output: ParameterChannel<T, ParameterType, ParameterType>): ParameterChannel<"LIST", T, ParameterType>;
export function collected<S extends string>(output: ArtifactChannel<S, false>): ArtifactChannel<S, true>;
export function collected(output: Channel): Channel {
  if (!isChannel(output)) throw new Error(`collected() takes a task output inside a parallelFor; got ${typeof output}`);
  const ref = { kind: "collected", output } as const;
  if (output.ref.kind !== "taskOutput") output.context.problem("collected()", `takes a task output; got ${output.ref.kind === "oneOf" ? "a oneOf(...) value, which the SDK does not collect" : `a ${output.ref.kind} value`}`);
  if (output instanceof ArtifactChannel) {
    if (output.list) output.context.problem("collected()", "takes a single artifact output; got a list of artifacts");
    return new ArtifactChannel(output.context, ref, output.schemaTitle, output.schemaVersion, true);
  }
  return new ParameterChannel(output.context, ref, "LIST", output.type);
}
