import { z } from "zod";
import { labelsOf, T } from "../../lib/resources";
import { asNumber, at } from "../../lib/values";
import type { Finding } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Released model versions point at weights in the models bucket; an overwrite or delete there
 * changes what a "released, immutable" version serves. Either object versioning with soft delete
 * (overwrites keep the old generation, deletes can be undone) or a retention policy (objects
 * cannot be changed at all for its period; locked in prod so nobody can shorten it) protects
 * them. Cloud Storage refuses both on one bucket.
 */
const settings = z.strictObject({
  /** `bucket-role` label values of buckets holding model artifacts. */
  bucketRoles: z.array(z.string()),
  /** Soft delete a versioned artifact bucket must keep, in days. */
  minSoftDeleteDays: z.number().int().min(1),
});

const DAY = 86_400;

export default definePolicy({
  name: "model-artifacts-immutable",
  description: "Model artifact buckets keep overwritten and deleted objects: versioning with soft delete, or a retention policy (locked in prod), never both.",
  group: "reliability",
  severity: "high",
  mirrors: ["CKV_GCP_78"],
  remediation:
    "Keep the models bucket's default (versioning with softDeleteDays ≥ 7 in llmops:storage.buckets.models), or set retentionDays with retentionLocked: true in prod and versioning: false.",
  enforcement: DEFAULT_ENFORCEMENT,
  settings: { schema: settings, defaults: () => ({ bucketRoles: ["models"], minSoftDeleteDays: 7 }) },
  resource: {
    types: [T.bucket],
    check(bucket, ctx) {
      if (!ctx.settings.bucketRoles.includes(labelsOf(bucket)?.["bucket-role"] ?? "")) return [];
      const versioned = at(bucket.inputs, "versioning.enabled") === true;
      const retention = at(bucket.inputs, "retentionPolicy");
      // No softDeletePolicy means Cloud Storage's default of 7 days.
      const softDeleteSeconds = asNumber(at(bucket.inputs, "softDeletePolicy.retentionDurationSeconds")) ?? 7 * DAY;
      if (versioned && retention !== undefined) return [{ message: "has both object versioning and a retention policy, which Cloud Storage refuses; allowed: one of them" }];
      const findings: Finding[] = [];
      if (versioned) {
        const min = ctx.settings.minSoftDeleteDays;
        if (softDeleteSeconds < min * DAY) findings.push({ message: `keeps deleted objects ${softDeleteSeconds / DAY} days (soft delete); allowed: ${min} or more with versioning` });
      } else if (retention === undefined) {
        findings.push({ message: "has neither object versioning nor a retention policy: an overwrite or delete loses released weights; allowed: versioning with soft delete, or a retention policy" });
      } else if (ctx.environment === "prod" && at(retention, "isLocked") !== true) {
        findings.push({ message: "has an unlocked retention policy in prod: anyone with storage.buckets.update can shorten it; allowed: retentionPolicy.isLocked true" });
      }
      return findings;
    },
  },
});
