/**
 * Checks a task's arguments against its component's declared inputs. The TypeScript types catch
 * these mistakes at compile time; this catches them for JavaScript callers and type assertions.
 */

import { embeddedChannels, isChannel, type Channel } from "../dsl/channels";
import type { PipelineContext } from "../dsl/context";
import { withArticle } from "../dsl/errors";
import { describeType, isValueOfType } from "../dsl/specs";
import type { Task } from "../dsl/task";
import type { InputSpec } from "../dsl/types";

export function argumentProblems(task: Task, context: PipelineContext): string[] {
  const problems: string[] = [];
  const inputs: { readonly [name: string]: InputSpec } = task.component.inputs;
  const settable = Object.keys(inputs).filter((name) => inputs[name].kind !== "taskFinalStatus");
  for (const [name, value] of Object.entries(task.args)) {
    const spec = inputs[name];
    if (spec === undefined) problems.push(`unknown input "${name}"; allowed: ${settable.join(", ") || "no inputs"}`);
    else if (spec.kind === "taskFinalStatus") problems.push(`input "${name}" receives the final status from the exit handler; allowed: leave it out`);
    else if (value !== undefined) problems.push(...valueProblems(name, spec, value, context));
  }
  for (const name of settable) {
    const spec = inputs[name];
    if (spec.kind !== "taskFinalStatus" && !spec.optional && task.args[name] === undefined) {
      problems.push(`missing required input "${name}"; allowed: ${spec.kind === "artifact" ? `${withArticle(spec.schemaTitle)} artifact` : describeType(spec.type)}`);
    }
  }
  return problems;
}

function valueProblems(name: string, spec: Exclude<InputSpec, { kind: "taskFinalStatus" }>, value: unknown, context: PipelineContext): string[] {
  if (isChannel(value)) {
    const foreign = foreignChannel(value, context);
    if (foreign) return [`input "${name}" reads ${foreign}`];
    if (spec.kind === "artifact") {
      if (value.kind !== "artifact") return [`input "${name}" expects ${withArticle(spec.schemaTitle)} artifact but got ${withArticle(String(value.type))} parameter from ${describeChannel(value)}`];
      if (spec.schemaTitle !== "system.Artifact" && value.schemaTitle !== spec.schemaTitle) {
        return [`input "${name}" expects ${withArticle(spec.schemaTitle)} artifact but got ${value.schemaTitle} from ${describeChannel(value)}; allowed: ${withArticle(spec.schemaTitle)} output`];
      }
      if ((spec.list === true) !== value.list) {
        return spec.list === true
          ? [`input "${name}" expects a list of ${spec.schemaTitle} artifacts but got one artifact from ${describeChannel(value)}; allowed: collected(...) of an output inside a loop, or a list output`]
          : [`input "${name}" expects one ${spec.schemaTitle} artifact but got a list from ${describeChannel(value)}; allowed: a single artifact output`];
      }
      return [];
    }
    if (value.kind !== "parameter") return [`input "${name}" expects ${describeType(spec.type)} but got ${withArticle(value.schemaTitle)} artifact from ${describeChannel(value)}`];
    // The SDK lets a loop value it types STRING (its type unknown) into any parameter input.
    if (isUntypedLoopValue(value)) return [];
    if (value.type !== spec.type) return [`input "${name}" expects ${describeType(spec.type)} but got ${value.type} from ${describeChannel(value)}; allowed: ${withArticle(spec.type)} value`];
    return [];
  }
  if (spec.kind === "artifact") return [`input "${name}" expects ${withArticle(spec.schemaTitle)} artifact; got a constant ${JSON.stringify(value)}; allowed: a task output or importer output`];
  if (!isValueOfType(spec.type, value)) return [`input "${name}" expects ${describeType(spec.type)}; got ${JSON.stringify(value)}`];
  if (spec.choices !== undefined && !spec.choices.some((choice) => JSON.stringify(choice) === JSON.stringify(value))) {
    return [`input "${name}" does not allow ${JSON.stringify(value)}; allowed: ${spec.choices.map((choice) => JSON.stringify(choice)).join(", ")}`];
  }
  return embeddedProblems(name, value, context);
}

/** Channels written into constant strings must be parameters of this pipeline. */
function embeddedProblems(name: string, value: unknown, context: PipelineContext): string[] {
  const { channels, unknownPatterns } = embeddedChannels(value, context);
  const problems = unknownPatterns.map(
    (pattern) => `input "${name}" embeds ${pattern}, a value of another pipeline; allowed: values of this pipeline (pass others in as pipeline inputs)`,
  );
  for (const channel of channels) {
    if (channel.kind === "artifact") problems.push(`input "${name}" embeds the ${channel.schemaTitle} artifact from ${describeChannel(channel)} in a string; allowed: parameters only (pass artifacts to artifact inputs)`);
    else if (channel.ref.kind === "collected") problems.push(`input "${name}" embeds ${describeChannel(channel)} in a string; allowed: pass the collected list as the whole value of a LIST input`);
  }
  return problems;
}

/** A loop item or field the SDK types STRING: `verify_type_compatibility` lets it into any parameter input. */
function isUntypedLoopValue(channel: Channel): boolean {
  const ref = channel.ref;
  if (ref.kind === "loopItem") return ref.loop.itemType === "STRING";
  if (ref.kind === "loopField") return ref.loop.itemFieldType === "STRING";
  return false;
}

/** Why `channel` cannot be used in `context`'s pipeline, if it cannot. */
export function foreignChannel(channel: Channel, context: PipelineContext): string | undefined {
  return channel.context === context ? undefined : `${describeChannel(channel)} of pipeline "${channel.context.pipelineName}"; allowed: values of this pipeline (pass others in as pipeline inputs)`;
}

export function describeChannel(channel: Channel): string {
  const ref = channel.ref;
  switch (ref.kind) {
    case "pipelineInput":
      return `pipeline input "${ref.name}"`;
    case "taskOutput":
      return `task "${ref.task.name}" output "${ref.output}"`;
    case "loopItem":
      return `the item of ${ref.loop.name}`;
    case "loopField":
      return `field "${ref.field}" of the item of ${ref.loop.name}`;
    case "oneOf":
      return `oneOf over ${ref.branches.name}`;
    case "collected":
      return `collected(${describeChannel(ref.output)})`;
    case "groupOutput":
      return describeChannel(ref.source);
  }
}
