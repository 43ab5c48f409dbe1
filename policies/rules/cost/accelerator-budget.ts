import { z } from "zod";
import { acceleratorUses, capFor } from "../../lib/accelerators";
import { capsSchema, defaultCaps } from "../../lib/caps";
import type { Finding } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * The stack's worst case: every node pool and every deployed model at its maximum, summed per
 * accelerator type and region across GKE and Vertex AI. That is what quota, reservations and
 * the budget must cover if everything scales out at once (a rollout in flight counts twice).
 */
const settings = z.strictObject({ caps: capsSchema });

export default definePolicy({
  name: "accelerator-budget",
  description: "The stack's accelerators at their maximum, per type and region across GKE pools and Vertex AI deployments, stay within the budget.",
  group: "cost",
  severity: "high",
  mirrors: [],
  remediation:
    "Lower maxReplicas or pool maxima, finish or roll back rollouts in flight (each deployed version holds its own replicas), or raise the cap for that type and region in policy config (caps) through review.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: (env) => ({ caps: defaultCaps(env) }) },
  stack: {
    check(resources, ctx) {
      const totals = new Map<string, { type: string; region: string; sum: number; parts: string[]; unbounded: boolean }>();
      for (const use of acceleratorUses(resources)) {
        const key = `${use.type} ${use.region}`;
        const t = totals.get(key) ?? { type: use.type, region: use.region, sum: 0, parts: [], unbounded: false };
        t.sum += use.worstCase ?? 0;
        t.unbounded ||= use.worstCase === undefined;
        t.parts.push(use.label);
        totals.set(key, t);
      }
      const findings: Finding[] = [];
      for (const t of [...totals.values()].sort((a, b) => `${a.type} ${a.region}`.localeCompare(`${b.type} ${b.region}`))) {
        const cap = capFor(ctx.settings.caps, t.type, t.region);
        const from = `from ${t.parts.join(", ")}`;
        if (cap === undefined) findings.push({ message: `${t.type} in ${t.region} has no budget (${t.sum} at most ${from}); allowed: a cap in policy config (caps.${t.type})` });
        else if (t.unbounded) findings.push({ message: `${t.type} in ${t.region} has no upper bound (${from}); allowed: at most ${cap}` });
        else if (t.sum > cap) findings.push({ message: `${t.type} in ${t.region} can reach ${t.sum} (${from}); allowed: at most ${cap}` });
      }
      return findings;
    },
  },
});
