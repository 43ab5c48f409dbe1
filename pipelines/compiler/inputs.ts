/**
 * Which values each group must receive as injected `pipelinechannel--…` inputs, following the
 * SDK's `get_inputs_for_all_groups`: a value produced outside a group and used inside it is passed
 * down through every group in between. A loop value comes with the chain it derives from (a field,
 * its item, the list the item is drawn from, …): each loop on the way takes the least specific
 * value it still needs, and the loop that draws an item from it passes on the next one.
 */

import type { Channel } from "../dsl/channels";
import { LoopGroup, type Group } from "../dsl/groups";
import type { Pipeline } from "../dsl/pipeline";
import { ancestry, allTasks, channelInputs, conditionChannels, fullName, isExitTask, isGroup, loopOf, producerOf, uncommonAncestors, type AncestryEntry } from "./graph";

/** Injected inputs per group, keyed by channel full name, in first-seen order. */
export type GroupInputs = Map<Group, Map<string, Channel>>;

export function groupInputs(pipeline: Pipeline): GroupInputs {
  const inputs: GroupInputs = new Map();
  const add = (entry: AncestryEntry, channel: Channel) => {
    if (!isGroup(entry)) return;
    const known = inputs.get(entry) ?? new Map<string, Channel>();
    if (!known.has(fullName(channel))) known.set(fullName(channel), channel);
    inputs.set(entry, known);
  };

  for (const task of allTasks(pipeline)) {
    for (const channel of [...channelInputs(task), ...conditionChannels(task)]) {
      // Most specific first: a field, its item, the list the item is drawn from, and so on.
      const chain = channelChain(channel);
      const producer = producerOf(channel);
      if (producer !== undefined) {
        topDown(uncommonAncestors(producer, task)[1], chain, add);
      } else if (isExitTask(task, pipeline)) {
        continue;
      } else if (isWithItems(channel)) {
        // Values of a static list exist only inside its loop: added from the task outward.
        for (const entry of [...ancestry(task)].reverse()) {
          add(entry, chain[0]);
          if (entry instanceof LoopGroup && drawsFrom(entry, chain[0])) chain.shift();
          if (chain.length === 0) break;
        }
      } else {
        topDown(ancestry(task), chain, add);
      }
    }
  }
  return inputs;
}

/** From the outermost group in: each takes the least specific value left; a loop drawing from it passes on the next. */
function topDown(entries: readonly AncestryEntry[], chain: Channel[], add: (entry: AncestryEntry, channel: Channel) => void): void {
  for (const entry of entries) {
    add(entry, chain[chain.length - 1]);
    if (entry instanceof LoopGroup && drawsFrom(entry, chain[chain.length - 1])) chain.pop();
    if (chain.length === 0) return;
  }
}

/** `[field, item, items, …]` for loop values (the SDK's `channels_to_add`); the channel alone otherwise. */
export function channelChain(channel: Channel): Channel[] {
  const ref = channel.ref;
  if (ref.kind === "loopField") return [channel, ...channelChain(ref.loop.item)];
  if (ref.kind === "loopItem") return ref.loop.items.kind === "channel" ? [channel, ...channelChain(ref.loop.items.channel)] : [channel];
  return [channel];
}

/**
 * Whether `loop`'s item is made from `channel`. As in the SDK, by name: the channel's full name
 * is part of the item's (`x` in `x-loop-item`, `x-loop-item` in `x-loop-item-subvar-a-loop-item`).
 */
function drawsFrom(loop: LoopGroup, channel: Channel): boolean {
  return fullName(loop.item).includes(fullName(channel));
}

/** A value of a static list's loop (its item or a field of it): the SDK's `is_with_items_loop_argument`. */
export function isWithItems(channel: Channel): boolean {
  return loopOf(channel)?.items.kind === "raw";
}

/**
 * Whether a group may keep a static list's value among its inputs (`build_spec_by_group`): only
 * when it or a loop around it draws the value's item, by name as in the SDK.
 */
export function keepsWithItems(group: Group, channel: Channel): boolean {
  for (let scope: Group | undefined = group; scope !== undefined; scope = scope.parentScope.owner) {
    if (scope instanceof LoopGroup && channelName(scope.item).includes(channelName(channel))) return true;
  }
  return false;
}

/** The SDK's `PipelineChannel.name`: the full name without the producing task's. */
function channelName(channel: Channel): string {
  const ref = channel.ref;
  if (ref.kind === "taskOutput") return ref.output;
  if (ref.kind === "loopItem") return ref.loop.items.kind === "raw" ? fullName(channel) : `${channelName(ref.loop.items.channel)}-loop-item`;
  if (ref.kind === "loopField") return `${channelName(ref.loop.item)}-subvar-${ref.field}`;
  return fullName(channel);
}
