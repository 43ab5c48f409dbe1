/**
 * If/Elif/Else chains and `oneOf`. A lone `if` is a condition group; adding `elif` or `else` wraps
 * the chain in a condition-branches group, whose `oneOf` outputs pick the value of whichever branch
 * ran (`dsl.OneOf`).
 */

import { ArtifactChannel, ParameterChannel, type Channel } from "./channels";
import { negated, type Comparison } from "./conditions";
import type { Dag, GroupOptions } from "./dag";
import { BranchesGroup, ConditionGroup, type Group } from "./groups";
import type { ParameterType } from "./types";

/** The end of a chain that has an `else`. */
export interface Branches<R extends readonly unknown[]> {
  /** What each branch body returned, in order. */
  readonly results: R;
}

export class IfChain<R extends readonly unknown[]> implements Branches<R> {
  private continued = false;

  constructor(
    private readonly scope: Dag,
    private readonly last: ConditionGroup,
    private readonly wrapper: BranchesGroup | undefined,
    readonly results: R,
  ) {}

  /** `dsl.Elif`: runs when no earlier branch ran and `condition` holds. */
  elif<R2>(condition: Comparison, body: (dag: Dag) => R2, options?: GroupOptions): IfChain<[...R, R2]> {
    const upstream = this.last.negatedUpstream;
    const [wrapper, group] = this.next([...upstream, condition], [...upstream, negated(condition)], options);
    return new IfChain(this.scope, group, wrapper, [...this.results, group.body.run(body)]);
  }

  /** `dsl.Else`: runs when no earlier branch ran. */
  else<R2>(body: (dag: Dag) => R2, options?: GroupOptions): Branches<[...R, R2]> {
    const [wrapper, group] = this.next(this.last.negatedUpstream, [], options);
    wrapper.hasElse = true;
    return { results: [...this.results, group.body.run(body)] };
  }

  private next(conditions: readonly Comparison[], negatedUpstream: readonly Comparison[], options?: GroupOptions): [BranchesGroup, ConditionGroup] {
    if (this.continued) throw new Error("this if-chain was already continued; call elif/else on the value the previous elif returned");
    this.continued = true;
    const wrapper = this.wrapper ?? this.wrap();
    if (this.scope.children[this.scope.children.length - 1] !== wrapper) {
      throw new Error(`elif/else must directly follow its if: "${nodeName(this.scope.children[this.scope.children.length - 1])}" was added in between`);
    }
    const context = this.scope.context;
    const group = new ConditionGroup(`condition-${context.nextGroupId()}`, wrapper.body, (owner) => wrapper.body.child(owner), options?.displayName, conditions, negatedUpstream);
    wrapper.body.add(group);
    return [wrapper, group];
  }

  /** Wraps the If in a branches group, taking over the If's number as the SDK does. */
  private wrap(): BranchesGroup {
    const children = this.scope.children;
    const index = children.indexOf(this.last);
    if (index !== children.length - 1) {
      throw new Error(`elif/else must directly follow its if: "${nodeName(children[children.length - 1])}" was added in between`);
    }
    const context = this.scope.context;
    const wrapper = new BranchesGroup(`condition-branches-${context.nextGroupId()}`, this.scope, (owner) => this.scope.child(owner));
    const wrapperId = wrapper.name.slice(wrapper.name.lastIndexOf("-") + 1);
    wrapper.name = `condition-branches-${this.last.name.slice(this.last.name.lastIndexOf("-") + 1)}`;
    this.last.name = `condition-${wrapperId}`;
    children[index] = wrapper;
    wrapper.body.add(this.last);
    this.last.parentScope = wrapper.body;
    return wrapper;
  }
}

function nodeName(node: { readonly name: string } | undefined): string {
  return node?.name ?? "?";
}

/**
 * `dsl.OneOf`: the output of whichever branch of an if/elif/else chain ran. Give one task output
 * from every branch; the chain must end with `else` so that some branch always runs.
 */
export function oneOf<T extends ParameterType>(...channels: [ParameterChannel<T>, ParameterChannel<NoInfer<T>>, ...ParameterChannel<NoInfer<T>>[]]): ParameterChannel<T>;
export function oneOf<S extends string, L extends boolean>(
  ...channels: [ArtifactChannel<S, L>, ArtifactChannel<NoInfer<S>, NoInfer<L>>, ...ArtifactChannel<NoInfer<S>, NoInfer<L>>[]]
): ArtifactChannel<S, L>;
export function oneOf(...channels: Channel[]): Channel {
  const first = channels[0];
  const branchesOf = channels.map((channel) => enclosingBranch(channel));
  const wrapper = branchesOf[0]?.wrapper;
  if (wrapper === undefined || branchesOf.some((found) => found?.wrapper !== wrapper)) {
    throw new Error("oneOf takes task outputs produced inside the branches of one if/elif/else chain");
  }
  const used = new Set(branchesOf.map((found) => found?.branch));
  if (used.size !== channels.length || wrapper.branches.some((branch) => !used.has(branch))) {
    throw new Error(`oneOf takes exactly one output from each of the ${wrapper.branches.length} branches of ${wrapper.name}`);
  }
  if (!wrapper.hasElse) throw new Error(`oneOf needs the chain ${wrapper.name} to end with else, so that one branch always produces a value`);
  if (channels.some((channel) => channel.kind !== first.kind || describeType(channel) !== describeType(first) || (channel.kind === "artifact" && first.kind === "artifact" && channel.list !== first.list))) {
    throw new Error(`oneOf takes outputs of one type; got ${channels.map(describeType).join(", ")}`);
  }
  const ref = { kind: "oneOf", branches: wrapper, id: wrapper.nextOneOfId(), channels } as const;
  return first instanceof ParameterChannel
    ? new ParameterChannel(first.context, ref, first.type, first.itemType, first.itemFieldType)
    : new ArtifactChannel(first.context, ref, first.schemaTitle, first.schemaVersion, first.list);
}

function describeType(channel: Channel): string {
  return channel instanceof ParameterChannel ? channel.type : channel.schemaTitle;
}

/** The branch (and its chain) a task output was produced in, looking outward from the task. */
function enclosingBranch(channel: Channel): { wrapper: BranchesGroup; branch: ConditionGroup } | undefined {
  if (channel.ref.kind !== "taskOutput") return undefined;
  let group: Group | undefined = channel.ref.task.scope.owner;
  while (group !== undefined) {
    const parent: Group | undefined = group.parentScope.owner;
    if (group instanceof ConditionGroup && parent instanceof BranchesGroup) return { wrapper: parent, branch: group };
    group = parent;
  }
  return undefined;
}
