import { z } from "zod";
import { trafficOf } from "../../lib/models";
import { T } from "../../lib/resources";
import { asArray, asNumber, asRecord, asString } from "../../lib/values";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * One replica means every node repair, driver update or crash is an outage, and a scale-up from
 * one takes minutes (an accelerator VM plus gigabytes of weights). Models taking traffic in prod
 * keep a floor of two; a rolled-back candidate at 0% may idle lower.
 */
const settings = z.strictObject({
  /** Minimum replicas of every prod deployed model that receives traffic. */
  minReplicas: z.number().int().min(1),
});

export default definePolicy({
  name: "prod-min-replicas",
  description: "In prod, every deployed model that receives traffic keeps at least two replicas.",
  group: "reliability",
  severity: "high",
  mirrors: [],
  remediation: "Set llmops:models.<model>.serving.minReplicas to 2 or more (and maxReplicas at least as high).",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: () => ({ minReplicas: 2 }) },
  resource: {
    types: [T.endpointDeployment],
    check(deployment, ctx) {
      if (ctx.environment !== "prod") return [];
      const split = trafficOf(deployment);
      const min = ctx.settings.minReplicas;
      return asArray(deployment.inputs.deployments)
        .map(asRecord)
        .filter((d) => (split[asString(d.deployedModelId) ?? ""] ?? 0) > 0)
        .filter((d) => (asNumber(d.minReplicas) ?? 1) < min)
        .map((d) => ({ message: `deployed model ${asString(d.displayName) ?? asString(d.deployedModelId)} takes ${split[asString(d.deployedModelId) ?? ""]}% of traffic with minReplicas ${asNumber(d.minReplicas) ?? 1}; allowed: ${min} or more` }));
    },
  },
});
