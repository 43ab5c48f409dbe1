/**
 * The shape of a defined pipeline as the compiler sees it: groups in the order the SDK visits
 * them, each node's chain of enclosing groups, and the channel facts the IR is named after.
 */

import { ArtifactChannel, embeddedChannels, isChannel, ParameterChannel, type Channel, type LoopNode } from "../dsl/channels";
import type { Comparison } from "../dsl/conditions";
import type { GraphNode, ScopeNode, TaskNode } from "../dsl/graph";
import { ConditionGroup, ExitHandlerGroup, type DagNode, type Group, type GroupScope } from "../dsl/groups";
import type { Pipeline } from "../dsl/pipeline";
import type { Task } from "../dsl/task";
import type { ParameterType } from "../dsl/types";

/** Stands for the pipeline's root DAG in ancestry chains. */
const ROOT = { kind: "root", name: "root" } as const;
// Nodes, not only DagNodes: a channel names its producer, and a task its scope, by the graph's
// interfaces (dsl/graph.ts); isTask and isGroup tell which class an entry is.
export type AncestryEntry = GraphNode | typeof ROOT;

export const CHANNEL_PREFIX = "pipelinechannel--";

export function parentScope(node: GraphNode): ScopeNode {
  return "scope" in node ? node.scope : node.parentScope;
}

/** `[ROOT, outermost group, …, node]`: the SDK's parent-groups list. */
export function ancestry(node: GraphNode): AncestryEntry[] {
  const chain: AncestryEntry[] = [node];
  for (let group = parentScope(node).owner; group !== undefined; group = group.parentScope.owner) chain.unshift(group);
  chain.unshift(ROOT);
  return chain;
}

/** The first entries that differ: the SDK's `_get_uncommon_ancestors`. */
export function uncommonAncestors(a: GraphNode, b: GraphNode): [AncestryEntry[], AncestryEntry[]] {
  const left = ancestry(a);
  const right = ancestry(b);
  let common = 0;
  while (common < left.length && common < right.length && left[common] === right[common]) common++;
  return [left.slice(common), right.slice(common)];
}

/** Groups parent first, children in definition order (`get_all_groups`), root excluded. */
export function allGroups(scope: GroupScope): Group[] {
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
    case "collected":
      return fullName(ref.output);
    case "groupOutput":
      return `${ref.group.name}-${ref.key}`;
  }
}

function loopItemName(loop: LoopNode): string {
  return loop.items.kind === "raw" ? `loop-item-param-${loop.items.id}` : `${fullName(loop.items.channel)}-loop-item`;
}

/** The output key a producer publishes the channel under. */
export function outputKey(channel: Channel): string {
  const ref = channel.ref;
  if (ref.kind === "taskOutput") return ref.output;
  if (ref.kind === "oneOf") return `${CHANNEL_PREFIX}${ref.branches.name}-oneof-${ref.id}`;
  if (ref.kind === "groupOutput") return ref.key;
  return fullName(channel);
}

/** The task or group whose completion makes the channel available (the SDK's `channel.task`). */
export function producerOf(channel: Channel): GraphNode | undefined {
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
    case "collected":
      return producerOf(ref.output);
    case "groupOutput":
      return ref.group;
  }
}

/** The innermost-first groups a collected value is published through to reach `reader`, and the key it is published under. */
export interface CollectedPath {
  readonly producer: TaskNode;
  readonly output: string;
  readonly key: string;
  /** From the producer's own group outward; the last one is what the reader reads from. */
  readonly groups: readonly Group[];
}

/**
 * How the SDK surfaces a `dsl.Collected` (`get_outputs_for_all_groups`): out of every group around
 * the producer that the reader is not in (for a pipeline output, every group), under
 * `pipelinechannel--<producer>-<output>`. Undefined when the value is not collectable (validation
 * says why).
 */
export function collectedPath(channel: Channel, reader: DagNode | "pipeline outputs"): CollectedPath | undefined {
  const ref = channel.ref;
  if (ref.kind !== "collected" || ref.output.ref.kind !== "taskOutput") return undefined;
  const producer = ref.output.ref.task;
  const upstream = reader === "pipeline outputs" ? ancestry(producer).slice(1) : uncommonAncestors(producer, reader)[0];
  const groups = upstream.filter(isGroup).reverse();
  if (groups.length === 0 || upstream[upstream.length - 1] !== producer) return undefined;
  return { producer, output: ref.output.ref.output, key: `${CHANNEL_PREFIX}${fullName(ref.output)}`, groups };
}

// One resolved channel per collected value and reader, so that compiling twice reads the same one.
const resolved = new WeakMap<Channel, Map<DagNode | "pipeline outputs", Channel>>();

/**
 * The channel `reader` actually reads for `channel`: a collected value becomes the output of the
 * outermost group it is published from; anything else is itself.
 */
export function readAs(channel: Channel, reader: DagNode | "pipeline outputs"): Channel {
  if (channel.ref.kind !== "collected") return channel;
  const byReader = resolved.get(channel) ?? new Map<DagNode | "pipeline outputs", Channel>();
  resolved.set(channel, byReader);
  const known = byReader.get(reader);
  if (known !== undefined) return known;
  const path = collectedPath(channel, reader);
  if (path === undefined) return channel;
  const ref = { kind: "groupOutput", group: path.groups[path.groups.length - 1], key: path.key, source: channel } as const;
  const read =
    channel instanceof ArtifactChannel
      ? new ArtifactChannel(channel.context, ref, channel.schemaTitle, channel.schemaVersion, true)
      : new ParameterChannel(channel.context, ref, "LIST", (channel as ParameterChannel).itemType);
  byReader.set(reader, read);
  return read;
}

/** The loop a loop item or loop field belongs to. */
export function loopOf(channel: Channel): LoopNode | undefined {
  return channel.ref.kind === "loopItem" || channel.ref.kind === "loopField" ? channel.ref.loop : undefined;
}

/**
 * The type the SDK declares for a group input of this channel: a loop item's is the loop's item
 * type, a field's the loop's field type (whatever type a TypeScript caller stated for it).
 */
export function channelParameterType(channel: Channel & { kind: "parameter" }): ParameterType {
  if (channel.ref.kind === "loopField") return channel.ref.loop.itemFieldType;
  if (channel.ref.kind === "loopItem") return channel.ref.loop.itemType;
  return channel.type;
}

/** Channels a task reads, as it reads them: direct arguments first, then ones embedded in constant strings. */
export function channelInputs(task: Task): Channel[] {
  const found: Channel[] = [];
  const add = (channel: Channel) => {
    if (!found.some((known) => fullName(known) === fullName(channel))) found.push(channel);
  };
  for (const value of Object.values(task.args)) if (isChannel(value)) add(readAs(value, task));
  for (const value of Object.values(task.args)) if (!isChannel(value)) embeddedChannels(value, task.context).channels.forEach(add);
  return found;
}

/** Operand channels of a comparison list. */
export function comparisonChannels(conditions: readonly Comparison[]): ParameterChannel[] {
  return conditions.flatMap((condition) => [condition.left, condition.right]).filter((operand): operand is ParameterChannel => operand instanceof ParameterChannel);
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
