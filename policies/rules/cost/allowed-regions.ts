import { z } from "zod";
import { locationsOf } from "../../lib/location";
import { T } from "../../lib/resources";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Regions are a cost and a compliance decision: accelerator prices differ by region, quotas and
 * committed-use discounts are regional, and data residency promises name regions. Anything
 * placed elsewhere needs that decision made first, in policy config.
 */
const settings = z.strictObject({
  /** Regions resources may be placed in (zones count as their region). */
  regions: z.array(z.string()),
  /** Multi-regions for Cloud Storage and similar (`US`, `EU`). */
  multiRegions: z.array(z.string()),
});

export default definePolicy({
  name: "allowed-regions",
  description: "Every resource with a location is placed in an allowed region or multi-region.",
  group: "cost",
  severity: "medium",
  mirrors: [],
  remediation: "Use an allowed region in llmops:regions, llmops:storage.location and serving.regions, or add the region to this policy's config (regions, multiRegions) through review.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: {
    schema: settings,
    defaults: () => ({ regions: ["us-central1", "us-east1", "us-east4", "us-west1", "europe-west1", "europe-west4"], multiRegions: ["US", "EU"] }),
  },
  resource: {
    types: [/^gcp:/, T.modelVersion, T.endpointDeployment],
    check(resource, ctx) {
      const allowed = new Set([...ctx.settings.regions, ...ctx.settings.multiRegions.map((m) => m.toUpperCase())]);
      return locationsOf(resource)
        .filter((place) => !allowed.has(place))
        .map((place) => ({ message: `is placed in ${place}; allowed: ${[...allowed].join(", ")}` }));
    },
  },
});
