/**
 * Channels: values that exist only when the pipeline runs (pipeline inputs, task outputs, loop
 * items, `oneOf` selections). Tasks take them as inputs; the type parameters make a STRING output
 * unassignable to a NUMBER_INTEGER input, or a `system.Model` to a `system.Dataset` input.
 *
 * A parameter channel may also be embedded in a constant string (`${inputs.bucket}/data`); it then
 * stands for itself as a pattern the compiler turns into an injected input, as the SDK does.
 */

import type { PipelineContext } from "./context";
import type { BranchesGroup, LoopGroup } from "./groups";
import type { Task } from "./task";
import type { ParameterType } from "./types";

/** Where a channel's value comes from. */
export type ChannelRef =
  | { readonly kind: "pipelineInput"; readonly name: string }
  | { readonly kind: "taskOutput"; readonly task: Task; readonly output: string }
  | { readonly kind: "loopItem"; readonly loop: LoopGroup }
  | { readonly kind: "loopField"; readonly loop: LoopGroup; readonly field: string }
  | { readonly kind: "oneOf"; readonly branches: BranchesGroup; readonly id: number; readonly channels: readonly Channel[] };

// Process-wide, so that a pattern copied from one pipeline into another never resolves there.
let nextChannelId = 1;
const PATTERN = /\{\{channel:\d+\}\}/g;

abstract class ChannelBase {
  /** The text that stands for this channel inside a constant string. */
  readonly pattern: string;

  constructor(
    /** @internal */ readonly context: PipelineContext,
    /** @internal */ readonly ref: ChannelRef,
  ) {
    this.pattern = `{{channel:${nextChannelId++}}}`;
    context.channels.set(this.pattern, this as unknown as Channel);
  }

  toString(): string {
    return this.pattern;
  }
}

export class ParameterChannel<T extends ParameterType = ParameterType, Item extends ParameterType = ParameterType> extends ChannelBase {
  readonly kind = "parameter";

  constructor(
    context: PipelineContext,
    ref: ChannelRef,
    readonly type: T,
    /** For LIST channels: the type of one item. */
    readonly itemType?: Item,
    /** For LIST channels of objects: the type of the items' fields. */
    readonly itemFieldType?: ParameterType,
  ) {
    super(context, ref);
  }
}

export class ArtifactChannel<S extends string = string, L extends boolean = boolean> extends ChannelBase {
  readonly kind = "artifact";

  constructor(
    context: PipelineContext,
    ref: ChannelRef,
    readonly schemaTitle: S,
    readonly schemaVersion: string,
    /** A list of artifacts (`isArtifactList`), such as `collected(...)` of a loop task's output. */
    readonly list: L = false as L,
  ) {
    super(context, ref);
  }
}

/** The current item of a `parallelFor`. */
export class LoopItem<T extends ParameterType = ParameterType> extends ParameterChannel<T, never> {
  /** One field of a STRUCT item, e.g. `item.field("A_a")`, read with a `parseJson` selector. */
  field<F extends ParameterType = "STRING">(this: LoopItem<"STRUCT">, key: string, type?: F): ParameterChannel<F> {
    if (this.ref.kind !== "loopItem" || this.ref.loop.itemType !== "STRUCT") {
      throw new Error(`field() applies to loop items that are objects (STRUCT); this item is ${this.type}`);
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new Error(`loop item field ${JSON.stringify(key)} is not a valid name; allowed: letters, digits and _, not starting with a digit`);
    }
    return new ParameterChannel(this.context, { kind: "loopField", loop: this.ref.loop, field: key }, (type ?? "STRING") as F);
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
export function embeddedChannels(value: unknown, context: PipelineContext): { channels: Channel[]; unknownPatterns: string[] } {
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
