import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { BucketRole, ResolvedBucket } from "./config";

export interface BucketsArgs {
  readonly project: string;
  /** The buckets by role, with defaults applied (`StackSettings.storage.buckets`). */
  readonly buckets: Readonly<Record<BucketRole, ResolvedBucket>>;
  /** Customer-managed key for default encryption of every bucket. @default Google-managed keys */
  readonly kmsKeyName?: string;
  /** Protect data buckets from `pulumi destroy` and keep them when removed from the program. @default false */
  readonly protectData: boolean;
  readonly labels: Readonly<Record<string, string>>;
}

const DAY_SECONDS = 86_400;

/**
 * The platform's Cloud Storage buckets: datasets, pipeline root, model artifacts and batch
 * outputs. Every bucket has uniform bucket-level access and enforced public access prevention;
 * nothing here can be made public.
 */
export class Buckets extends pulumi.ComponentResource {
  public readonly buckets: Readonly<Record<BucketRole, gcp.storage.Bucket>>;
  /** `gs://` URLs by role. */
  public readonly urls: pulumi.Output<Record<BucketRole, string>>;

  constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:platform:Buckets", name, {}, opts);

    // The Cloud Storage service agent encrypts with the key, so it needs the key role before any
    // bucket names the key; otherwise bucket creation fails.
    const keyGrant = args.kmsKeyName
      ? new gcp.kms.CryptoKeyIAMMember(
          `${name}-kms-storage-agent`,
          {
            cryptoKeyId: args.kmsKeyName,
            role: "roles/cloudkms.cryptoKeyEncrypterDecrypter",
            member: gcp.storage.getProjectServiceAccountOutput({ project: args.project }, { parent: this }).apply((a) => `serviceAccount:${a.emailAddress}`),
          },
          childOf(this, opts),
        )
      : undefined;

    const buckets = {} as Record<BucketRole, gcp.storage.Bucket>;
    for (const bucket of Object.values(args.buckets)) {
      const data = args.protectData && bucket.holdsData;
      buckets[bucket.role] = new gcp.storage.Bucket(
        `${name}-${bucket.role}`,
        {
          project: args.project,
          name: bucket.name,
          location: bucket.location,
          storageClass: bucket.storageClass,
          uniformBucketLevelAccess: true,
          publicAccessPrevention: "enforced",
          forceDestroy: false,
          versioning: { enabled: bucket.versioning },
          softDeletePolicy: { retentionDurationSeconds: bucket.softDeleteDays * DAY_SECONDS },
          retentionPolicy:
            bucket.retentionDays === undefined
              ? undefined
              : { retentionPeriod: String(bucket.retentionDays * DAY_SECONDS), isLocked: bucket.retentionLocked },
          lifecycleRules: bucket.lifecycle.map((rule) => ({
            action: { type: rule.action, storageClass: rule.storageClass },
            condition: { age: rule.ageDays, numNewerVersions: rule.numNewerVersions, withState: rule.withState },
          })),
          encryption: args.kmsKeyName ? { defaultKmsKeyName: args.kmsKeyName } : undefined,
          labels: { ...args.labels, "bucket-role": bucket.role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) },
        },
        { ...childOf(this, opts, ...(keyGrant ? [keyGrant] : [])), protect: data, retainOnDelete: data },
      );
    }
    this.buckets = buckets;
    this.urls = pulumi.output(
      Object.fromEntries(Object.entries(buckets).map(([role, b]) => [role, b.url])) as Record<BucketRole, pulumi.Output<string>>,
    );
    this.registerOutputs({ urls: this.urls });
  }
}
