import type { z } from "zod";
import { CAPACITY_OPTIONS, type CapacityOption } from "../catalog";
import type { PoolConfig } from "../shapes";

/** Capacity options in the order a ComputeClass tries them; the first holds the pool's baseline. */
export function orderedCapacity(capacity: readonly CapacityOption[]): CapacityOption[] {
  return CAPACITY_OPTIONS.filter((option) => capacity.includes(option));
}

/** Rules on how a pool obtains its accelerators. */
export function capacityRules(pool: PoolConfig, ctx: z.RefinementCtx): void {
  const { capacity } = pool;
  capacity.forEach((option, i) => {
    const first = capacity.indexOf(option);
    if (first !== i) ctx.addIssue({ code: "custom", path: ["capacity", i], message: `${option} is listed twice (first at [${first}]); allowed: each option once` });
  });
  const has = (option: CapacityOption) => capacity.includes(option);

  // Both are the interruptible tiers, with different disruption models (flex-start nodes are
  // reclaimed at maxRunDuration, spot nodes are preempted at 30 seconds' notice): a pool that
  // could be either makes every workload on it handle both. One is enough.
  if (has("flex-start") && has("spot")) {
    ctx.addIssue({
      code: "custom",
      path: ["capacity"],
      message: "flex-start and spot exclude each other (one interruptible tier per pool); allowed: reservation and/or on-demand, plus either flex-start or spot",
    });
  }
  // Dynamic Workload Scheduler provisions nodes for pending pods only, so a flex-start pool
  // cannot hold a standing baseline; GKE rejects a flex-start pool with a minimum above zero.
  if (orderedCapacity(capacity)[0] === "flex-start" && pool.autoscaling.min > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["autoscaling", "min"],
      message: `flex-start pools scale from zero, not from ${pool.autoscaling.min}; allowed: min 0, or list reservation or on-demand in capacity to hold the baseline`,
    });
  }

  if (has("reservation") && !pool.reservation) {
    ctx.addIssue({ code: "custom", path: ["reservation"], message: "capacity lists reservation but names none; allowed: reservation: { name: <reservation>, project: <owner, if shared> }" });
  }
  if (pool.reservation && !has("reservation")) {
    ctx.addIssue({ code: "custom", path: ["reservation"], message: "a reservation is only consumed by the reservation option; allowed: add reservation to capacity, or omit reservation" });
  }
  if (pool.flexStart && !has("flex-start")) {
    ctx.addIssue({ code: "custom", path: ["flexStart"], message: "flexStart settings apply to the flex-start option; allowed: add flex-start to capacity, or omit flexStart" });
  }
  if (pool.flexStart?.queued) {
    // A queued pool gets nodes only through ProvisioningRequests, so the autoscaler never falls
    // back to it or from it: it cannot be one step of a ComputeClass.
    if (capacity.length > 1) {
      ctx.addIssue({ code: "custom", path: ["flexStart", "queued"], message: "queued provisioning serves only ProvisioningRequests and cannot be one of several capacity options; allowed: capacity: [flex-start] alone" });
    }
    if (pool.workload !== "batch") {
      ctx.addIssue({ code: "custom", path: ["flexStart", "queued"], message: "queued provisioning starts all nodes of a job at once, for batch work; allowed: workload: batch, or queued: false" });
    }
  }
}
