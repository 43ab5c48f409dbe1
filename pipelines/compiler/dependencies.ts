/**
 * `dependentTasks`: a task that reads another's output, or runs `.after()` it, depends on it. When
 * the two sit in different groups, the dependency holds between their outermost differing
 * ancestors, which are siblings in one DAG (the SDK's `get_dependencies`). Reading out of a
 * condition or exit handler from outside it is an error, as is a cycle.
 */

import type { DslProblem } from "../dsl/errors";
import type { GraphNode } from "../dsl/graph";
import { ConditionGroup, ExitHandlerGroup, LoopGroup, type DagNode } from "../dsl/groups";
import type { Pipeline } from "../dsl/pipeline";
import { compareCodePoints } from "./yaml";
import { allTasks, channelInputs, conditionChannels, isTask, producerOf, uncommonAncestors } from "./graph";

export type Dependencies = Map<DagNode, Set<DagNode>>;

export function dependencies(pipeline: Pipeline): { dependencies: Dependencies; problems: DslProblem[] } {
  const result: Dependencies = new Map();
  const problems: DslProblem[] = [];
  for (const task of allTasks(pipeline)) {
    const dataProducers = new Set<GraphNode>();
    for (const channel of [...channelInputs(task), ...conditionChannels(task)]) {
      // A collected value that cannot be collected is reported by validation, not as a dependency.
      if (channel.ref.kind === "collected") continue;
      const producer = producerOf(channel);
      if (producer !== undefined) dataProducers.add(producer);
    }
    for (const upstream of new Set([...dataProducers, ...task.upstream])) {
      const [up, down] = uncommonAncestors(upstream, task);
      const where = `task "${task.name}"`;
      if (up.length === 0 || down.length === 0) {
        problems.push({ where, message: `cannot depend on "${upstream.name}", which encloses it or is itself; allowed: tasks outside the groups around it` });
        continue;
      }
      const outerUpstream = up.find((entry) => entry !== upstream);
      if (outerUpstream instanceof ConditionGroup || outerUpstream instanceof ExitHandlerGroup) {
        problems.push({
          where,
          message: `depends on "${upstream.name}" inside ${outerUpstream.name}, which may not run; allowed: move the task into ${outerUpstream.name}, or use oneOf over an if/elif/else`,
        });
      } else if (outerUpstream instanceof LoopGroup && dataProducers.has(upstream)) {
        problems.push({
          where,
          message: `reads an output of "${upstream.name}" inside ${outerUpstream.name}, which has one value per iteration; allowed: use it inside the loop, collect every value with collected(...), or order with .after()`,
        });
      }
      const from = down[0] as DagNode;
      const set = result.get(from) ?? new Set<DagNode>();
      set.add(up[0] as DagNode);
      result.set(from, set);
    }
  }
  problems.push(...cycles(result));
  return { dependencies: result, problems };
}

/** `dependentTasks` of a node: sibling names, sorted. */
export function dependentTaskNames(deps: Dependencies, node: DagNode): string[] {
  return [...(deps.get(node) ?? [])].map((upstream) => upstream.name).sort(compareCodePoints);
}

function cycles(deps: Dependencies): DslProblem[] {
  const problems: DslProblem[] = [];
  const state = new Map<DagNode, "visiting" | "done">();
  const stack: DagNode[] = [];
  const visit = (node: DagNode): void => {
    state.set(node, "visiting");
    stack.push(node);
    for (const upstream of deps.get(node) ?? []) {
      if (state.get(upstream) === "visiting") {
        const loop = [...stack.slice(stack.indexOf(upstream)), upstream].map((entry) => entry.name);
        problems.push({ where: `${isTask(node) ? "task" : "group"} "${node.name}"`, message: `dependency cycle ${loop.join(" → ")}; allowed: an order without cycles (check .after() calls)` });
      } else if (!state.has(upstream)) visit(upstream);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of deps.keys()) if (!state.has(node)) visit(node);
  return problems;
}
