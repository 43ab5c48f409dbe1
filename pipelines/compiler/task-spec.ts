/**
 * Task specs (`dag.tasks[...]`) for leaf tasks and group tasks: where each input comes from.
 * Inside a group, values produced outside it are read from the group's injected inputs.
 */

import { embeddedChannels, isChannel, type Channel } from "../dsl/channels";
import type { GraphNode } from "../dsl/graph";
import { ConditionGroup, LoopGroup, type Group } from "../dsl/groups";
import type { Task } from "../dsl/task";
import type { JsonValue } from "../dsl/types";
import { toCel } from "./cel";
import { CHANNEL_PREFIX, fullName, outputKey, producerOf, readAs } from "./graph";
import type { ArtifactInput, InputDefinitions, ParameterInput, TaskInputs, TaskSpec } from "./ir";
import { pythonJsonDumps } from "./yaml";

/** Where a task sits: its DAG's siblings and the inputs its enclosing component declares. */
export interface Placement {
  readonly siblings: ReadonlySet<GraphNode>;
  readonly parentInputs: InputDefinitions | undefined;
  readonly parentIsRoot: boolean;
}

export function leafTaskSpec(task: Task, componentName: string, placement: Placement, dependentTasks: string[]): TaskSpec {
  const spec: TaskSpec = {
    taskInfo: { name: task.options.displayName ?? task.name },
    componentRef: { name: componentName },
    cachingOptions: task.options.caching === false ? {} : { enableCache: true },
  };
  if (dependentTasks.length > 0) spec.dependentTasks = dependentTasks;
  const retry = task.options.retry;
  if (retry !== undefined) {
    spec.retryPolicy = {
      maxRetryCount: retry.maxRetries,
      backoffDuration: `${retry.backoffSeconds ?? 0}s`,
      backoffFactor: retry.backoffFactor ?? 2,
      backoffMaxDuration: `${retry.backoffMaxSeconds ?? 3600}s`,
    };
  }
  const inputs: TaskInputs = {};
  for (const [name, value] of Object.entries(task.args)) {
    if (value === undefined) continue;
    if (isChannel(value)) {
      const channel = readAs(value, task);
      if (channel.kind === "artifact") (inputs.artifacts ??= {})[name] = artifactSource(channel, placement);
      else (inputs.parameters ??= {})[name] = parameterSource(channel, placement);
    } else {
      (inputs.parameters ??= {})[name] = { runtimeValue: { constant: injectEmbedded(value as JsonValue, task, inputs, placement) } };
    }
  }
  if (Object.keys(inputs).length > 0) spec.inputs = inputs;
  return spec;
}

/**
 * Replaces channels embedded in a constant with placeholders of injected inputs, which it adds
 * (`replace_and_inject_placeholders`): `gs://${bucket}/x` reads `pipelinechannel--bucket`.
 */
function injectEmbedded(value: JsonValue, task: Task, inputs: TaskInputs, placement: Placement): JsonValue {
  let result = value;
  for (const channel of embeddedChannels(value, task.context).channels) {
    const injected = `${CHANNEL_PREFIX}${fullName(channel)}`;
    result = replaceText(result, channel.pattern, `{{$.inputs.parameters['${injected}']}}`);
    // Fed like a direct argument would be. (The SDK cannot feed a loop item's field here; this can.)
    (inputs.parameters ??= {})[injected] = parameterSource(channel, placement);
  }
  return result;
}

function replaceText(value: JsonValue, pattern: string, replacement: string): JsonValue {
  if (typeof value === "string") return value.split(pattern).join(replacement);
  if (Array.isArray(value)) return value.map((item: JsonValue) => replaceText(item, pattern, replacement));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceText(item, pattern, replacement)]));
  }
  return value;
}

function parameterSource(channel: Channel, placement: Placement): ParameterInput {
  const ref = channel.ref;
  if (ref.kind === "loopItem") return { componentInputParameter: `${CHANNEL_PREFIX}${fullName(ref.loop.item)}` };
  if (ref.kind === "loopField") {
    return { componentInputParameter: `${CHANNEL_PREFIX}${fullName(ref.loop.item)}`, parameterExpressionSelector: `parseJson(string_value)["${ref.field}"]` };
  }
  const producer = producerOf(channel);
  if (producer !== undefined && placement.siblings.has(producer)) {
    return { taskOutputParameter: { producerTask: producer.name, outputParameterKey: outputKey(channel) } };
  }
  if (ref.kind === "pipelineInput" && hasParameter(placement, ref.name)) return { componentInputParameter: ref.name };
  return { componentInputParameter: `${CHANNEL_PREFIX}${fullName(channel)}` };
}

function artifactSource(channel: Channel, placement: Placement): ArtifactInput {
  const producer = producerOf(channel);
  if (producer !== undefined && placement.siblings.has(producer)) {
    return { taskOutputArtifact: { producerTask: producer.name, outputArtifactKey: outputKey(channel) } };
  }
  if (channel.ref.kind === "pipelineInput" && placement.parentInputs?.artifacts?.[channel.ref.name] !== undefined) return { componentInputArtifact: channel.ref.name };
  return { componentInputArtifact: `${CHANNEL_PREFIX}${fullName(channel)}` };
}

function hasParameter(placement: Placement, name: string): boolean {
  return placement.parentInputs?.parameters?.[name] !== undefined;
}

/** A group's task: passes the group its injected inputs, plus loop or condition settings. */
export function groupTaskSpec(group: Group, componentName: string, channels: readonly Channel[], placement: Placement, dependentTasks: string[]): TaskSpec {
  const spec: TaskSpec = { taskInfo: { name: group.displayName ?? group.name }, componentRef: { name: componentName } };
  if (dependentTasks.length > 0) spec.dependentTasks = dependentTasks;
  const inputs: TaskInputs = {};
  for (const channel of channels) {
    const name = `${CHANNEL_PREFIX}${fullName(channel)}`;
    const producer = producerOf(channel);
    const outside = placement.parentIsRoot ? fullName(channel) : name;
    if (channel.ref.kind === "loopField") {
      // A field is read from its item with a selector (`build_task_spec_for_group`).
      const item = fullName(channel.ref.loop.item);
      (inputs.parameters ??= {})[name] = {
        componentInputParameter: placement.parentIsRoot ? item : `${CHANNEL_PREFIX}${item}`,
        parameterExpressionSelector: `parseJson(string_value)["${channel.ref.field}"]`,
      };
    } else if (channel.kind === "artifact") {
      (inputs.artifacts ??= {})[name] =
        producer !== undefined && placement.siblings.has(producer)
          ? { taskOutputArtifact: { producerTask: producer.name, outputArtifactKey: outputKey(channel) } }
          : { componentInputArtifact: outside };
    } else {
      (inputs.parameters ??= {})[name] =
        producer !== undefined && placement.siblings.has(producer)
          ? { taskOutputParameter: { producerTask: producer.name, outputParameterKey: outputKey(channel) } }
          : { componentInputParameter: outside };
    }
  }
  if (group instanceof LoopGroup) {
    const itemInput = `${CHANNEL_PREFIX}${fullName(group.item)}`;
    delete inputs.parameters?.[itemInput];
    spec.parameterIterator =
      group.items.kind === "raw"
        ? { itemInput, items: { raw: pythonJsonDumps(group.items.values, true) } }
        : { itemInput, items: { inputParameter: `${CHANNEL_PREFIX}${fullName(group.items.channel)}` } };
    if (group.parallelism > 0) spec.iteratorPolicy = { parallelismLimit: group.parallelism };
  }
  if (group instanceof ConditionGroup) spec.triggerPolicy = { condition: toCel(group.conditions).cel };
  if (inputs.parameters !== undefined && Object.keys(inputs.parameters).length === 0) delete inputs.parameters;
  if (Object.keys(inputs).length > 0) spec.inputs = inputs;
  return spec;
}
