/**
 * Executors (`deploymentSpec.executors`): containers with their command line and resources, and
 * importers.
 */

import type { ContainerComponent } from "../dsl/component";
import { ConcatPlaceholder, IfPresentPlaceholder, Placeholder, type CommandLineElement } from "../dsl/placeholders";
import { cpuText, cpuToNumber, memoryToGigabytes, type Resources } from "../dsl/resources";
import type { ImporterComponent, Task } from "../dsl/task";
import type { JsonValue } from "../dsl/types";
import type { ContainerSpec, ExecutorSpec, ResourceSpec } from "./ir";
import { pythonJsonDumps } from "./yaml";

export function executorFor(task: Task): ExecutorSpec {
  const component = task.component;
  if (component.kind === "container") return { container: containerSpec(component, task) };
  if (component.kind === "importer") return { importer: importerSpec(component, task) };
  throw new Error(`task "${task.name}" runs a pipeline, which has no executor`);
}

function containerSpec(component: ContainerComponent, task: Task): ContainerSpec {
  const spec: ContainerSpec = { image: component.image };
  if (component.command.length > 0) spec.command = component.command.map(commandLineText);
  if (component.args.length > 0) spec.args = component.args.map(commandLineText);
  // Like a Python dict update: a task's value replaces the component's in place.
  const env = { ...component.env, ...task.options.env };
  if (Object.keys(env).length > 0) spec.env = Object.entries(env).map(([name, value]) => ({ name, value }));
  const resources = task.options.resources ?? component.resources;
  if (resources !== undefined && Object.keys(resources).length > 0) spec.resources = resourceSpec(resources);
  return spec;
}

/** A command-line element as the SDK writes it: placeholders as text, Concat/IfPresent as JSON. */
function commandLineText(element: CommandLineElement): string {
  return typeof element === "string" || element instanceof Placeholder ? String(element) : pythonJsonDumps(structure(element));
}

function structure(element: CommandLineElement): JsonValue {
  if (element instanceof ConcatPlaceholder) return { Concat: element.items.map(structure) };
  if (element instanceof IfPresentPlaceholder) {
    const branch = (value: CommandLineElement | readonly CommandLineElement[]) =>
      Array.isArray(value) ? (value as readonly CommandLineElement[]).map(structure) : structure(value as CommandLineElement);
    const ifPresent: Record<string, JsonValue> = { InputName: element.inputName, Then: branch(element.then) };
    const otherwise = element.otherwise;
    // The SDK drops a falsy else (None or an empty list).
    if (otherwise !== undefined && !(Array.isArray(otherwise) && otherwise.length === 0) && otherwise !== "") ifPresent.Else = branch(otherwise);
    return { IfPresent: ifPresent };
  }
  return String(element);
}

/** Both forms, as the SDK writes static values: the `resource*` strings and the deprecated numbers. */
function resourceSpec(resources: Resources): ResourceSpec {
  const spec: ResourceSpec = {};
  if (resources.cpuLimit !== undefined) {
    spec.resourceCpuLimit = cpuText(resources.cpuLimit);
    spec.cpuLimit = cpuToNumber(spec.resourceCpuLimit);
  }
  if (resources.cpuRequest !== undefined) {
    spec.resourceCpuRequest = cpuText(resources.cpuRequest);
    spec.cpuRequest = cpuToNumber(spec.resourceCpuRequest);
  }
  if (resources.memoryLimit !== undefined) {
    spec.resourceMemoryLimit = resources.memoryLimit;
    spec.memoryLimit = memoryToGigabytes(resources.memoryLimit);
  }
  if (resources.memoryRequest !== undefined) {
    spec.resourceMemoryRequest = resources.memoryRequest;
    spec.memoryRequest = memoryToGigabytes(resources.memoryRequest);
  }
  if (resources.accelerator !== undefined) {
    const count = String(resources.accelerator.count ?? 1);
    const type = resources.accelerator.type;
    spec.accelerator = { type, count, resourceType: type, resourceCount: count };
  }
  return spec;
}

function importerSpec(component: ImporterComponent, task: Task): NonNullable<ExecutorSpec["importer"]> {
  const uri = task.args.uri;
  const artifact = component.outputs.artifact;
  return {
    artifactUri: typeof uri === "string" ? { constant: uri } : { runtimeParameter: "uri" },
    typeSchema: { schemaTitle: artifact.schemaTitle, schemaVersion: artifact.schemaVersion },
    ...(component.reimport ? { reimport: true as const } : {}),
    ...(component.metadata !== undefined && Object.keys(component.metadata).length > 0 ? { metadata: { ...component.metadata } } : {}),
  };
}
