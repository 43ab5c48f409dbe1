/**
 * Outputs of sub-DAGs (the SDK's `get_outputs_for_all_groups`): how a `oneOf` value travels from
 * the task that produced it, out through every group around it, to the condition-branches group
 * that publishes it; and how a collected value travels out of the loops around its task, as a
 * list, to the group its reader reads it from.
 */

import { isChannel, type Channel } from "../dsl/channels";
import type { GroupNode } from "../dsl/graph";
import type { DagNode } from "../dsl/groups";
import type { Pipeline } from "../dsl/pipeline";
import { allTasks, ancestry, CHANNEL_PREFIX, channelInputs, collectedPath, isGroup, outputKey, uncommonAncestors, type AncestryEntry } from "./graph";

/** One output a group publishes: the subtask and key it reads, or one per branch for a `oneOf`. */
export interface GroupOutput {
  readonly channel: Channel;
  readonly selectors: readonly { readonly producerSubtask: string; readonly key: string }[];
  readonly oneOf: boolean;
}

export type GroupOutputs = Map<GroupNode, Map<string, GroupOutput>>;

export function groupOutputs(pipeline: Pipeline): GroupOutputs {
  const outputs: GroupOutputs = new Map();
  const done = new Set<Channel>();
  const surface = (oneOf: Channel, upstreamOf: (inner: Channel) => AncestryEntry[]) => {
    if (oneOf.ref.kind !== "oneOf" || done.has(oneOf)) return;
    done.add(oneOf);
    const branches = oneOf.ref.branches;
    // Where each branch's value can be read from, one group further out at each step.
    const cursors = oneOf.ref.channels.map((inner) => ({ producer: producerName(inner), key: outputKey(inner) }));
    oneOf.ref.channels.forEach((inner, index) => {
      const cursor = cursors[index];
      for (const entry of [...upstreamOf(inner)].reverse()) {
        if (entry === branches) break;
        if (!isGroup(entry)) continue;
        const surfacedName = `${CHANNEL_PREFIX}${cursor.producer}-${cursor.key}`;
        publish(outputs, entry, surfacedName, { channel: inner, selectors: [{ producerSubtask: cursor.producer, key: cursor.key }], oneOf: false });
        cursor.producer = entry.name;
        cursor.key = surfacedName;
      }
    });
    const selectors = cursors.map((cursor) => ({ producerSubtask: cursor.producer, key: cursor.key }));
    publish(outputs, branches, outputKey(oneOf), { channel: oneOf, selectors, oneOf: true });
  };

  // A collected value: published by each group from the producer's outward, as a list.
  const collect = (channel: Channel, reader: DagNode | "pipeline outputs") => {
    const path = collectedPath(channel, reader);
    if (path === undefined) return;
    let selector = { producerSubtask: path.producer.name, key: path.output };
    for (const group of path.groups) {
      publish(outputs, group, path.key, { channel, selectors: [selector], oneOf: false });
      selector = { producerSubtask: group.name, key: path.key };
    }
  };

  for (const task of allTasks(pipeline)) {
    for (const value of Object.values(task.args)) if (isChannel(value) && value.ref.kind === "collected") collect(value, task);
    for (const channel of channelInputs(task)) {
      surface(channel, (inner) => (inner.ref.kind === "taskOutput" ? uncommonAncestors(inner.ref.task, task)[0] : []));
    }
  }
  for (const channel of Object.values(pipeline.returned)) {
    if (channel.ref.kind === "collected") collect(channel, "pipeline outputs");
    surface(channel, (inner) => (inner.ref.kind === "taskOutput" ? ancestry(inner.ref.task).slice(1) : []));
  }
  return outputs;
}

function publish(outputs: GroupOutputs, group: GroupNode, name: string, output: GroupOutput): void {
  const known = outputs.get(group) ?? new Map<string, GroupOutput>();
  known.set(name, output);
  outputs.set(group, known);
}

function producerName(channel: Channel): string {
  return channel.ref.kind === "taskOutput" ? channel.ref.task.name : "";
}
