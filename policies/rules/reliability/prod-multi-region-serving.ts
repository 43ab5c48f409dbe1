import { z } from "zod";
import { servedModels } from "../../lib/models";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * A regional outage (or a regional Vertex AI incident, or a stockout of the accelerator) takes
 * down every endpoint in that region. A prod model needs a second region to fail over to.
 */
const settings = z.strictObject({
  /** Distinct regions every prod model is served from. */
  minRegions: z.number().int().min(1),
});

export default definePolicy({
  name: "prod-multi-region-serving",
  description: "In prod, every served model has endpoints in at least two regions.",
  group: "reliability",
  severity: "high",
  mirrors: [],
  remediation: "List a second region in llmops:models.<model>.serving.regions (it must be one of llmops:regions, with Vertex AI prediction and Model Armor offered there) and route clients to both.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: () => ({ minRegions: 2 }) },
  stack: {
    check(resources, ctx) {
      if (ctx.environment !== "prod") return [];
      const min = ctx.settings.minRegions;
      return servedModels(resources)
        .filter((m) => m.regions.length < min)
        .map((m) => ({
          urn: m.endpoints[0].urn,
          message: `model ${m.model} is served from ${m.regions.length} region${m.regions.length === 1 ? "" : "s"} (${m.regions.join(", ") || "none"}); allowed: at least ${min}`,
        }));
    },
  },
});
