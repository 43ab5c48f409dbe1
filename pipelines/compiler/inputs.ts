/**
 * Which values each group must receive as injected `pipelinechannel--…` inputs, following the
 * SDK's `get_inputs_for_all_groups`: a value produced outside a group and used inside it is passed
 * down through every group in between.
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
      // Innermost first: a loop item, then what its loop iterates over, and so on outward.
      const chain = channelChain(channel);
      const producer = producerOf(channel);
      if (producer !== undefined) {
        const [, downstream] = uncommonAncestors(producer, task);
        walk(downstream, chain, add, () => chain.pop(), () => chain[chain.length - 1]);
      } else if (isExitTask(task, pipeline)) {
        continue;
      } else if (isStaticLoopValue(channel)) {
        // Items of a static list exist only inside their loop: add them from the task outward.
        walk([...ancestry(task)].reverse(), chain, add, () => chain.shift(), () => chain[0]);
      } else {
        walk(ancestry(task), chain, add, () => chain.pop(), () => chain[chain.length - 1]);
      }
    }
  }
  return inputs;
}

function walk(
  entries: readonly AncestryEntry[],
  chain: Channel[],
  add: (entry: AncestryEntry, channel: Channel) => void,
  drop: () => void,
  current: () => Channel,
): void {
  for (const entry of entries) {
    add(entry, current());
    // Inside the loop that consumes a channel, only the more specific loop item is needed.
    if (entry instanceof LoopGroup && belongsTo(current(), entry)) {
      drop();
      if (chain.length === 0) return;
    }
  }
}

/** `[loop item, items channel, …]` for loop values; the channel alone otherwise. */
function channelChain(channel: Channel): Channel[] {
  const loop = loopOf(channel);
  if (loop === undefined) return [channel];
  const item: Channel = loop.item;
  return loop.items.kind === "channel" ? [item, ...channelChain(loop.items.channel)] : [item];
}

/** Whether `channel` is what `loop` iterates over, or its item. */
function belongsTo(channel: Channel, loop: LoopGroup): boolean {
  const name = fullName(channel);
  return name === fullName(loop.item) || (loop.items.kind === "channel" && name === fullName(loop.items.channel));
}

function isStaticLoopValue(channel: Channel): boolean {
  return loopOf(channel)?.items.kind === "raw";
}
