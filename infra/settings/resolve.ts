import type { Environment, LlmopsConfig } from "./schema";
import { MANAGED_BY } from "../common/labels";
import { BUCKET_ROLES, type BucketConfig, type BucketRole, DATA_BUCKET_ROLES, bucketNameProblem, kmsKeyLocation } from "../platform/config/storage";
import type { ConfigProblem } from "./errors";

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

/** The validated stack configuration with every default applied. Components read only this. */
export interface StackSettings {
  readonly project: string;
  readonly stack: string;
  readonly environment: Environment;
  readonly isProd: boolean;
  readonly regions: readonly string[];
  readonly primaryRegion: string;
  /** Labels for every labelable resource: user labels plus `environment` and `managed-by`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly storage: {
    readonly kmsKeyName?: string;
    /** The repositories' key, in the primary region. */
    readonly registryKmsKeyName?: string;
    readonly buckets: Readonly<Record<BucketRole, ResolvedBucket>>;
  };
  readonly ci?: LlmopsConfig["ci"];
  /** The validated `llmops:` namespace as written, for capabilities that read it directly. */
  readonly raw: LlmopsConfig;
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
 * Applies defaults and checks the rules that need more than one key (derived bucket names
 * need the project id). Returns problems instead of throwing so they join the schema's.
 */
export function resolveSettings(cfg: LlmopsConfig, project: string, stack: string, file: string): { settings: StackSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const primaryRegion = cfg.regions[0];
  const prefix = cfg.storage.namePrefix ?? `${project}-${cfg.environment}`;
  const location = cfg.storage.location ?? primaryRegion;
  const buckets = Object.fromEntries(
    BUCKET_ROLES.map((role) => [role, resolveBucket(role, cfg.storage.buckets?.[role], prefix, location)]),
  ) as Record<BucketRole, ResolvedBucket>;

  const seen = new Map<string, BucketRole>();
  for (const role of BUCKET_ROLES) {
    const bucket = buckets[role];
    const explicit = cfg.storage.buckets?.[role]?.name !== undefined;
    const key = explicit ? `llmops:storage.buckets.${role}.name` : "llmops:storage.namePrefix";
    const problem = explicit ? undefined : bucketNameProblem(bucket.name);
    if (problem) problems.push({ file, key, message: `${problem} (derived from ${cfg.storage.namePrefix ? "namePrefix" : "gcp:project and llmops:environment"}; set llmops:storage.namePrefix)` });
    const other = seen.get(bucket.name);
    if (other) problems.push({ file, key, message: `bucket name "${bucket.name}" is already used by buckets.${other}; allowed: a distinct name per bucket` });
    seen.set(bucket.name, role);
  }

  // Google refuses a key from another location than the resource it encrypts, at create time.
  const keys: [string, string | undefined, string, string][] = [
    ["llmops:storage.kmsKeyName", cfg.storage.kmsKeyName, location.toLowerCase(), `the buckets' location (llmops:storage.location ${location})`],
    ["llmops:storage.registryKmsKeyName", cfg.storage.registryKmsKeyName, primaryRegion, `the registries' location, the primary region (${primaryRegion})`],
  ];
  for (const [key, name, expected, what] of keys) {
    if (name && kmsKeyLocation(name) !== expected) problems.push({ file, key, message: `the key is in ${kmsKeyLocation(name)}, but it must be in ${what}; allowed: a key of projects/P/locations/${expected}/keyRings/R/cryptoKeys/K` });
  }

  const settings: StackSettings = {
    project,
    stack,
    environment: cfg.environment,
    isProd: cfg.environment === "prod",
    regions: cfg.regions,
    primaryRegion,
    labels: { ...cfg.labels, environment: cfg.environment, "managed-by": MANAGED_BY },
    storage: { kmsKeyName: cfg.storage.kmsKeyName, registryKmsKeyName: cfg.storage.registryKmsKeyName, buckets },
    ci: cfg.ci,
    raw: cfg,
  };
  return { settings, problems };
}
