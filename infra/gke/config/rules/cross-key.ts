import type { z } from "zod";
import { isRegion } from "../../../common/regions";
import type { GkeConfig } from "../objects";
import { parseCidr } from "../../../../lib/cidr";
import { MAX_PLANNED_REGIONS, overlapRules } from "./network";

/** The keys of `llmops:` the GKE rules read besides `llmops:gke`. */
interface Stack {
  readonly environment: string;
  readonly regions: readonly string[];
  readonly gke?: GkeConfig;
}

/**
 * Rules between `llmops:gke` and other keys: clusters only in the stack's serving regions, no
 * overlapping ranges on a VPC (defaults depend on a region's position in `llmops:regions`), no
 * front door open to the internet in prod, and in prod, serving pools that survive a preemption
 * and keep a node warm. Paths start at the key.
 */
export function gkeCrossKeyCheck(cfg: Stack, ctx: z.RefinementCtx): void {
  if (!cfg.gke) return;
  const clusters = Object.entries(cfg.gke.clusters).map(([region, cluster]) => ({ region, index: cfg.regions.indexOf(region), network: cluster.network }));
  for (const c of clusters) {
    if (c.index >= MAX_PLANNED_REGIONS) {
      ctx.addIssue({ code: "custom", path: ["gke", "clusters", c.region], message: `the stack's VPC plans ranges for the first ${MAX_PLANNED_REGIONS} regions of llmops:regions, and ${c.region} is number ${c.index + 1}; allowed: a region among the first ${MAX_PLANNED_REGIONS}` });
      c.index = -1;
    }
  }
  overlapRules(
    clusters.sort((a, b) => a.index - b.index),
    ctx,
    ["gke"],
  );
  if (cfg.environment === "prod") {
    cfg.gke.frontDoor?.allowedSourceRanges.forEach((cidr, i) => {
      if (parseCidr(cidr)?.prefix === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["gke", "frontDoor", "allowedSourceRanges", i],
          message: `${cidr} admits the whole internet to prod's GPUs; allowed: the ranges callers come from (corporate egress, partner NATs, a proxy)`,
        });
      }
    });
  }
  for (const [region, cluster] of Object.entries(cfg.gke.clusters)) {
    // A name that is no region at all is reported by the gke rules already.
    if (isRegion(region) && !cfg.regions.includes(region)) {
      ctx.addIssue({ code: "custom", path: ["gke", "clusters", region], message: `${region} is not one of the stack's serving regions; allowed: ${cfg.regions.join(", ")} (llmops:regions), or add it there` });
    }
    if (cfg.environment !== "prod") continue;
    for (const [name, pool] of Object.entries(cluster.pools)) {
      if (pool.workload !== "serving") continue;
      const at = ["gke", "clusters", region, "pools", name];
      const guaranteed = pool.capacity.includes("reservation") || pool.capacity.includes("on-demand");
      if (!guaranteed) {
        const what = pool.capacity.every((c) => c === "spot") ? "on spot VMs alone: one preemption wave takes serving down" : `on ${pool.capacity.join(" and ")} alone: nothing guarantees a node`;
        ctx.addIssue({ code: "custom", path: [...at, "capacity"], message: `a prod serving pool cannot run ${what}; allowed: add reservation or on-demand (spot or flex-start may stay as fallbacks)` });
      } else if (pool.autoscaling.min === 0) {
        // A cold start is minutes of node boot plus model load: prod keeps one node warm.
        ctx.addIssue({ code: "custom", path: [...at, "autoscaling", "min"], message: "a prod serving pool keeps at least one node warm (a cold start takes minutes); allowed: min ≥ 1 (min 0 is for dev and batch pools)" });
      }
    }
  }
}
