/**
 * The SDK publishes every `system.Metrics` and `system.ClassificationMetrics` output of a task as
 * an output of each enclosing DAG up to the root (`populate_metrics_in_dag_outputs`), named
 * `<task>-<output>`, so the console can show a run's metrics.
 */

import type { Group } from "../dsl/groups";
import { METRICS_SCHEMAS } from "../dsl/specs";
import type { Task } from "../dsl/task";
import { ancestry, isGroup } from "./graph";
import type { ComponentSpec } from "./ir";

export function surfaceMetrics(tasks: readonly Task[], specOf: (group: Group | undefined) => ComponentSpec): void {
  for (const task of tasks) {
    // Innermost enclosing group first, the root last.
    const enclosing: (Group | undefined)[] = [...ancestry(task).filter(isGroup).reverse(), undefined];
    for (const [output, spec] of Object.entries(task.component.outputs)) {
      if (spec.kind !== "artifact" || !METRICS_SCHEMAS.includes(spec.schemaTitle)) continue;
      const surfaced = `${task.name}-${output}`;
      let producerSubtask = task.name;
      let key = output;
      for (const group of enclosing) {
        const component = specOf(group);
        ((component.outputDefinitions ??= {}).artifacts ??= {})[surfaced] = {
          artifactType: { schemaTitle: spec.schemaTitle, schemaVersion: spec.schemaVersion },
          ...(spec.description !== undefined ? { description: spec.description } : {}),
        };
        const dagOutputs = ((component.dag ??= { tasks: {} }).outputs ??= {});
        ((dagOutputs.artifacts ??= {})[surfaced] ??= { artifactSelectors: [] }).artifactSelectors.push({ producerSubtask, outputArtifactKey: key });
        producerSubtask = group?.name ?? "";
        key = surfaced;
      }
    }
  }
}
