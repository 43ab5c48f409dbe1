import { z } from "zod";
import { nodePoolAccelerator } from "../../lib/accelerators";
import { capacityOf, workloadOf } from "../../lib/capacity";
import { T } from "../../lib/resources";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Tuning and batch inference checkpoint and retry; they do not need capacity that is never taken
 * away. Spot GPUs cost a fraction of on-demand, flex-start queues for capacity at a discount, and
 * a reservation is already paid for. An on-demand accelerator pool for batch work pays full price
 * for a guarantee nobody needs.
 */
const settings = z.strictObject({
  /** `workload` label values of batch-like pools. */
  workloads: z.array(z.string()),
});

export default definePolicy({
  name: "batch-capacity-interruptible",
  description: "Accelerator pools for tuning and batch work use spot, flex-start or reserved capacity, not on-demand.",
  group: "cost",
  severity: "medium",
  mirrors: [],
  remediation: "Set the pool's capacity to [spot] or [flex-start] (or [reservation, spot]) in llmops:gke.clusters.<region>.pools.<pool>.capacity, and make the job checkpoint so it survives preemption.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: () => ({ workloads: ["batch", "tuning"] }) },
  resource: {
    types: [T.nodePool],
    check(pool, ctx) {
      const per = nodePoolAccelerator(pool);
      const workload = workloadOf(pool);
      if (!per || !ctx.settings.workloads.includes(workload)) return [];
      return capacityOf(pool) === "on-demand" ? [{ message: `${workload} pool of ${per.type} runs on-demand; allowed: spot, flex-start or a specific reservation` }] : [];
    },
  },
});
