import { T } from "../../policies/lib/resources";
import type { Environment, PolicyResource } from "../../policies/types";

/**
 * Small builders of resources in the shape the plans record them (values copied from
 * .llmops/plan/prod.json and a rendered llmops:gke stack): each returns a realistic, passing
 * resource; a case overrides the one input it is about.
 */

export type Over = Readonly<Record<string, unknown>>;

export interface Opts {
  /** The stack in the URN; the environment label follows it unless `labels` says otherwise. */
  readonly stack?: string;
  readonly name?: string;
  /** Types of the ancestors, outermost first (the URN's type chain). */
  readonly parents?: readonly string[];
  readonly parentUrn?: string;
  readonly protect?: boolean;
}

export function urn(stack: string, type: string, name: string, parents: readonly string[] = []): string {
  return `urn:pulumi:${stack}::llmops::${[...parents, type].join("$")}::${name}`;
}

export function resource(type: string, name: string, inputs: Over, opts: Opts = {}): PolicyResource {
  const stack = opts.stack ?? "prod";
  const parents = opts.parents ?? [];
  return {
    urn: urn(stack, type, opts.name ?? name, parents),
    type,
    name: opts.name ?? name,
    inputs,
    options: { protect: opts.protect ?? false, retainOnDelete: false },
    parentUrn: opts.parentUrn,
    component: [...parents].reverse().find((p) => p.startsWith("llmops:")),
  };
}

export function labels(env: Environment = "prod", extra: Over = {}): Record<string, unknown> {
  return { "cost-center": "cc-1234", environment: env, "managed-by": "pulumi-llmops", team: "ml-platform", ...extra };
}

const envOf = (opts: Opts): Environment => (opts.stack === "dev" ? "dev" : "prod");
const PROJECT = "acme-llmops-prod";
const KEY = "projects/acme-security/locations/us/keyRings/llmops/cryptoKeys/storage";
const SERVING_SA = "llmops-serving-prod@acme-llmops-prod.iam.gserviceaccount.com";
const NODE_SA = "llmops-gke-us-central1-prod@acme-llmops-prod.iam.gserviceaccount.com";
export const DIGEST = "sha256:1d6866b87630d94f5e0cdae55ab5abb4ce0b03fcb84d9d10612f9d518d19d4fd";

export function bucket(over: Over = {}, opts: Opts = {}): PolicyResource {
  const role = (over.labels as Record<string, string> | undefined)?.["bucket-role"] ?? "models";
  return resource(
    T.bucket,
    `storage-${role}`,
    {
      encryption: { defaultKmsKeyName: KEY },
      forceDestroy: false,
      labels: labels(envOf(opts), { "bucket-role": "models" }),
      lifecycleRules: [{ action: { type: "Delete" }, condition: { numNewerVersions: 5, withState: "ARCHIVED" } }],
      location: "US",
      name: `acme-llmops-prod-prod-${role}`,
      project: PROJECT,
      publicAccessPrevention: "enforced",
      softDeletePolicy: { retentionDurationSeconds: 7776000 },
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      versioning: { enabled: true },
      ...over,
    },
    { parents: ["llmops:platform:Buckets"], protect: true, ...opts },
  );
}

export function repository(over: Over = {}, opts: Opts = {}): PolicyResource {
  return resource(
    T.repository,
    "registry-images",
    {
      description: "Serving and training images, referenced by digest",
      dockerConfig: { immutableTags: true },
      format: "DOCKER",
      kmsKeyName: KEY,
      labels: labels(envOf(opts)),
      location: "us-central1",
      project: PROJECT,
      repositoryId: "llmops-images-prod",
      ...over,
    },
    { parents: ["llmops:platform:Registries"], ...opts },
  );
}

/** An IAM member of any kind; `type` defaults to a project member. */
export function iamMember(over: Over = {}, opts: Opts & { type?: string } = {}): PolicyResource {
  return resource(
    opts.type ?? "gcp:projects/iAMMember:IAMMember",
    "identity-serving-logging-logwriter",
    { member: `serviceAccount:${SERVING_SA}`, project: PROJECT, role: "roles/logging.logWriter", ...over },
    { parents: ["llmops:platform:ServiceAccounts", "gcp:serviceaccount/account:Account"], ...opts },
  );
}

export function wifProvider(over: Over = {}, opts: Opts = {}): PolicyResource {
  return resource(
    T.wifProvider,
    "ci-github",
    {
      attributeCondition: 'assertion.repository == "acme/llmops-gcp" && assertion.ref in ["refs/heads/main"]',
      attributeMapping: { "attribute.ref": "assertion.ref", "attribute.repository": "assertion.repository", "google.subject": "assertion.sub" },
      displayName: "GitHub Actions",
      oidc: { issuerUri: "https://token.actions.githubusercontent.com" },
      project: PROJECT,
      workloadIdentityPoolId: "llmops-ci-prod",
      workloadIdentityPoolProviderId: "github",
      ...over,
    },
    { parents: ["llmops:platform:CiFederation"], ...opts },
  );
}

export const WIF_MEMBER = "principalSet://iam.googleapis.com/projects/304703143201/locations/global/workloadIdentityPools/llmops-ci-prod/attribute.repository/acme/llmops-gcp";

export function cluster(over: Over = {}, opts: Opts = {}): PolicyResource {
  return resource(
    T.cluster,
    "gke-us-central1-cluster",
    {
      deletionProtection: true,
      enableShieldedNodes: true,
      initialNodeCount: 1,
      location: "us-central1",
      name: "llmops-prod-us-central1",
      networkingMode: "VPC_NATIVE",
      nodeConfig: { oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"], serviceAccount: NODE_SA, shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true } },
      privateClusterConfig: { enablePrivateEndpoint: false, enablePrivateNodes: true, masterGlobalAccessConfig: { enabled: true }, masterIpv4CidrBlock: "172.16.0.0/28" },
      project: PROJECT,
      releaseChannel: { channel: "REGULAR" },
      removeDefaultNodePool: true,
      resourceLabels: labels(envOf(opts)),
      workloadIdentityConfig: { workloadPool: `${PROJECT}.svc.id.goog` },
      ...over,
    },
    { parents: ["llmops:gke:Cluster"], ...opts },
  );
}

/** A GKE L4 serving pool (on-demand) as llmops:gke renders it; `node` overrides nodeConfig keys. */
export function nodePool(over: Over = {}, opts: Opts & { node?: Over; capacity?: string; workload?: string; pool?: string } = {}): PolicyResource {
  const capacity = opts.capacity ?? "on-demand";
  const workload = opts.workload ?? "serving";
  const pool = opts.pool ?? "l4-serving";
  const poolLabels = { workload, "llmops-pool": pool, "llmops-capacity": capacity };
  return resource(
    T.nodePool,
    `gke-us-central1-${pool}-${capacity}`,
    {
      autoscaling: { locationPolicy: "ANY", totalMaxNodeCount: 8, totalMinNodeCount: 2 },
      cluster: "llmops-prod-us-central1",
      initialNodeCount: 1,
      location: "us-central1",
      management: { autoRepair: true, autoUpgrade: true },
      name: `${pool}-${capacity}`,
      nodeConfig: {
        guestAccelerators: [{ count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" }, type: "nvidia-l4" }],
        imageType: "COS_CONTAINERD",
        labels: poolLabels,
        machineType: "g2-standard-12",
        oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
        reservationAffinity: { consumeReservationType: "NO_RESERVATION" },
        resourceLabels: { ...labels(envOf(opts)), ...poolLabels },
        serviceAccount: NODE_SA,
        shieldedInstanceConfig: { enableIntegrityMonitoring: true, enableSecureBoot: true },
        taints: [{ effect: "NO_SCHEDULE", key: "nvidia.com/gpu", value: "present" }],
        workloadMetadataConfig: { mode: "GKE_METADATA" },
        ...(capacity === "spot" && { spot: true }),
        ...opts.node,
      },
      nodeLocations: ["us-central1-a", "us-central1-b", "us-central1-c"],
      project: PROJECT,
      ...over,
    },
    { parents: ["llmops:gke:Cluster", "llmops:gke:AcceleratorPool"], ...opts },
  );
}

const MODEL_PARENT = "llmops:models:VertexModel";
const modelParentUrn = (stack: string) => urn(stack, MODEL_PARENT, "model-support-assistant");

export function endpoint(region = "us-central1", over: Over = {}, opts: Opts = {}): PolicyResource {
  const stack = opts.stack ?? "prod";
  return resource(
    T.endpoint,
    `model-support-assistant-${region}`,
    {
      description: "Customer support assistant",
      displayName: "support-assistant (prod)",
      labels: labels(envOf(opts), { model: "support-assistant" }),
      location: region,
      name: region === "us-central1" ? "8554094542" : "3229673065",
      project: PROJECT,
      region,
      ...over,
    },
    { parents: [MODEL_PARENT], parentUrn: modelParentUrn(stack), protect: stack === "prod", ...opts },
  );
}

export function modelVersion(region = "us-central1", over: Over = {}, opts: Opts & { container?: Over } = {}): PolicyResource {
  const stack = opts.stack ?? "prod";
  return resource(
    T.modelVersion,
    `model-support-assistant-${region}-1.2.0`,
    {
      artifactUri: "gs://acme-llmops-prod-prod-models/support-assistant/1.2.0/",
      container: {
        args: ["--model=/gcs/model", "--max-model-len=8192", "--gpu-memory-utilization=0.9"],
        env: { LLMOPS_PROMPT_TEMPLATE: "<start_of_turn>user\n{instruction}<end_of_turn>\n", MODEL_ARMOR_TEMPLATE: `projects/${PROJECT}/locations/${region}/templates/llmops-support-assistant-1-2-0` },
        healthRoute: "/health",
        imageUri: `us-central1-docker.pkg.dev/${PROJECT}/llmops-images-prod/vllm-server@${DIGEST}`,
        ports: [8080],
        predictRoute: "/v1/completions",
        ...opts.container,
      },
      displayName: "Customer support assistant",
      labels: labels(envOf(opts), { model: "support-assistant", "model-version": "1-2-0" }),
      modelId: "support-assistant",
      project: PROJECT,
      region,
      version: "1.2.0",
      ...over,
    },
    { parents: [MODEL_PARENT], parentUrn: modelParentUrn(stack), ...opts },
  );
}

export interface DeploymentSpec {
  readonly id: string;
  readonly version?: string;
  readonly percent: number;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly over?: Over;
}

export function deployment(region = "us-central1", specs: readonly DeploymentSpec[] = [{ id: "4863098634", percent: 100 }], over: Over = {}, opts: Opts = {}): PolicyResource {
  const stack = opts.stack ?? "prod";
  return resource(
    T.endpointDeployment,
    `model-support-assistant-${region}-deployment`,
    {
      deployments: specs.map((s) => ({
        acceleratorCount: 1,
        acceleratorType: "NVIDIA_L4",
        autoscaling: { metric: "accelerator-duty-cycle", target: 60 },
        deployedModelId: s.id,
        displayName: `support-assistant-${s.version ?? "1.2.0"}`,
        machineType: "g2-standard-12",
        maxReplicas: s.maxReplicas ?? 6,
        minReplicas: s.minReplicas ?? 2,
        model: `projects/${PROJECT}/locations/${region}/models/support-assistant@v${(s.version ?? "1.2.0").replace(/\./g, "-")}`,
        serviceAccount: SERVING_SA,
        ...s.over,
      })),
      endpoint: `projects/${PROJECT}/locations/${region}/endpoints/8554094542`,
      environment: envOf(opts),
      project: PROJECT,
      region,
      trafficSplit: Object.fromEntries(specs.map((s) => [s.id, s.percent])),
      ...over,
    },
    { parents: [MODEL_PARENT], parentUrn: modelParentUrn(stack), ...opts },
  );
}

export function armorTemplate(region = "us-central1", over: Over = {}, opts: Opts & { filterConfig?: Over } = {}): PolicyResource {
  return resource(
    T.armorTemplate,
    `model-support-assistant-safety-1.2.0-${region}`,
    {
      filterConfig: {
        maliciousUriFilterSettings: { filterEnforcement: "ENABLED" },
        piAndJailbreakFilterSettings: { confidenceLevel: "MEDIUM_AND_ABOVE", filterEnforcement: "ENABLED" },
        raiSettings: { raiFilters: [{ confidenceLevel: "MEDIUM_AND_ABOVE", filterType: "HATE_SPEECH" }, { confidenceLevel: "MEDIUM_AND_ABOVE", filterType: "DANGEROUS" }] },
        sdpSettings: { basicConfig: { filterEnforcement: "ENABLED" } },
        ...opts.filterConfig,
      },
      labels: labels(envOf(opts), { model: "support-assistant", "model-version": "1-2-0" }),
      location: region,
      project: PROJECT,
      templateId: "llmops-support-assistant-1-2-0",
      templateMetadata: { enforcementType: "INSPECT_AND_BLOCK", logSanitizeOperations: true, logTemplateOperations: true },
      ...over,
    },
    { parents: [MODEL_PARENT, "llmops:models:Safety"], ...opts },
  );
}

export function alertPolicy(name: string, userLabels: Over, over: Over = {}, opts: Opts = {}): PolicyResource {
  return resource(
    T.alertPolicy,
    name,
    {
      combiner: "OR",
      conditions: [{ conditionThreshold: { comparison: "COMPARISON_GT", duration: "600s", filter: 'metric.type="aiplatform.googleapis.com/prediction/online/error_count"' }, displayName: "errors" }],
      displayName: name,
      notificationChannels: [`projects/${PROJECT}/notificationChannels/1116811700523201832`],
      project: PROJECT,
      userLabels: labels(envOf(opts), userLabels),
      ...over,
    },
    { parents: ["llmops:monitoring:ModelMonitoring"], ...opts },
  );
}

/** The VertexModel component as CrossGuard's stack policies see it: its registered outputs. */
export function vertexModel(rollout: Over, opts: Opts = {}): PolicyResource {
  return resource(MODEL_PARENT, "model-support-assistant", { rollout: { platform: "vertex", split: {}, stages: STAGES, released: {}, ...rollout } }, opts);
}

export const STAGES = [
  { name: "canary", weight: 10 },
  { name: "partial", weight: 50 },
  { name: "full", weight: 100 },
];

export function k8sDeployment(image: string, over: Over = {}, opts: Opts = {}): PolicyResource {
  const podLabels = { ...labels(envOf(opts), { model: "support-assistant", "model-version": "1-3-0" }) };
  return resource(
    "kubernetes:apps/v1:Deployment",
    "serve-support-assistant-1-3-0",
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "support-assistant-1-3-0", namespace: "serving", labels: podLabels },
      spec: { replicas: 2, template: { metadata: { labels: podLabels }, spec: { containers: [{ image, name: "vllm" }], initContainers: [] } } },
      ...over,
    },
    opts,
  );
}
