import { z } from "zod";
import { GCP_REGIONS, STORAGE_MULTI_REGIONS } from "../../common/regions";

/** The four buckets of the platform, by role. */
export const BUCKET_ROLES = ["datasets", "pipelineRoot", "models", "batchOutputs"] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

/** Buckets whose loss is data loss; in prod they are `protect`ed and `retainOnDelete`. */
export const DATA_BUCKET_ROLES: readonly BucketRole[] = ["datasets", "models", "batchOutputs"];

/**
 * Cloud Storage bucket-name rules (https://cloud.google.com/storage/docs/buckets#naming):
 * 3-63 characters without dots, lowercase letters, digits, `-` and `_`, starting and ending
 * with a letter or digit; never starting with `goog` nor containing `google`.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;

export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_NAME.test(name)) {
    return `bucket name "${name}" is invalid; allowed: 3-63 lowercase letters, digits, '-' or '_', starting and ending with a letter or digit`;
  }
  if (name.startsWith("goog") || name.includes("google")) {
    return `bucket name "${name}" is invalid; allowed: names that neither start with "goog" nor contain "google"`;
  }
  return undefined;
}

const storageClass = z.enum(["STANDARD", "NEARLINE", "COLDLINE", "ARCHIVE"]);

const lifecycleRule = z
  .strictObject({
    /** `Delete` removes matching objects; `SetStorageClass` moves them to `storageClass`. */
    action: z.enum(["Delete", "SetStorageClass"]),
    storageClass: storageClass.optional(),
    /** Age in days since the object was created. */
    ageDays: z.number().int().min(0).max(36500).optional(),
    /** Keep this many newer versions (versioned buckets). */
    numNewerVersions: z.number().int().min(1).optional(),
    /** Which object versions the rule applies to. */
    withState: z.enum(["LIVE", "ARCHIVED", "ANY"]).optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.action === "SetStorageClass" && !rule.storageClass) {
      ctx.addIssue({ code: "custom", path: ["storageClass"], message: "SetStorageClass needs a storageClass; allowed: STANDARD, NEARLINE, COLDLINE, ARCHIVE" });
    }
    if (rule.action === "Delete" && rule.storageClass) {
      ctx.addIssue({ code: "custom", path: ["storageClass"], message: "a Delete rule takes no storageClass; allowed: omit it" });
    }
    if (rule.ageDays === undefined && rule.numNewerVersions === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: "a lifecycle rule needs a condition; allowed: ageDays and/or numNewerVersions" });
    }
  });

export const bucketSchema = z
  .strictObject({
    /** Full bucket name. @default `<namePrefix>-<role>` */
    name: z.string().optional(),
    /** Storage class of new objects. @default STANDARD */
    storageClass: storageClass.optional(),
    /** Keep noncurrent object versions. @default true for `models`, false otherwise */
    versioning: z.boolean().optional(),
    /** Soft-delete retention in days (0 turns soft delete off; 7 to 90 otherwise). @default 7, 30 for `models` */
    softDeleteDays: z.number().int().min(0).max(90).optional(),
    /** Minimum object age before deletion or overwrite. Excludes `versioning`. */
    retentionDays: z.number().int().min(1).max(36500).optional(),
    /** Lock the retention policy: it can then never be shortened or removed. @default false */
    retentionLocked: z.boolean().optional(),
    /** Object lifecycle rules. @default Delete after 30 days for `pipelineRoot`, none otherwise */
    lifecycle: z.array(lifecycleRule).optional(),
  })
  .superRefine((bucket, ctx) => {
    if (bucket.versioning && bucket.retentionDays !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["retentionDays"],
        message: "Cloud Storage refuses a retention policy on a bucket with object versioning; allowed: either versioning (with soft delete) or retentionDays, not both",
      });
    }
    if (bucket.retentionLocked && bucket.retentionDays === undefined) {
      ctx.addIssue({ code: "custom", path: ["retentionLocked"], message: "retentionLocked needs retentionDays; allowed: set retentionDays, or drop retentionLocked" });
    }
    if (bucket.softDeleteDays !== undefined && bucket.softDeleteDays > 0 && bucket.softDeleteDays < 7) {
      ctx.addIssue({ code: "custom", path: ["softDeleteDays"], message: `soft delete of ${bucket.softDeleteDays} days is not offered; allowed: 0 (off) or 7 to 90` });
    }
    if (bucket.name !== undefined) {
      const problem = bucketNameProblem(bucket.name);
      if (problem) ctx.addIssue({ code: "custom", path: ["name"], message: problem });
    }
  });

const KMS_KEY = /^projects\/[a-z][a-z0-9-]{4,28}[a-z0-9]\/locations\/[a-z0-9-]+\/keyRings\/[A-Za-z0-9_-]{1,63}\/cryptoKeys\/[A-Za-z0-9_-]{1,63}$/;

export const storageSchema = z
  .strictObject({
    /** Bucket location: a region or a multi-region. @default the primary region */
    location: z.enum([...GCP_REGIONS, ...STORAGE_MULTI_REGIONS]).optional(),
    /** Prefix of generated bucket names. @default `<gcp:project>-<environment>` */
    namePrefix: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, "a name prefix holds at most 60 lowercase letters, digits, '-' or '_'").optional(),
    /**
     * Customer-managed encryption key for every bucket (required for ML data in prod by policy).
     * Must be in the buckets' location (a multi-region `US` bucket takes a key in `us`).
     */
    kmsKeyName: z.string().regex(KMS_KEY, "expected a Cloud KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K").optional(),
    /**
     * Customer-managed encryption key for the Artifact Registry repositories, which live in the
     * primary region and accept only a key of that region. @default Google-managed keys
     */
    registryKmsKeyName: z.string().regex(KMS_KEY, "expected a Cloud KMS key: projects/P/locations/L/keyRings/R/cryptoKeys/K").optional(),
    /** Per-role bucket settings. */
    buckets: z
      .strictObject({
        datasets: bucketSchema.optional(),
        pipelineRoot: bucketSchema.optional(),
        models: bucketSchema.optional(),
        batchOutputs: bucketSchema.optional(),
      })
      .optional(),
  })
  .default({});

export type StorageConfig = z.infer<typeof storageSchema>;

/** The location of a Cloud KMS key name (`projects/P/locations/L/...` → `L`). */
export function kmsKeyLocation(key: string): string {
  return key.split("/")[3];
}
export type BucketConfig = z.infer<typeof bucketSchema>;
