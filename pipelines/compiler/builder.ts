/**
 * Builds the PipelineSpec of a validated pipeline the way the SDK's `pipeline_spec_builder` does:
 * groups parent first; in each DAG, child groups before tasks; components and executors named
 * after tasks and made unique with `-2`, `-3`, …; exit tasks last.
 */

import type { Channel } from "../dsl/channels";
import { ConditionGroup, ExitHandlerGroup, LoopGroup, type DagNode, type Group } from "../dsl/groups";
import { k8sName, uniqueName } from "../dsl/names";
import { Pipeline } from "../dsl/pipeline";
import type { Task } from "../dsl/task";
import { declaredInterface, groupInterface } from "./component-spec";
import { dependentTaskNames, type Dependencies } from "./dependencies";
import { executorFor } from "./executor";
import { allGroups, comparisonChannels, exitHandlers, fullName, isTask, outputKey, producerOf, readAs } from "./graph";
import { groupInputs, isWithItems, keepsWithItems, type GroupInputs } from "./inputs";
import type { ComponentSpec, ExecutorSpec, PipelineSpec } from "./ir";
import { surfaceMetrics } from "./metrics";
import { groupOutputs, type GroupOutput, type GroupOutputs } from "./outputs";
import { groupTaskSpec, leafTaskSpec, type Placement } from "./task-spec";

export interface BuildContext {
  readonly sdkVersion: string;
  readonly dependencies: Dependencies;
  /** Builds a nested pipeline's spec with the same options. */
  readonly buildNested: (pipeline: Pipeline) => PipelineSpec;
}

export function buildPipelineSpec(pipeline: Pipeline, context: BuildContext): PipelineSpec {
  return new SpecBuilder(pipeline, context).build();
}

class SpecBuilder {
  private readonly components = new Map<string, ComponentSpec>();
  private readonly executors = new Map<string, ExecutorSpec>();
  private readonly groupSpecs = new Map<Group, ComponentSpec>();
  private readonly inputs: GroupInputs;
  private readonly outputs: GroupOutputs;
  private readonly root: ComponentSpec;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly context: BuildContext,
  ) {
    this.inputs = groupInputs(pipeline);
    this.outputs = groupOutputs(pipeline);
    this.root = declaredInterface(pipeline.inputs, pipeline.outputs);
  }

  build(): PipelineSpec {
    this.buildScope(undefined);
    for (const group of allGroups(this.pipeline.root)) this.buildScope(group);
    for (const handler of exitHandlers(this.pipeline)) this.buildExitTask(handler);
    this.connectRootOutputs();
    const spec: PipelineSpec = {
      components: Object.fromEntries(this.components),
      deploymentSpec: { executors: Object.fromEntries(this.executors) },
      pipelineInfo: {
        name: this.pipeline.name,
        ...(this.pipeline.displayName !== undefined ? { displayName: this.pipeline.displayName } : {}),
        ...(this.pipeline.description !== undefined ? { description: this.pipeline.description } : {}),
      },
      root: this.root,
      schemaVersion: "2.1.0",
      sdkVersion: this.context.sdkVersion,
      ...(this.pipeline.pipelineRoot !== undefined ? { defaultPipelineRoot: this.pipeline.pipelineRoot } : {}),
    };
    if (this.components.size === 0) delete spec.components;
    return spec;
  }

  /** One DAG: the root (`owner` undefined) or a group's body (`build_spec_by_group`). */
  private buildScope(owner: Group | undefined): void {
    const scope = owner?.body ?? this.pipeline.root;
    const ownerSpec = owner === undefined ? this.root : (this.groupSpecs.get(owner) as ComponentSpec);
    const placement: Placement = { siblings: new Set<DagNode>(scope.children), parentInputs: ownerSpec.inputDefinitions, parentIsRoot: owner === undefined };
    const tasks = (ownerSpec.dag ??= { tasks: {} }).tasks;
    // The SDK builds a DAG's groups before its tasks; it matters when names collide.
    const ordered = [...scope.children.filter((child) => !isTask(child)), ...scope.children.filter(isTask)];
    for (const child of ordered) {
      const dependentTasks = dependentTaskNames(this.context.dependencies, child);
      const componentName = `comp-${k8sName(child.name)}`;
      if (isTask(child)) {
        tasks[child.name] = leafTaskSpec(child, this.addComponent(componentName, this.taskComponent(child)), placement, dependentTasks);
      } else {
        const channels = this.groupChannels(child);
        tasks[child.name] = groupTaskSpec(child, this.addComponent(componentName, this.groupComponent(child, channels)), channels, placement, dependentTasks);
      }
    }
    surfaceMetrics(scope.children.filter(isTask), (group) => (group === undefined ? this.root : (this.groupSpecs.get(group) as ComponentSpec)));
  }

  private taskComponent(task: Task): ComponentSpec {
    if (task.component instanceof Pipeline) return this.mergeNested(this.context.buildNested(task.component));
    const spec: ComponentSpec = { executorLabel: uniqueName(`exec-${k8sName(task.name)}`, this.executors), ...declaredInterface(task.component.inputs, task.component.outputs) };
    this.executors.set(spec.executorLabel as string, executorFor(task));
    return spec;
  }

  private groupComponent(group: Group, channels: readonly Channel[]): ComponentSpec {
    const outputs: ReadonlyMap<string, GroupOutput> = this.outputs.get(group) ?? new Map();
    const spec = groupInterface(channels, outputs);
    for (const [name, output] of outputs) {
      const dagOutputs = ((spec.dag ??= { tasks: {} }).outputs ??= {});
      const selectors = output.selectors;
      if (output.channel.kind === "artifact") {
        (dagOutputs.artifacts ??= {})[name] = { artifactSelectors: selectors.map((s) => ({ producerSubtask: s.producerSubtask, outputArtifactKey: s.key })) };
      } else if (output.oneOf) {
        (dagOutputs.parameters ??= {})[name] = { valueFromOneof: { parameterSelectors: selectors.map((s) => ({ producerSubtask: s.producerSubtask, outputParameterKey: s.key })) } };
      } else {
        (dagOutputs.parameters ??= {})[name] = { valueFromParameter: { producerSubtask: selectors[0].producerSubtask, outputParameterKey: selectors[0].key } };
      }
    }
    this.groupSpecs.set(group, spec);
    return spec;
  }

  /** A group's injected inputs, plus what the group itself reads: loop items, condition operands. */
  private groupChannels(group: Group): Channel[] {
    const channels = new Map(this.inputs.get(group) ?? []);
    // The SDK drops a static list's values from a loop that neither draws them nor sits in a loop that does.
    if (group instanceof LoopGroup) for (const [name, channel] of channels) if (isWithItems(channel) && !keepsWithItems(group, channel)) channels.delete(name);
    const extra: Channel[] = [];
    if (group instanceof LoopGroup) {
      if (group.items.kind === "channel") extra.push(group.items.channel);
      extra.push(group.item);
    }
    if (group instanceof ConditionGroup) extra.push(...comparisonChannels(group.conditions));
    for (const channel of extra) if (!channels.has(fullName(channel))) channels.set(fullName(channel), channel);
    return [...channels.values()];
  }

  private addComponent(name: string, spec: ComponentSpec): string {
    const unique = uniqueName(name, this.components);
    this.components.set(unique, spec);
    return unique;
  }

  /** Folds a nested pipeline's executors and components into this one, renaming on collision. */
  private mergeNested(nested: PipelineSpec): ComponentSpec {
    const components = nested.components ?? {};
    for (const [label, executor] of Object.entries(nested.deploymentSpec?.executors ?? {})) {
      const unique = uniqueName(label, this.executors);
      this.executors.set(unique, executor);
      for (const component of Object.values(components)) if (component.executorLabel === label) component.executorLabel = unique;
    }
    const renamed = new Map<string, string>();
    const taken = new Set(this.components.keys());
    for (const name of Object.keys(components)) {
      const unique = uniqueName(name, taken);
      taken.add(unique);
      renamed.set(name, unique);
    }
    for (const component of [...Object.values(components), nested.root]) {
      for (const task of Object.values(component.dag?.tasks ?? {})) task.componentRef.name = renamed.get(task.componentRef.name) ?? task.componentRef.name;
    }
    for (const [name, component] of Object.entries(components)) this.components.set(renamed.get(name) as string, component);
    return nested.root;
  }

  private buildExitTask(handler: ExitHandlerGroup): void {
    const task = handler.exitTask;
    // Like the SDK, the exit task reads only pipeline inputs and has no siblings to read from.
    const placement: Placement = { siblings: new Set(), parentInputs: this.root.inputDefinitions, parentIsRoot: true };
    const componentName = this.addComponent(`comp-${k8sName(task.name)}`, this.taskComponent(task));
    const taskSpec = leafTaskSpec(task, componentName, placement, [handler.name]);
    taskSpec.triggerPolicy = { strategy: "ALL_UPSTREAM_TASKS_COMPLETED" };
    for (const [name, input] of Object.entries(task.component.inputs)) {
      if (input.kind === "taskFinalStatus") ((taskSpec.inputs ??= {}).parameters ??= {})[name] = { taskFinalStatus: { producerTask: handler.name } };
    }
    (this.root.dag ??= { tasks: {} }).tasks[task.name] = taskSpec;
  }

  private connectRootOutputs(): void {
    for (const [name, returned] of Object.entries(this.pipeline.returned)) {
      const channel = readAs(returned, "pipeline outputs");
      const outputs = ((this.root.dag ??= { tasks: {} }).outputs ??= {});
      const producerSubtask = (producerOf(channel) as DagNode).name;
      if (channel.kind === "artifact") (outputs.artifacts ??= {})[name] = { artifactSelectors: [{ producerSubtask, outputArtifactKey: outputKey(channel) }] };
      else (outputs.parameters ??= {})[name] = { valueFromParameter: { producerSubtask, outputParameterKey: outputKey(channel) } };
    }
  }
}
