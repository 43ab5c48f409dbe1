import { nodePoolAccelerator } from "../../lib/accelerators";
import { capacityOf, isInterruptible, poolGroupOf, workloadOf } from "../../lib/capacity";
import { ofType, T } from "../../lib/resources";
import { asArray, asRecord, asString } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Spot capacity is reclaimed in bulk exactly when a zone runs short, which is when a serving
 * fleet needs it. Spot as an overflow tier behind on-demand or reserved nodes is fine (the
 * platform renders one node pool per capacity option of a pool); a prod serving pool made only
 * of interruptible node pools is not.
 */
export default definePolicy({
  name: "prod-serving-not-spot-only",
  description: "In prod, no serving accelerator pool runs on interruptible capacity (spot, flex-start) alone.",
  group: "cost",
  severity: "high",
  mirrors: [],
  remediation: "Put on-demand or reservation first in the serving pool's capacity list (e.g. [reservation, on-demand, spot]); keep spot-only pools for batch work.",
  enforcement: DEFAULT_ENFORCEMENT,
  stack: {
    check(resources, ctx) {
      if (ctx.environment !== "prod") return [];
      const groups = new Map<string, PolicyResource[]>();
      for (const pool of ofType(resources, T.nodePool)) {
        if (!nodePoolAccelerator(pool) || workloadOf(pool) !== "serving") continue;
        groups.set(poolGroupOf(pool), [...(groups.get(poolGroupOf(pool)) ?? []), pool]);
      }
      const findings: Finding[] = [];
      for (const [group, pools] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        const capacities = pools.map(capacityOf);
        if (capacities.every(isInterruptible)) findings.push({ urn: pools[0].urn, message: `serving pool ${group} runs only on ${[...new Set(capacities)].join(" and ")} capacity; allowed: on-demand or reservation alongside` });
      }
      // Vertex AI can serve on spot VMs too; a deployed model there is spot-only by construction.
      for (const d of ofType(resources, T.endpointDeployment)) {
        for (const spec of asArray(d.inputs.deployments).map(asRecord)) {
          if (spec.spot === true) findings.push({ urn: d.urn, message: `deployed model ${asString(spec.displayName) ?? asString(spec.deployedModelId)} serves on spot VMs only; allowed: standard VMs in prod` });
        }
      }
      return findings;
    },
  },
});
