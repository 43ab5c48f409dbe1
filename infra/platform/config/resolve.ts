import { z } from "zod";
import type { CoreSettings, Resolved, ResolveProblem } from "../../common/config";
import { BUCKET_ROLES, type BucketConfig, type BucketRole, DATA_BUCKET_ROLES, type StorageConfig, bucketNameProblem, kmsKeyLocation } from "./storage";

/**
 * The platform's configuration (`llmops:storage`, `llmops:ci`) resolved into what its components
 * create: buckets with every default, the registries' and accounts' names (known before they
 * exist, so other capabilities can name them), the keys.
 */

const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

export const ciSchema = z.strictObject({
  /** GitHub Actions deploys keylessly through Workload Identity Federation, restricted to this repository. */
  github: z.strictObject({
    /** `owner/name` of the only repository whose workflows may impersonate the CI deployer. */
    repository: z.string().regex(GITHUB_REPOSITORY, "expected a GitHub repository as owner/name"),
    /** Only workflows running on these branches may deploy. @default any branch of the repository */
    branches: z.array(z.string().regex(/^[A-Za-z0-9._/-]+$/, "expected a branch name such as main")).min(1).optional(),
  }),
});
export type CiConfig = z.output<typeof ciSchema>;

/** The identities workloads run as. None has a key; CI reaches its own through federation. */
export const ACCOUNTS = ["pipelines", "serving", "deployer"] as const;
export type Account = (typeof ACCOUNTS)[number];

/** The email an account will have: known before it exists, so it can feed ids and previews. */
export function accountEmail(project: string, environment: string, account: Account): string {
  return `llmops-${account}-${environment}@${project}.iam.gserviceaccount.com`;
}

export interface LifecycleRule {
  readonly action: "Delete" | "SetStorageClass";
  readonly storageClass?: string;
  readonly ageDays?: number;
  readonly numNewerVersions?: number;
  readonly withState?: "LIVE" | "ARCHIVED" | "ANY";
}

/** A bucket with every default applied: what the storage component creates. */
export interface ResolvedBucket {
  readonly role: BucketRole;
  readonly name: string;
  readonly location: string;
  readonly storageClass: string;
  readonly versioning: boolean;
  readonly softDeleteDays: number;
  readonly retentionDays?: number;
  readonly retentionLocked: boolean;
  readonly lifecycle: readonly LifecycleRule[];
  /** Losing it loses data: protected and retained on delete in prod. */
  readonly holdsData: boolean;
}

/** Artifact Registry repositories: ids and the prefixes every image and template reference starts with. */
export interface RegistryNames {
  readonly imagesRepositoryId: string;
  /** `REGION-docker.pkg.dev/PROJECT/REPO`, the prefix of every image reference. */
  readonly imagesUri: string;
  readonly pipelinesRepositoryId: string;
  /** `https://REGION-kfp.pkg.dev/PROJECT/REPO`, the prefix of every pipeline `templateUri`. */
  readonly pipelinesUri: string;
}

/** The full image reference: a name without a registry host is in the stack's images repository. */
export function imageReference(imagesUri: string, image: string): string {
  const first = image.split("/")[0];
  const hasHost = image.includes("/") && (first.includes(".") || first.includes(":"));
  return hasHost ? image : `${imagesUri}/${image}`;
}

export interface PlatformSettings {
  readonly buckets: Readonly<Record<BucketRole, ResolvedBucket>>;
  /** The buckets' key, in their location. */
  readonly kmsKeyName?: string;
  /** The repositories' key, in the primary region. */
  readonly registryKmsKeyName?: string;
  /** In the primary region. */
  readonly registries: RegistryNames;
  /** Each account's email. */
  readonly accounts: Readonly<Record<Account, string>>;
  readonly ci?: CiConfig;
}

const ROLE_SUFFIX: Record<BucketRole, string> = {
  datasets: "datasets",
  pipelineRoot: "pipeline-root",
  models: "models",
  batchOutputs: "batch-outputs",
};

/** Defaults per role: model artifacts keep versions; pipeline scratch space expires. */
function bucketDefaults(role: BucketRole): Pick<ResolvedBucket, "versioning" | "softDeleteDays" | "lifecycle"> {
  switch (role) {
    case "models":
      return { versioning: true, softDeleteDays: 30, lifecycle: [{ action: "Delete", numNewerVersions: 5, withState: "ARCHIVED" }] };
    case "pipelineRoot":
      return { versioning: false, softDeleteDays: 7, lifecycle: [{ action: "Delete", ageDays: 30 }] };
    case "batchOutputs":
      return { versioning: false, softDeleteDays: 7, lifecycle: [{ action: "Delete", ageDays: 90 }] };
    case "datasets":
      return { versioning: false, softDeleteDays: 7, lifecycle: [] };
  }
}

function resolveBucket(role: BucketRole, cfg: BucketConfig | undefined, prefix: string, location: string): ResolvedBucket {
  const defaults = bucketDefaults(role);
  // A retention policy excludes versioning, so an explicit retention turns the default versioning off.
  const versioning = cfg?.versioning ?? (cfg?.retentionDays !== undefined ? false : defaults.versioning);
  return {
    role,
    name: cfg?.name ?? `${prefix}-${ROLE_SUFFIX[role]}`,
    location,
    storageClass: cfg?.storageClass ?? "STANDARD",
    versioning,
    softDeleteDays: cfg?.softDeleteDays ?? defaults.softDeleteDays,
    retentionDays: cfg?.retentionDays,
    retentionLocked: cfg?.retentionLocked ?? false,
    lifecycle: cfg?.lifecycle ?? defaults.lifecycle,
    holdsData: DATA_BUCKET_ROLES.includes(role),
  };
}

/**
 * Applies the platform's defaults and checks what needs more than one key: derived bucket names
 * (they need the project id) and key locations. Returns problems instead of throwing so they join
 * the schema's.
 */
export function resolvePlatform(core: CoreSettings, cfg: { readonly storage: StorageConfig; readonly ci?: CiConfig }): Resolved<PlatformSettings> {
  const problems: ResolveProblem[] = [];
  const prefix = cfg.storage.namePrefix ?? `${core.project}-${core.environment}`;
  const location = cfg.storage.location ?? core.primaryRegion;
  const buckets = Object.fromEntries(BUCKET_ROLES.map((role) => [role, resolveBucket(role, cfg.storage.buckets?.[role], prefix, location)])) as Record<BucketRole, ResolvedBucket>;

  const seen = new Map<string, BucketRole>();
  for (const role of BUCKET_ROLES) {
    const bucket = buckets[role];
    const explicit = cfg.storage.buckets?.[role]?.name !== undefined;
    const key = explicit ? `llmops:storage.buckets.${role}.name` : "llmops:storage.namePrefix";
    const problem = explicit ? undefined : bucketNameProblem(bucket.name);
    if (problem) problems.push({ key, message: `${problem} (derived from ${cfg.storage.namePrefix ? "namePrefix" : "gcp:project and llmops:environment"}; set llmops:storage.namePrefix)` });
    const other = seen.get(bucket.name);
    if (other) problems.push({ key, message: `bucket name "${bucket.name}" is already used by buckets.${other}; allowed: a distinct name per bucket` });
    seen.set(bucket.name, role);
  }

  // Google refuses a key from another location than the resource it encrypts, at create time.
  const keys: [string, string | undefined, string, string][] = [
    ["llmops:storage.kmsKeyName", cfg.storage.kmsKeyName, location.toLowerCase(), `the buckets' location (llmops:storage.location ${location})`],
    ["llmops:storage.registryKmsKeyName", cfg.storage.registryKmsKeyName, core.primaryRegion, `the registries' location, the primary region (${core.primaryRegion})`],
  ];
  for (const [key, name, expected, what] of keys) {
    if (name && kmsKeyLocation(name) !== expected) problems.push({ key, message: `the key is in ${kmsKeyLocation(name)}, but it must be in ${what}; allowed: a key of projects/P/locations/${expected}/keyRings/R/cryptoKeys/K` });
  }

  const imagesRepositoryId = `llmops-images-${core.environment}`;
  const pipelinesRepositoryId = `llmops-pipelines-${core.environment}`;
  const settings: PlatformSettings = {
    buckets,
    kmsKeyName: cfg.storage.kmsKeyName,
    registryKmsKeyName: cfg.storage.registryKmsKeyName,
    registries: {
      imagesRepositoryId,
      imagesUri: `${core.primaryRegion}-docker.pkg.dev/${core.project}/${imagesRepositoryId}`,
      pipelinesRepositoryId,
      pipelinesUri: `https://${core.primaryRegion}-kfp.pkg.dev/${core.project}/${pipelinesRepositoryId}`,
    },
    accounts: Object.fromEntries(ACCOUNTS.map((a) => [a, accountEmail(core.project, core.environment, a)])) as Record<Account, string>,
    ci: cfg.ci,
  };
  return { settings, problems };
}
