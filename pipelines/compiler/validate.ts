/**
 * Everything that makes a pipeline uncompilable, collected in one pass so that one error lists
 * them all: definition mistakes, unpinned images, bad arguments, values used outside their scope,
 * invalid conditions, dependency errors and cycles.
 */

import { isChannel, LoopField, type Channel, type LoopNode } from "../dsl/channels";
import { PINNED_IMAGE_PATTERN } from "../dsl/component";
import { withArticle, type DslProblem } from "../dsl/errors";
import { BranchesGroup, ConditionGroup, ExitHandlerGroup, LoopGroup, type DagNode } from "../dsl/groups";
import type { Pipeline } from "../dsl/pipeline";
import { resourceProblems } from "../dsl/resources";
import type { Task } from "../dsl/task";
import { toCel } from "./cel";
import { allGroups, allTasks, ancestry, channelInputs, collectedPath, comparisonChannels, isExitTask, isTask, parentScope, producerOf, readAs } from "./graph";
import { argumentProblems, describeChannel, foreignChannel } from "./validate-args";

export interface ValidationOptions {
  readonly allowUnpinnedImages: boolean;
}

export function validatePipeline(pipeline: Pipeline, options: ValidationOptions): DslProblem[] {
  const problems: DslProblem[] = [...pipeline.context.problems];
  const add = (where: string, message: string) => problems.push({ where, message });
  if (allTasks(pipeline).length === 0) add("pipeline", "has no tasks; allowed: a body that adds at least one task");
  for (const task of allTasks(pipeline)) {
    const where = `task "${task.name}"`;
    for (const message of taskProblems(task, pipeline, options)) add(where, message);
  }
  for (const group of allGroups(pipeline.root)) {
    if (group.body.children.length === 0) add(`group "${group.name}"`, "has an empty body; allowed: a body that adds at least one task");
    if (group instanceof ConditionGroup) {
      for (const message of toCel(group.conditions).problems) add(`group "${group.name}"`, message);
      for (const channel of comparisonChannels(group.conditions)) scopeProblem(channel, group, pipeline, (m) => add(`group "${group.name}"`, m));
    }
    if (group instanceof LoopGroup && group.items.kind === "channel") {
      const items = group.items.channel;
      if (items.ref.kind === "collected") add(`group "${group.name}"`, "cannot iterate over a collected(...) list; allowed: a LIST pipeline input or task output, or a field of a loop item");
      scopeProblem(items, group, pipeline, (m) => add(`group "${group.name}"`, m));
    }
  }
  for (const [name, channel] of Object.entries(pipeline.returned)) {
    if (channel.ref.kind === "collected") for (const message of collectedProblems(channel, "pipeline outputs")) add(`output "${name}"`, message);
    outputProblems(name, readAs(channel, "pipeline outputs"), pipeline, (m) => add(`output "${name}"`, m));
  }
  for (const field of loopFields(pipeline)) {
    const loop = (field.ref as { loop: LoopNode }).loop;
    if (field.stated && loop.itemFieldType !== "STRING" && field.type !== loop.itemFieldType) {
      add(
        `field "${(field.ref as { field: string }).field}" of the item of ${loop.name}`,
        `is stated ${field.type}, but the SDK types this loop's fields ${loop.itemFieldType} (${loop.items.kind === "raw" ? "from the first value of the first item" : "from the list's field type"}); allowed: leave the type out, or ${loop.itemFieldType}`,
      );
    }
  }
  // Task names are unique pipeline-wide already; a task may still take a group's name.
  for (const scope of [pipeline.root, ...allGroups(pipeline.root).map((group) => group.body)]) {
    const groups = new Set(scope.children.filter((child) => !isTask(child)).map((group) => group.name));
    for (const task of scope.children.filter(isTask)) {
      if (groups.has(task.name)) add(`task "${task.name}"`, "has the name of a group in the same DAG; allowed: a name other than condition-N, for-loop-N, exit-handler-N");
    }
  }
  return problems;
}

/** Every distinct loop field the pipeline reads (task arguments, conditions, loop items). */
function loopFields(pipeline: Pipeline): LoopField[] {
  const fields = new Set<LoopField>();
  const visit = (value: unknown) => {
    if (value instanceof LoopField) fields.add(value);
  };
  for (const task of allTasks(pipeline)) Object.values(task.args).forEach(visit);
  for (const group of allGroups(pipeline.root)) {
    if (group instanceof ConditionGroup) comparisonChannels(group.conditions).forEach(visit);
    if (group instanceof LoopGroup && group.items.kind === "channel") visit(group.items.channel);
  }
  return [...fields];
}

/** `validate_parallel_for_fan_in_consumption_legal`: what makes a collected value uncollectable for its reader. */
function collectedProblems(channel: Channel, reader: DagNode | "pipeline outputs"): string[] {
  const ref = channel.ref;
  if (ref.kind !== "collected" || ref.output.ref.kind !== "taskOutput") return [];
  const what = describeChannel(channel);
  const path = collectedPath(channel, reader);
  const outermost = path?.groups[path.groups.length - 1];
  if (path === undefined || !path.groups.some((group) => group instanceof LoopGroup)) {
    return [`reads ${what}, but that task is not in a parallelFor the reader is outside of; allowed: collected() of an output of a task inside a loop, read after the loop`];
  }
  if (outermost instanceof ConditionGroup || outermost instanceof BranchesGroup || outermost instanceof ExitHandlerGroup) {
    return [`reads ${what} from loops inside ${outermost.name}, which may not run; allowed: read it inside ${outermost.name} too`];
  }
  return [];
}

function taskProblems(task: Task, pipeline: Pipeline, options: ValidationOptions): string[] {
  const problems = argumentProblems(task, pipeline.context);
  for (const value of Object.values(task.args)) if (isChannel(value) && value.ref.kind === "collected") problems.push(...collectedProblems(value, task));
  const component = task.component;
  if (component.kind === "container") {
    if (!options.allowUnpinnedImages && !PINNED_IMAGE_PATTERN.test(component.image)) {
      problems.push(`image "${component.image}" of component "${component.name}" is not pinned by digest; allowed: registry/path@sha256:<64 hex digits>, so every run uses the same bytes`);
    }
    for (const message of task.options.resources ? resourceProblems(task.options.resources) : []) problems.push(`resources: ${message}`);
    for (const name of Object.keys(task.options.env ?? {})) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) problems.push(`env ${JSON.stringify(name)} is not a valid variable name; allowed: letters, digits and _`);
    }
  } else {
    for (const option of ["resources", "env", "retry"] as const) {
      if (task.options[option] !== undefined) problems.push(`option "${option}" applies to container components only; this task runs ${withArticle(component.kind)}`);
    }
  }
  problems.push(...retryProblems(task));
  if (component.kind === "importer" && typeof task.args.uri === "string" && task.args.uri.includes("{{channel:")) {
    problems.push("the importer's artifactUri embeds a channel; allowed: a constant URI or a STRING channel on its own");
  }
  const exit = isExitTask(task, pipeline);
  if (!exit && Object.values(component.inputs).some((input) => input.kind === "taskFinalStatus")) {
    problems.push("has a taskFinalStatus() input but is not an exit task; allowed: use the component as the exit task of dag.exitHandler()");
  }
  if (exit && (task.upstream.length > 0 || channelInputs(task).some((channel) => producerOf(channel) !== undefined))) {
    problems.push("is an exit task but depends on other tasks; allowed: pipeline inputs and constants only, as the SDK requires");
  }
  // Values of other pipelines are reported with the argument that carries them.
  for (const channel of channelInputs(task)) if (channel.context === pipeline.context) scopeProblem(channel, task, pipeline, (message) => problems.push(message));
  for (const upstream of task.upstream) {
    if (upstream.context !== pipeline.context) problems.push(`runs .after() task "${upstream.name}" of pipeline "${upstream.context.pipelineName}"; allowed: tasks of this pipeline`);
  }
  return problems;
}

function retryProblems(task: Task): string[] {
  const retry = task.options.retry;
  if (retry === undefined) return [];
  const problems: string[] = [];
  if (!(Number.isSafeInteger(retry.maxRetries) && retry.maxRetries >= 1)) problems.push(`retry.maxRetries ${retry.maxRetries} is not a whole number ≥ 1`);
  for (const key of ["backoffSeconds", "backoffMaxSeconds"] as const) {
    const value = retry[key];
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0 && value <= 3600)) problems.push(`retry.${key} ${value} is not whole seconds between 0 and 3600`);
  }
  if (retry.backoffFactor !== undefined && !(Number.isFinite(retry.backoffFactor) && retry.backoffFactor >= 1)) problems.push(`retry.backoffFactor ${retry.backoffFactor} is not a number ≥ 1`);
  return problems;
}

/** A value must come from this pipeline, and a loop item may only be read inside its loop. */
function scopeProblem(channel: Channel, reader: DagNode, pipeline: Pipeline, report: (message: string) => void): void {
  const foreign = foreignChannel(channel, pipeline.context);
  if (foreign) return report(`reads ${foreign}`);
  const ref = channel.ref;
  if ((ref.kind === "loopItem" || ref.kind === "loopField") && !ancestry(reader).includes(ref.loop)) {
    report(`reads ${describeChannel(channel)} outside that loop; allowed: tasks inside ${ref.loop.name}`);
  }
  if (ref.kind === "oneOf" && ancestry(reader).includes(ref.branches)) {
    report(`reads ${describeChannel(channel)} from inside those branches; allowed: tasks after the if/elif/else chain`);
  }
}

function outputProblems(name: string, channel: Channel, pipeline: Pipeline, report: (message: string) => void): void {
  const foreign = foreignChannel(channel, pipeline.context);
  if (foreign) return report(`returns ${foreign}`);
  const producer = producerOf(channel);
  const collectedFrom = channel.ref.kind === "groupOutput" && producer instanceof LoopGroup;
  if (producer === undefined || !(isTask(producer) || producer instanceof BranchesGroup || collectedFrom) || parentScope(producer) !== pipeline.root) {
    report(`returns ${describeChannel(channel)}, which is not produced at the top level; allowed: outputs of top-level tasks, a top-level oneOf, or collected(...) of an output inside a loop`);
  }
  const spec = pipeline.outputs[name];
  const mismatch =
    spec.kind === "artifact"
      ? channel.kind !== "artifact" || (spec.schemaTitle !== "system.Artifact" && spec.schemaTitle !== channel.schemaTitle) || (spec.list === true) !== channel.list
      : channel.kind !== "parameter" || channel.type !== spec.type;
  if (mismatch) report(`is declared ${spec.kind === "artifact" ? spec.schemaTitle : spec.type} but the body returns ${describeChannel(channel)} of another type`);
}
