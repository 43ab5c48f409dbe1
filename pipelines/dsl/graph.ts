/**
 * The links of a pipeline definition's graph that point against the DSL's module layering.
 *
 * The classes build on one another in one order: channels, then tasks (which make channels), then
 * groups, then the Dag (which makes tasks and groups), then Pipeline. A few links point the other
 * way: a channel names the task or group that produces it, a task the scope it sits in. Those
 * links are typed by these interfaces, which Task, the groups and Dag satisfy, so that each module
 * imports only the ones below it.
 */

export type GroupKind = "condition" | "condition-branches" | "for-loop" | "exit-handler";

/** A DAG as its members see it: the group whose body it is, none for the pipeline's root. */
export interface ScopeNode {
  readonly owner?: GroupNode;
}

/** A task as a channel it produces sees it. */
export interface TaskNode {
  readonly name: string;
  readonly scope: ScopeNode;
}

/** A control-flow group as the channels it produces, and the tasks inside it, see it. */
export interface GroupNode {
  readonly kind: GroupKind;
  readonly name: string;
  readonly parentScope: ScopeNode;
}

/** A task or a group: what the compiler walks when it looks outward from a node. */
export type GraphNode = TaskNode | GroupNode;
