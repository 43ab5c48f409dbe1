/**
 * Which input changes make Pulumi replace a resource (delete and re-create it) rather than update
 * it in place, for the resource types this project creates. `pulumi preview` learns this from the
 * provider; offline we must know it, so each entry cites where the behaviour is documented.
 * Checked 2026-11-26 against @pulumi/gcp 9.37 (terraform-provider-google 6.x / 7.x) and the
 * dynamic providers in infra/models/providers/.
 *
 * `update` entries are kept where users expect a replacement and there is none (or the reverse
 * used to be true), so that the table documents both directions. `ignore` entries are inputs
 * whose change alone makes no step at all.
 */

export type Effect = "replace" | "update" | "ignore";

export interface PropertyRule {
  /** Pulumi type token. */
  readonly type: string;
  /** Input path; `[*]` stands for every element of a list: `nodeConfig.guestAccelerators[*].type`. */
  readonly path: string;
  readonly effect: Effect;
  /** Why, when the path alone does not say it. */
  readonly note?: string;
  /** Provider documentation, registry page, upstream issue or source file. */
  readonly source: string;
}

export const REPLACEMENTS_CHECKED = "2026-11-26";

const TF = "https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources";
const PULUMI = "https://www.pulumi.com/registry/packages/gcp/api-docs";

const BUCKET = "gcp:storage/bucket:Bucket";
const REPOSITORY = "gcp:artifactregistry/repository:Repository";
const ACCOUNT = "gcp:serviceaccount/account:Account";
const ENDPOINT = "gcp:vertex/aiEndpoint:AiEndpoint";
const CLUSTER = "gcp:container/cluster:Cluster";
const NODE_POOL = "gcp:container/nodePool:NodePool";
const TEMPLATE = "gcp:modelarmor/template:Template";
const POOL = "gcp:iam/workloadIdentityPool:WorkloadIdentityPool";
const SECURITY_POLICY = "gcp:compute/securityPolicy:SecurityPolicy";
const CERTIFICATE = "gcp:certificatemanager/certificate:Certificate";
const CERTIFICATE_MAP = "gcp:certificatemanager/certificateMap:CertificateMap";
const CERTIFICATE_MAP_ENTRY = "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry";
const POOL_PROVIDER = "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider";
export const MODEL_VERSION = "pulumi-nodejs:dynamic/vertex:ModelVersion";
export const ENDPOINT_DEPLOYMENT = "pulumi-nodejs:dynamic/vertex:EndpointDeployment";
export const KFP_TEMPLATE = "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate";

const rules = (type: string, effect: Effect, paths: readonly string[], source: string, note?: string): PropertyRule[] =>
  paths.map((path) => ({ type, path, effect, source, note }));

// The IAM member resources are immutable bindings: every argument is ForceNew upstream.
const IAM_MEMBERS: readonly [string, readonly string[], string][] = [
  ["gcp:projects/iAMMember:IAMMember", ["project"], `${TF}/google_project_iam`],
  ["gcp:storage/bucketIAMMember:BucketIAMMember", ["bucket"], `${TF}/storage_bucket_iam`],
  ["gcp:artifactregistry/repositoryIamMember:RepositoryIamMember", ["project", "location", "repository"], `${TF}/artifact_registry_repository_iam`],
  ["gcp:serviceaccount/iAMMember:IAMMember", ["serviceAccountId"], `${TF}/google_service_account_iam`],
  ["gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", ["cryptoKeyId"], `${TF}/google_kms_crypto_key_iam`],
];

export const PROPERTY_RULES: readonly PropertyRule[] = [
  ...rules(BUCKET, "replace", ["name", "location", "project"], "https://cloud.google.com/storage/docs/moving-buckets", "a bucket's name and location cannot change; moving means a new bucket"),
  ...rules(BUCKET, "replace", ["customPlacementConfig"], `${TF}/storage_bucket#custom_placement_config-1`),
  ...rules(BUCKET, "update", ["storageClass"], "https://cloud.google.com/storage/docs/changing-default-storage-class", "changes the default class of new objects; existing objects keep theirs"),

  ...rules(REPOSITORY, "replace", ["repositoryId", "format", "location", "project", "mode", "kmsKeyName"], `${TF}/artifact_registry_repository`),

  ...rules(ACCOUNT, "replace", ["accountId", "project"], `${PULUMI}/serviceaccount/account/`, "\"Changing this forces a new service account to be created\"; bindings to the old unique id stop working"),

  ...rules(ENDPOINT, "replace", ["name", "location", "region", "project", "network", "privateServiceConnectConfig", "encryptionSpec", "dedicatedEndpointEnabled"], `${TF}/vertex_ai_endpoint`),

  ...rules(CLUSTER, "replace", ["name", "location", "project", "network", "subnetwork", "ipAllocationPolicy", "networkingMode", "enableAutopilot", "datapathProvider", "privateClusterConfig.masterIpv4CidrBlock"], `${TF}/container_cluster`),

  // Node pools: what surprises people upstream, both ways.
  ...rules(NODE_POOL, "replace", ["name", "namePrefix", "location", "cluster", "project"], `${TF}/container_node_pool`),
  ...rules(NODE_POOL, "replace", ["initialNodeCount"], `${PULUMI}/container/nodepool/`, "\"Changing this will force recreation of the resource\"; use nodeCount or autoscaling"),
  ...rules(
    NODE_POOL,
    "replace",
    ["nodeConfig.guestAccelerators[*].type", "nodeConfig.guestAccelerators[*].count", "nodeConfig.guestAccelerators[*].gpuPartitionSize"],
    "https://github.com/GoogleCloudPlatform/magic-modules/pull/18493",
    "the GKE API refuses to change accelerators in place (\"Accelerator count: 1 should not be updated\")",
  ),
  ...rules(
    NODE_POOL,
    "replace",
    ["nodeConfig.guestAccelerators[*].gpuDriverInstallationConfig.gpuDriverVersion", "nodeConfig.guestAccelerators[*].gpuSharingConfig"],
    "https://github.com/hashicorp/terraform-provider-google/issues/23248",
    "guest_accelerator is ForceNew as a whole upstream, although GKE could update the driver in place",
  ),
  ...rules(
    NODE_POOL,
    "replace",
    ["nodeConfig.spot", "nodeConfig.preemptible", "nodeConfig.serviceAccount", "nodeConfig.oauthScopes", "nodeConfig.localSsdCount", "nodeConfig.reservationAffinity", "placementPolicy", "queuedProvisioning"],
    `${TF}/container_node_pool`,
  ),
  ...rules(
    NODE_POOL,
    "update",
    ["nodeConfig.machineType", "nodeConfig.diskSizeGb", "nodeConfig.diskType"],
    "https://github.com/GoogleCloudPlatform/magic-modules/pull/9575",
    "in place since terraform-provider-google 5.10: GKE migrates the nodes (a rolling or blue-green node upgrade, not a new pool)",
  ),
  ...rules(NODE_POOL, "update", ["nodeCount", "autoscaling", "nodeLocations", "management", "upgradeSettings"], `${TF}/container_node_pool`),

  ...rules(TEMPLATE, "replace", ["templateId", "location", "project"], `${TF}/model_armor_template`),

  ...rules(POOL, "replace", ["workloadIdentityPoolId", "project"], `${PULUMI}/iam/workloadidentitypool/`),

  // The GKE front door (infra/models/gke/front-door.ts).
  ...rules(SECURITY_POLICY, "replace", ["name", "project"], `${TF}/compute_security_policy`),
  ...rules(SECURITY_POLICY, "update", ["rules", "description"], `${TF}/compute_security_policy`, "rules are patched in place (addRule/patchRule); backends keep the policy"),
  ...rules(CERTIFICATE, "replace", ["name", "project", "location", "scope", "managed"], `${TF}/certificate_manager_certificate`, "a managed certificate's domains cannot change: a new certificate is issued"),
  ...rules(CERTIFICATE_MAP, "replace", ["name", "project"], `${TF}/certificate_manager_certificate_map`),
  ...rules(CERTIFICATE_MAP_ENTRY, "replace", ["name", "project", "map", "hostname", "matcher"], `${TF}/certificate_manager_certificate_map_entry`),
  ...rules(CERTIFICATE_MAP_ENTRY, "update", ["certificates"], `${TF}/certificate_manager_certificate_map_entry`),
  ...rules(POOL_PROVIDER, "replace", ["workloadIdentityPoolId", "workloadIdentityPoolProviderId", "project"], `${PULUMI}/iam/workloadidentitypoolprovider/`),

  ...IAM_MEMBERS.flatMap(([type, scope, source]) => rules(type, "replace", [...scope, "role", "member", "condition"], source, "IAM members are immutable bindings")),
  ...rules("gcp:projects/service:Service", "replace", ["service", "project"], `${TF}/google_project_service`),

  // Our dynamic providers: their `diff` returns these in `replaces` (see the cited files).
  ...rules(MODEL_VERSION, "replace", ["project", "region", "modelId", "version", "artifactUri", "container", "metadata"], "infra/models/providers/model-version.ts", "a registry version's content is immutable: a new upload"),
  ...rules(
    ENDPOINT_DEPLOYMENT,
    "replace",
    ["endpoint"],
    "infra/models/providers/endpoint-diff.ts",
    "a different target endpoint; project and region alone do not replace while the endpoint's full name stays the same",
  ),
  ...[MODEL_VERSION, ENDPOINT_DEPLOYMENT, KFP_TEMPLATE].flatMap((type) =>
    rules(type, "update", ["__provider"], "infra/common/providers/provider-code.ts", "new provider code is recorded by an update that calls no API; refresh and delete run the recorded code"),
  ),
];

/** One segment of a rule path: a key, or `*` for every element of a list. */
function segments(path: string): string[] {
  return path.replace(/\[\*\]/g, ".*").split(".");
}

/** Every value at `path` (a list when the path has `[*]`), or undefined where it is absent. */
export function valuesAt(root: unknown, path: string): unknown {
  const walk = (node: unknown, rest: string[]): unknown => {
    if (rest.length === 0) return node;
    const [head, ...tail] = rest;
    if (head === "*") return Array.isArray(node) ? node.map((item) => walk(item, tail)) : undefined;
    return node !== null && typeof node === "object" && !Array.isArray(node) ? walk((node as Record<string, unknown>)[head], tail) : undefined;
  };
  return walk(root, segments(path));
}

export function rulesFor(type: string): PropertyRule[] {
  return PROPERTY_RULES.filter((r) => r.type === type);
}
