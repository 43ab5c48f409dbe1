/**
 * Control-flow groups. Each becomes a sub-DAG component (`comp-condition-1`, `comp-for-loop-2`, …)
 * run by a group task in its parent's DAG. Group names come from one pipeline-wide counter at the
 * moment the group is entered, exactly like the SDK, so the numbers match its output.
 */

import { LoopItem, type BranchesNode, type ChannelContext, type LoopItems, type LoopNode } from "./channels";
import type { Comparison } from "./conditions";
import type { GroupNode, ScopeNode } from "./graph";
import type { Task } from "./task";
import type { ParameterType } from "./types";

/**
 * A DAG scope as the groups in it and the group owning it see it. The Dag class builds the groups,
 * so they are generic in it: Dag makes them with itself as `S` and keeps its own type for their
 * bodies, while whoever only reads the graph (the compiler) sees this interface.
 */
export interface GroupScope extends ScopeNode {
  readonly context: ChannelContext;
  readonly owner?: Group;
  /** Tasks and groups in creation order. */
  readonly children: readonly DagNode[];
}

abstract class GroupBase<S extends GroupScope> implements GroupNode {
  abstract readonly kind: GroupNode["kind"];
  /** Swapped once when an If turns into the first branch of a condition-branches group. */
  name: string;
  readonly body: S;

  constructor(
    name: string,
    /** The scope the group's task runs in; changes when an If moves into a branches group. */
    public parentScope: S,
    makeBody: (owner: Group) => S,
    /** The task's display name (`taskInfo.name`). */
    readonly displayName?: string,
  ) {
    this.name = name;
    // Every concrete group is a member of Group; the base class itself never is instantiated.
    this.body = makeBody(this as unknown as Group);
  }
}

/** `dsl.If` / `dsl.Elif` / `dsl.Else`: runs when every comparison holds. */
export class ConditionGroup<S extends GroupScope = GroupScope> extends GroupBase<S> {
  readonly kind = "condition";

  constructor(
    name: string,
    parentScope: S,
    makeBody: (owner: Group) => S,
    displayName: string | undefined,
    readonly conditions: readonly Comparison[],
    /** The negations later branches of the same chain inherit. */
    readonly negatedUpstream: readonly Comparison[],
  ) {
    super(name, parentScope, makeBody, displayName);
  }
}

/** The wrapper the SDK inserts around an If/Elif/Else chain; the source of `oneOf` outputs. */
export class BranchesGroup<S extends GroupScope = GroupScope> extends GroupBase<S> implements BranchesNode {
  readonly kind = "condition-branches";
  hasElse = false;
  private oneOfCount = 0;

  /** The branches in order; they are the children of `body`. */
  get branches(): ConditionGroup[] {
    return this.body.children.filter((child): child is ConditionGroup => child instanceof ConditionGroup);
  }

  nextOneOfId(): number {
    return ++this.oneOfCount;
  }
}

/** `dsl.ParallelFor` over a static list, a LIST channel, or a field of another loop's item. */
export class LoopGroup<S extends GroupScope = GroupScope> extends GroupBase<S> implements LoopNode {
  readonly kind = "for-loop";
  readonly item: LoopItem;

  constructor(
    name: string,
    parentScope: S,
    makeBody: (owner: Group) => S,
    displayName: string | undefined,
    readonly items: LoopItems,
    /** The item's type, as the SDK declares the loop's item input. */
    readonly itemType: ParameterType,
    /** The type of the item's fields, as the SDK declares a field passed into a group. */
    readonly itemFieldType: ParameterType,
    /** 0 means unlimited. */
    readonly parallelism: number,
  ) {
    super(name, parentScope, makeBody, displayName);
    this.item = new LoopItem(parentScope.context, { kind: "loopItem", loop: this }, itemType);
  }
}

/** `dsl.ExitHandler`: `exitTask` runs after the body, whatever its outcome. */
export class ExitHandlerGroup<S extends GroupScope = GroupScope> extends GroupBase<S> {
  readonly kind = "exit-handler";

  constructor(name: string, parentScope: S, makeBody: (owner: Group) => S, displayName: string | undefined, readonly exitTask: Task) {
    super(name, parentScope, makeBody, displayName);
  }
}

export type Group = ConditionGroup | BranchesGroup | LoopGroup | ExitHandlerGroup;
export type DagNode = Task | Group;
