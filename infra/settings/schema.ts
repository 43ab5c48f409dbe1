import { z } from "zod";
import { labelsSchema } from "../common/labels";
import { GCP_REGIONS, REGIONS_CHECKED, type Region, isRegion } from "../common/regions";
import { didYouMean } from "../../lib/suggest";
import { ENVIRONMENTS } from "../common/config";
import { gkeCrossKeyCheck, gkeSchema } from "../gke/config";
import { checkGkeServing, checkModels, modelsSchema } from "../models/config";
import { checkMonitoring, monitoringSchema } from "../monitoring/config";
import { checkPipelines, pipelinesSchema } from "../pipelines/config";
import { ciSchema, storageSchema } from "../platform/config";

/** Google Cloud project ids: 6-30 characters, lowercase letters, digits and hyphens, starting with a letter. */
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

// Plain strings checked in one pass, so an unknown region and a duplicate are both reported.
const regionsSchema = z
  .array(z.string())
  .min(1, "no region given; allowed: a list of at least one Google Cloud region, the first being primary")
  .superRefine((regions, ctx) => {
    regions.forEach((region, i) => {
      const first = regions.indexOf(region);
      if (!isRegion(region)) {
        ctx.addIssue({ code: "custom", path: [i], message: `"${region}" is not a Google Cloud region${didYouMean(region, GCP_REGIONS)}; allowed: a region from the list checked ${REGIONS_CHECKED} (infra/common/regions.ts)` });
      } else if (first !== i) {
        ctx.addIssue({ code: "custom", path: [i], message: `region "${region}" is listed twice (first at [${first}]); allowed: each region once` });
      }
    });
  });

/**
 * The `llmops:` namespace, one key per capability. Each key is documented in README.md
 * ("Configuration reference"); later capabilities add their own keys here.
 */
export const llmopsShape = {
  /** Which environment the stack is: sets labels, protection and policy enforcement. */
  environment: z.enum(ENVIRONMENTS),
  /** Serving regions; the first is primary (pipelines, registries). */
  regions: regionsSchema.transform((regions) => regions as Region[]),
  /** Labels applied to every labelable resource, besides `environment` and `managed-by`. @default {} */
  labels: labelsSchema.default({}),
  /** Cloud Storage buckets for datasets, pipeline root, model artifacts and batch outputs. */
  storage: storageSchema,
  /** Keyless deploys from CI. @default none */
  ci: ciSchema.optional(),
  /** Models: versions, serving and rollout state (infra/models/README.md). @default {} */
  models: modelsSchema,
  /** Scheduled pipeline runs (infra/pipelines/README.md). @default no schedules */
  pipelines: pipelinesSchema,
  /** GKE clusters and accelerator pools per serving region (infra/gke/README.md). @default none */
  gke: gkeSchema.optional(),
  /** Alert channels and default thresholds (infra/monitoring/README.md). @default no channels, default thresholds */
  monitoring: monitoringSchema,
};

const llmopsObject = z.strictObject(llmopsShape);
export type LlmopsConfig = z.output<typeof llmopsObject>;

/**
 * The rules across keys, each given the slice of the namespace it reads (a model's regions must
 * be stack regions, a pool's accelerator must be offered in its region, …). Paths start at the
 * key name. They run only when every key parsed.
 */
export const llmopsSchema = llmopsObject.superRefine((cfg, ctx) => {
  checkModels(cfg, ctx);
  gkeCrossKeyCheck(cfg, ctx);
  checkGkeServing(cfg, ctx);
  checkMonitoring(cfg, ctx);
  checkPipelines(cfg, ctx);
});

export const gcpSchema = z.looseObject({
  project: z.string({ error: "gcp:project is required: the Google Cloud project to deploy into" }).regex(PROJECT_ID, "expected a Google Cloud project id: 6-30 lowercase letters, digits or hyphens, starting with a letter"),
});

/** Stack configuration as read from Pulumi: one object per config namespace. */
export const stackConfigSchema = z.object({
  llmops: llmopsSchema,
  gcp: gcpSchema,
});

export type LlmopsInput = z.input<typeof llmopsSchema>;
export type StackConfigInput = z.output<typeof stackConfigSchema>;
export const LLMOPS_KEYS = Object.keys(llmopsShape);
