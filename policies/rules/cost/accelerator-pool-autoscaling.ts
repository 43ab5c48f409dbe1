import { z } from "zod";
import { capFor, nodePoolAccelerator, nodePoolMaxNodes, nodePoolRegion } from "../../lib/accelerators";
import { capsSchema, defaultCaps } from "../../lib/caps";
import { T } from "../../lib/resources";
import { asNumber, asRecord, isOpaque } from "../../lib/values";
import type { Finding } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * A GPU or TPU pool without an explicit upper bound grows as far as pending pods and quota let
 * it: one runaway job or misconfigured HPA is a five-figure day. The bound must be explicit,
 * at least the minimum, and the pool alone must fit the stack's cap for its type and region.
 */
const settings = z.strictObject({ caps: capsSchema });

export default definePolicy({
  name: "accelerator-pool-autoscaling",
  description: "Every accelerator node pool autoscales between explicit bounds, and its maximum fits the stack's cap for its accelerator and region.",
  group: "cost",
  severity: "high",
  mirrors: [],
  remediation:
    "Give the pool autoscaling { totalMinNodeCount, totalMaxNodeCount } (llmops:gke pools: autoscaling.min and .max) with max × accelerators per node within the cap; raise a cap in policy config (caps) through review.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: (env) => ({ caps: defaultCaps(env) }) },
  resource: {
    types: [T.nodePool],
    check(pool, ctx) {
      const per = nodePoolAccelerator(pool);
      if (!per) return [];
      const scaling = pool.inputs.autoscaling;
      if (isOpaque(scaling)) return [];
      const s = asRecord(scaling);
      if (Object.keys(s).length === 0) {
        return [{ message: `${per.type} pool does not autoscale: a fixed pool pays for every node around the clock; allowed: autoscaling with an explicit maximum` }];
      }
      const max = asNumber(s.totalMaxNodeCount) ?? asNumber(s.maxNodeCount);
      const min = asNumber(s.totalMinNodeCount) ?? asNumber(s.minNodeCount) ?? 0;
      if (max === undefined) {
        return [{ message: `${per.type} pool has no autoscaling upper bound (autoscaling.totalMaxNodeCount or maxNodeCount); allowed: an explicit maximum` }];
      }
      const findings: Finding[] = [];
      if (max < min) findings.push({ message: `autoscaling maximum ${max} is below its minimum ${min}; allowed: min ≤ max` });
      const region = nodePoolRegion(pool) ?? "?";
      const cap = capFor(ctx.settings.caps, per.type, region);
      const worst = (nodePoolMaxNodes(pool) ?? max) * per.count;
      if (cap === undefined) findings.push({ message: `${per.type} in ${region} has no cap in policy config; allowed: an accelerator with a cap (caps.${per.type})` });
      else if (worst > cap) findings.push({ message: `can reach ${worst} × ${per.type} in ${region}; allowed: at most ${cap}` });
      return findings;
    },
  },
});
