/** Component interfaces (`inputDefinitions`, `outputDefinitions`) of leaf tasks and groups. */

import type { Channel } from "../dsl/channels";
import type { InputSpecs, OutputSpecs } from "../dsl/types";
import { CHANNEL_PREFIX, channelParameterType, fullName } from "./graph";
import type { ComponentSpec, InputDefinitions, OutputDefinitions } from "./ir";
import type { GroupOutput } from "./outputs";

/** The interface a component or pipeline declares (`_build_component_spec_from_component_spec_structure`). */
export function declaredInterface(inputs: InputSpecs, outputs: OutputSpecs): ComponentSpec {
  const spec: ComponentSpec = {};
  const inputDefinitions: InputDefinitions = {};
  for (const [name, input] of Object.entries(inputs)) {
    if (input.kind === "taskFinalStatus") {
      (inputDefinitions.parameters ??= {})[name] = {
        parameterType: "TASK_FINAL_STATUS",
        isOptional: true,
        ...(input.description !== undefined ? { description: input.description } : {}),
      };
    } else if (input.kind === "parameter") {
      (inputDefinitions.parameters ??= {})[name] = {
        parameterType: input.type,
        ...(input.default !== undefined ? { defaultValue: input.default } : {}),
        ...(input.optional ? { isOptional: true as const } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      };
    } else {
      (inputDefinitions.artifacts ??= {})[name] = {
        artifactType: { schemaTitle: input.schemaTitle, schemaVersion: input.schemaVersion },
        ...(input.list === true ? { isArtifactList: true as const } : {}),
        ...(input.optional ? { isOptional: true as const } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
      };
    }
  }
  const outputDefinitions: OutputDefinitions = {};
  for (const [name, output] of Object.entries(outputs)) {
    const description = output.description !== undefined ? { description: output.description } : {};
    if (output.kind === "parameter") (outputDefinitions.parameters ??= {})[name] = { parameterType: output.type, ...description };
    else {
      (outputDefinitions.artifacts ??= {})[name] = {
        artifactType: { schemaTitle: output.schemaTitle, schemaVersion: output.schemaVersion },
        ...(output.list === true ? { isArtifactList: true as const } : {}),
        ...description,
      };
    }
  }
  if (Object.keys(inputDefinitions).length > 0) spec.inputDefinitions = inputDefinitions;
  if (Object.keys(outputDefinitions).length > 0) spec.outputDefinitions = outputDefinitions;
  return spec;
}

/** A group's interface: one input per injected channel, one output per surfaced value. */
export function groupInterface(inputs: readonly Channel[], outputs: ReadonlyMap<string, GroupOutput>): ComponentSpec {
  const spec: ComponentSpec = {};
  const inputDefinitions: InputDefinitions = {};
  for (const channel of inputs) {
    const name = `${CHANNEL_PREFIX}${fullName(channel)}`;
    if (channel.kind === "artifact") {
      (inputDefinitions.artifacts ??= {})[name] = { artifactType: { schemaTitle: channel.schemaTitle, schemaVersion: channel.schemaVersion }, ...(channel.list ? { isArtifactList: true as const } : {}) };
    } else (inputDefinitions.parameters ??= {})[name] = { parameterType: channelParameterType(channel) };
  }
  const outputDefinitions: OutputDefinitions = {};
  for (const [name, { channel }] of outputs) {
    if (channel.kind === "artifact") {
      (outputDefinitions.artifacts ??= {})[name] = { artifactType: { schemaTitle: channel.schemaTitle, schemaVersion: channel.schemaVersion }, ...(channel.list ? { isArtifactList: true as const } : {}) };
    } else (outputDefinitions.parameters ??= {})[name] = { parameterType: channel.type };
  }
  if (Object.keys(inputDefinitions).length > 0) spec.inputDefinitions = inputDefinitions;
  if (Object.keys(outputDefinitions).length > 0) spec.outputDefinitions = outputDefinitions;
  return spec;
}
