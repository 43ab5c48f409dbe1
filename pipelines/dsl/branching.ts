/**
 * `oneOf`: the value of whichever branch of an if/elif/else chain ran (`dsl.OneOf`). The chain
 * itself is built by `Dag.if` (see IfChain in dag.ts): a lone `if` is a condition group; adding
 * `elif` or `else` wraps the chain in the condition-branches group `oneOf` reads from.
 */

import { ArtifactChannel, ParameterChannel, type Channel } from "./channels";
import type { GroupNode } from "./graph";
import { BranchesGroup, ConditionGroup } from "./groups";
import type { ParameterType } from "./types";

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
  let group: GroupNode | undefined = channel.ref.task.scope.owner;
  while (group !== undefined) {
    const parent: GroupNode | undefined = group.parentScope.owner;
    if (group instanceof ConditionGroup && parent instanceof BranchesGroup) return { wrapper: parent, branch: group };
    group = parent;
  }
  return undefined;
}
