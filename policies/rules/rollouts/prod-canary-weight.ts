import { z } from "zod";
import { modelUrn, rolloutRecords } from "../../lib/models";
import type { Finding } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * The canary is the first stage at which prod users meet a new version; its weight is the share
 * of customers a bad version can hurt before anyone has looked at prod metrics. The configured
 * first stage is checked whether or not a rollout is in flight, so an oversized canary is caught
 * when it is written, not when it ships.
 */
const settings = z.strictObject({
  /** Largest percent of prod traffic the first stage may send to a candidate. */
  maxPercent: z.number().int().min(1).max(100),
});

export default definePolicy({
  name: "prod-canary-weight",
  description: "In prod, the first rollout stage (the canary) sends at most the configured share of traffic (25%) to a candidate.",
  group: "rollouts",
  severity: "high",
  mirrors: [],
  remediation: "Lower the first stage's weight in llmops:models.<m>.rollout.stages (the default canary is 10%), or add a smaller stage before it.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: () => ({ maxPercent: 25 }) },
  stack: {
    check(resources, ctx) {
      if (ctx.environment !== "prod") return [];
      const max = ctx.settings.maxPercent;
      const findings: Finding[] = [];
      for (const r of rolloutRecords(resources, ctx.outputs)) {
        const first = r.stages?.[0];
        // Records without stages (older outputs) still show the weight while at a stage named canary.
        const canary = first ?? (r.candidate && r.stage === "canary" ? { name: "canary", weight: r.split[r.candidate] ?? 0 } : undefined);
        if (canary && canary.weight > max) {
          findings.push({ urn: modelUrn(resources, r.model), message: `model ${r.model}: the first stage ${canary.name} sends ${canary.weight}% to the candidate; allowed: at most ${max}%` });
        }
      }
      return findings;
    },
  },
});
