/**
 * The shape of a defined pipeline as the compiler sees it: groups in the order the SDK visits
 * them, each node's chain of enclosing groups, and the channel facts the IR is named after.
 */

import { embeddedChannels, isChannel, type Channel, type ParameterChannel } from "../dsl/channels";
import type { Comparison } from "../dsl/conditions";
import type { Dag } from "../dsl/dag";
import { ConditionGroup, ExitHandlerGroup, LoopGroup, type DagNode, type Group } from "../dsl/groups";
import type { Pipeline } from "../dsl/pipeline";
import type { Task } from "../dsl/task";
import type { ParameterType } from "../dsl/types";

/** Stands for the pipeline's root DAG in ancestry chains. */
const ROOT = { kind: "root", name: "root" } as const;
export type AncestryEntry = DagNode | typeof ROOT;

export const CHANNEL_PREFIX = "pipelinechannel--";

export function parentScope(node: DagNode): Dag {
  return "component" in node ? node.scope : node.parentScope;
}

/** `[ROOT, outermost group, …, node]`: the SDK's parent-groups list. */
export function ancestry(node: DagNode): AncestryEntry[] {
  const chain: AncestryEntry[] = [node];
  for (let group = parentScope(node).owner; group !== undefined; group = group.parentScope.owner) chain.unshift(group);
  chain.unshift(ROOT);
  return chain;
}

/** The first entries that differ: the SDK's `_get_uncommon_ancestors`. */
export function uncommonAncestors(a: DagNode, b: DagNode): [AncestryEntry[], AncestryEntry[]] {
  const left = ancestry(a);
  const right = ancestry(b);
  let common = 0;
  while (common < left.length && common < right.length && left[common] === right[common]) common++;
  return [left.slice(common), right.slice(common)];
}

/** Groups parent first, children in definition order (`get_all_groups`), root excluded. */
export function allGroups(scope: Dag): Group[] {
  const groups: Group[] = [];
  for (const child of scope.children) {
    if (!("component" in child)) groups.push(child, ...allGroups(child.body));
  }
  return groups;
}

/** Exit handlers anywhere (only top-level ones are valid; validation reports the others). */
export function exitHandlers(pipeline: Pipeline): ExitHandlerGroup[] {
  return allGroups(pipeline.root).filter((group): group is ExitHandlerGroup => group instanceof ExitHandlerGroup);
}

/** Every task of the pipeline in creation order, exit tasks included. */
export function allTasks(pipeline: Pipeline): readonly Task[] {
  return pipeline.context.tasks;
}

export function isExitTask(task: Task, pipeline: Pipeline): boolean {
  return exitHandlers(pipeline).some((group) => group.exitTask === task);
}

/** The channel a task or group reads for `channel`: its full name, as in `pipelinechannel--<full name>`. */
export function fullName(channel: Channel): string {
  const ref = channel.ref;
  switch (ref.kind) {
    case "pipelineInput":
      return ref.name;
    case "taskOutput":
      return `${ref.task.name}-${ref.output}`;
    case "loopItem":
      return loopItemName(ref.loop);
    case "loopField":
      return `${loopItemName(ref.loop)}-subvar-${ref.field}`;
    case "oneOf":
      return `${ref.branches.name}-${outputKey(channel)}`;
  }
}

function loopItemName(loop: LoopGroup): string {
  return loop.items.kind === "raw" ? `loop-item-param-${loop.items.id}` : `${fullName(loop.items.channel)}-loop-item`;
}

/** The output key a producer publishes the channel under. */
export function outputKey(channel: Channel): string {
  const ref = channel.ref;
  if (ref.kind === "taskOutput") return ref.output;
  if (ref.kind === "oneOf") return `${CHANNEL_PREFIX}${ref.branches.name}-oneof-${ref.id}`;
  return fullName(channel);
}

/** The task or group whose completion makes the channel available (the SDK's `channel.task`). */
export function producerOf(channel: Channel): DagNode | undefined {
  const ref = channel.ref;
  switch (ref.kind) {
    case "taskOutput":
      return ref.task;
    case "oneOf":
      return ref.branches;
    case "loopItem":
    case "loopField":
      return ref.loop.items.kind === "channel" ? producerOf(ref.loop.items.channel) : undefined;
    case "pipelineInput":
      return undefined;
  }
}

/** The loop a loop item or loop field belongs to. */
export function loopOf(channel: Channel): LoopGroup | undefined {
  return channel.ref.kind === "loopItem" || channel.ref.kind === "loopField" ? channel.ref.loop : undefined;
}

/** The type a group input for this channel declares. */
export function channelParameterType(channel: Channel & { kind: "parameter" }): ParameterType {
  return channel.ref.kind === "loopField" ? channel.ref.loop.itemType : channel.type;
}

/** Channels a task reads: direct arguments first, then ones embedded in constant strings. */
export function channelInputs(task: Task): Channel[] {
  const found: Channel[] = [];
  const add = (channel: Channel) => {
    if (!found.some((known) => fullName(known) === fullName(channel))) found.push(channel);
  };
  for (const value of Object.values(task.args)) if (isChannel(value)) add(value);
  for (const value of Object.values(task.args)) if (!isChannel(value)) embeddedChannels(value, task.context).channels.forEach(add);
  return found;
}

/** Operand channels of a comparison list. */
export function comparisonChannels(conditions: readonly Comparison[]): ParameterChannel[] {
  return conditions.flatMap((condition) => [condition.left, condition.right]).filter((operand): operand is ParameterChannel => isChannel(operand));
}

/** Channels in the conditions of every condition group enclosing `node`. */
export function conditionChannels(node: DagNode): Channel[] {
  return ancestry(node)
    .filter((entry): entry is ConditionGroup => entry instanceof ConditionGroup && entry !== node)
    .flatMap((group) => comparisonChannels(group.conditions));
}

export function isTask(node: AncestryEntry): node is Task {
  return "component" in node;
}

export function isGroup(entry: AncestryEntry): entry is Group {
  return entry !== ROOT && !("component" in entry);
}
