/**
 * Control-flow groups. Each becomes a sub-DAG component (`comp-condition-1`, `comp-for-loop-2`, …)
 * run by a group task in its parent's DAG. Group names come from one pipeline-wide counter at the
 * moment the group is entered, exactly like the SDK, so the numbers match its output.
 */

import { LoopItem, type ParameterChannel } from "./channels";
import type { Comparison } from "./conditions";
import type { Dag } from "./dag";
import type { Task } from "./task";
import type { JsonValue, ParameterType } from "./types";

abstract class GroupBase {
  /** Swapped once when an If turns into the first branch of a condition-branches group. */
  name: string;
  readonly body: Dag;

  constructor(
    name: string,
    /** The scope the group's task runs in; changes when an If moves into a branches group. */
    public parentScope: Dag,
    makeBody: (owner: Group) => Dag,
    /** The task's display name (`taskInfo.name`). */
    readonly displayName?: string,
  ) {
    this.name = name;
    // Every concrete group is a member of Group; the base class itself never is instantiated.
    this.body = makeBody(this as unknown as Group);
  }
}

/** `dsl.If` / `dsl.Elif` / `dsl.Else`: runs when every comparison holds. */
export class ConditionGroup extends GroupBase {
  readonly kind = "condition";

  constructor(
    name: string,
    parentScope: Dag,
    makeBody: (owner: Group) => Dag,
    displayName: string | undefined,
    readonly conditions: readonly Comparison[],
    /** The negations later branches of the same chain inherit. */
    readonly negatedUpstream: readonly Comparison[],
  ) {
    super(name, parentScope, makeBody, displayName);
  }
}

/** The wrapper the SDK inserts around an If/Elif/Else chain; the source of `oneOf` outputs. */
export class BranchesGroup extends GroupBase {
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

export type LoopItems =
  | { readonly kind: "raw"; readonly values: readonly JsonValue[]; readonly id: number }
  /** A LIST channel, or a field of another loop's item (of whatever declared type, as in the SDK). */
  | { readonly kind: "channel"; readonly channel: ParameterChannel };

/** `dsl.ParallelFor` over a static list, a LIST channel, or a field of another loop's item. */
export class LoopGroup extends GroupBase {
  readonly kind = "for-loop";
  readonly item: LoopItem;

  constructor(
    name: string,
    parentScope: Dag,
    makeBody: (owner: Group) => Dag,
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
export class ExitHandlerGroup extends GroupBase {
  readonly kind = "exit-handler";

  constructor(name: string, parentScope: Dag, makeBody: (owner: Group) => Dag, displayName: string | undefined, readonly exitTask: Task) {
    super(name, parentScope, makeBody, displayName);
  }
}

export type Group = ConditionGroup | BranchesGroup | LoopGroup | ExitHandlerGroup;
export type DagNode = Task | Group;
