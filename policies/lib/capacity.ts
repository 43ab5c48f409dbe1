import type { PolicyResource } from "../types";
import { asString, at } from "./values";

/**
 * How a node pool obtains its VMs. Spot (and legacy preemptible) VMs can be reclaimed with 30
 * seconds' notice; flex-start (Dynamic Workload Scheduler) VMs are reclaimed at their maximum run
 * duration, at most 7 days. Both are interruptible; reservations and on-demand are not.
 */
export type Capacity = "spot" | "flex-start" | "reservation" | "on-demand";

export function capacityOf(pool: PolicyResource): Capacity {
  const node = (path: string) => at(pool.inputs, `nodeConfig.${path}`);
  if (node("spot") === true || node("preemptible") === true) return "spot";
  if (node("flexStart") === true || at(pool.inputs, "queuedProvisioning.enabled") === true) return "flex-start";
  if (asString(node("reservationAffinity.consumeReservationType")) === "SPECIFIC_RESERVATION") return "reservation";
  return "on-demand";
}

export function isInterruptible(capacity: Capacity): boolean {
  return capacity === "spot" || capacity === "flex-start";
}

/** The `workload` label the platform sets on accelerator nodes (`serving`, `batch`); serving when absent. */
export function workloadOf(pool: PolicyResource): string {
  return asString(at(pool.inputs, "nodeConfig.resourceLabels.workload")) ?? asString(at(pool.inputs, "nodeConfig.labels.workload")) ?? "serving";
}

/** The platform's pool a GKE node pool belongs to (one per capacity option), else the node pool itself. */
export function poolGroupOf(pool: PolicyResource): string {
  const cluster = asString(pool.inputs.cluster) ?? "?";
  const group = asString(at(pool.inputs, "nodeConfig.resourceLabels.llmops-pool")) ?? asString(at(pool.inputs, "nodeConfig.labels.llmops-pool")) ?? pool.name;
  return `${cluster}/${group}`;
}
