import type * as pulumi from "@pulumi/pulumi";
import type { BucketRole, StackSettings } from "./settings";
import type { Account } from "./platform";
import { VertexModel, type RegionalServing, type RolloutRecord } from "./models";
import { Buckets, CiFederation, DEPLOYER_ROLES, ProjectApis, Registries, ServiceAccounts } from "./platform";
import { PipelineSchedules, PipelineTemplates } from "./pipelines";
import { PIPELINES } from "../pipelines/llmops";
import { version as projectVersion } from "../package.json";
import { GKE_APIS, type GkeRegionOutput, createGkeCapacity } from "./gke";
import { GKE_SERVING_APIS, createGkeServing } from "./models/gke";
import { type MonitoringOutputs, acceleratorClustersOf, createMonitoring } from "./monitoring";

/** The Google APIs every stack uses; capabilities add theirs. */
const BASE_APIS = [
  "aiplatform.googleapis.com",
  "artifactregistry.googleapis.com",
  "bigquery.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "iam.googleapis.com",
  "iamcredentials.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "serviceusage.googleapis.com",
  "storage.googleapis.com",
];

export interface ServedModel extends RolloutRecord {
  readonly regions: Readonly<Record<string, RegionalServing>>;
}

/** What a stack exports: the names other tools and people look up. */
export interface StackOutputs {
  readonly project: string;
  readonly environment: string;
  readonly primaryRegion: string;
  readonly buckets: pulumi.Output<Record<BucketRole, string>>;
  readonly imagesRepository: pulumi.Output<string>;
  readonly pipelinesRepository: pulumi.Output<string>;
  readonly serviceAccounts: pulumi.Output<Record<Account, string>>;
  readonly ciWorkloadIdentityProvider?: pulumi.Output<string>;
  /** Per region: the GKE cluster, its endpoint and accelerator pools (when `llmops:gke` is set). */
  readonly gke?: pulumi.Output<Record<string, GkeRegionOutput>>;
  /** Per model: its rollout state, and per region the endpoint, prediction URL and traffic split. */
  readonly models: Record<string, ServedModel>;
  /**
   * Published pipeline templates (templateUri by pipeline), the scheduled runs, and the template
   * each schedule runs (templateUri by schedule: the pipeline with the schedule's values as defaults).
   */
  readonly pipelines: {
    templates: Readonly<Record<string, pulumi.Output<string>>>;
    schedules: string[];
    scheduleTemplates: Readonly<Record<string, pulumi.Output<string>>>;
  };
  /** Alert channels, the dashboard, and per model its SLO beside its autoscaling target. */
  readonly monitoring: MonitoringOutputs;
}

/**
 * Composes the capabilities of one stack from its validated settings. `infra/index.ts` calls it
 * with the stack's configuration; nothing here reads config or knows how it runs.
 */
export function createStack(settings: StackSettings): StackOutputs {
  const { project, environment, labels } = settings;
  const models = Object.entries(settings.raw.models);
  const onGke = models.some(([, m]) => m.serving.platform === "gke");
  const cmek = settings.storage.kmsKeyName !== undefined || settings.storage.registryKmsKeyName !== undefined;
  const domain = settings.raw.gke?.frontDoor?.domain !== undefined;
  const apis = new ProjectApis("apis", {
    project,
    services: [
      ...BASE_APIS,
      ...(settings.ci ? ["sts.googleapis.com"] : []),
      ...(models.length ? ["modelarmor.googleapis.com"] : []),
      ...(settings.raw.gke ? GKE_APIS : []),
      ...(onGke ? GKE_SERVING_APIS : []),
      // Granting service agents on the keys calls Cloud KMS; the front door's certificate is Certificate Manager's.
      ...(cmek ? ["cloudkms.googleapis.com"] : []),
      ...(onGke && domain ? ["certificatemanager.googleapis.com"] : []),
    ],
  });
  const kms = cmek ? ["cloudkms.googleapis.com"] : [];

  const buckets = new Buckets(
    "storage",
    { project, buckets: settings.storage.buckets, kmsKeyName: settings.storage.kmsKeyName, protectData: settings.isProd, labels },
    { dependsOn: apis.dependOn("storage.googleapis.com", ...(settings.storage.kmsKeyName ? kms : [])) },
  );

  const registries = new Registries(
    "registry",
    { project, region: settings.primaryRegion, environment, kmsKeyName: settings.storage.registryKmsKeyName, labels },
    // With a key, the service agent is generated (Service Usage) and granted on it (Cloud KMS) first.
    { dependsOn: apis.dependOn("artifactregistry.googleapis.com", ...(settings.storage.registryKmsKeyName ? ["serviceusage.googleapis.com", ...kms] : [])) },
  );

  const identities = new ServiceAccounts(
    "identity",
    {
      project,
      environment,
      buckets: buckets.buckets,
      images: registries.images,
      pipelines: registries.pipelines,
      extraProjectRoles: {
        // Serving containers screen prompts and responses through Model Armor's sanitize API.
        serving: models.length ? ["roles/modelarmor.user"] : [],
        deployer: [
          ...(models.length ? DEPLOYER_ROLES.models : []),
          ...(settings.raw.gke ? DEPLOYER_ROLES.gke : []),
          ...(onGke ? DEPLOYER_ROLES.gkeServing : []),
          ...(onGke && domain ? DEPLOYER_ROLES.certificates : []),
        ],
      },
    },
    { dependsOn: apis.dependOn("iam.googleapis.com", "cloudresourcemanager.googleapis.com") },
  );

  const ci = settings.ci
    ? new CiFederation(
        "ci",
        { project, environment, repository: settings.ci.github.repository, branches: settings.ci.github.branches, deployer: identities.accounts.deployer },
        { dependsOn: apis.dependOn("iam.googleapis.com", "sts.googleapis.com", "iamcredentials.googleapis.com") },
      )
    : undefined;

  const templates = new PipelineTemplates(
    "pipelines",
    { project, region: settings.primaryRegion, repository: registries.pipelines, pipelines: PIPELINES, versionName: `v${projectVersion}` },
    { dependsOn: apis.dependOn("artifactregistry.googleapis.com") },
  );
  const schedules = new PipelineSchedules(
    "schedules",
    {
      project,
      region: settings.primaryRegion,
      schedules: settings.raw.pipelines.schedules,
      pipelines: PIPELINES,
      repository: registries.pipelines,
      pipelineRoot: buckets.buckets.pipelineRoot.url,
      serviceAccount: identities.accounts.pipelines.email,
      labels,
    },
    // Creating a schedule that runs as the pipelines account checks the deployer's actAs on it.
    { dependsOn: [...apis.dependOn("aiplatform.googleapis.com"), ...identities.grants.pipelines] },
  );

  // Node identities are service accounts with project roles: IAM and Resource Manager too.
  const gke = createGkeCapacity(settings, registries.images, [identities.accounts.deployer.member], { dependsOn: settings.raw.gke ? apis.dependOn(...GKE_APIS, "iam.googleapis.com", "cloudresourcemanager.googleapis.com") : [] });

  const served: Record<string, ServedModel> = {};
  for (const [model, config] of models) {
    if (config.serving.platform !== "vertex") continue;
    const vertex = new VertexModel(
      `model-${model}`,
      { settings, model, config, servingAccount: identities.accounts.serving, servingGrants: identities.grants.serving },
      { dependsOn: apis.dependOn("aiplatform.googleapis.com", "modelarmor.googleapis.com") },
    );
    served[model] = { ...vertex.rollout, regions: vertex.regions };
  }
  // The same rollout record and regional shape as Vertex AI's: summaries, diffs and policies read both alike.
  // The front door reserves an address and a Cloud Armor policy (Compute), grants fleet agents
  // project roles (Resource Manager) and, with a domain, issues a certificate.
  const frontDoorApis = ["compute.googleapis.com", "cloudresourcemanager.googleapis.com", "iam.googleapis.com", ...(domain ? ["certificatemanager.googleapis.com"] : [])];
  const gkeServed = createGkeServing(settings, gke, { account: identities.accounts.serving, grants: identities.grants.serving }, { dependsOn: onGke ? apis.dependOn(...GKE_SERVING_APIS, "modelarmor.googleapis.com", ...frontDoorApis) : [] });
  Object.assign(served, gkeServed.models);

  const monitoring = createMonitoring(
    settings,
    // Every served model: Vertex AI endpoint metrics, or on GKE vLLM's metrics in the model's namespace.
    { models: Object.entries(served).map(([name, s]) => ({ name, config: settings.raw.models[name], regions: s.regions, metricProducers: gkeServed.metricProducers[name] })), clusters: acceleratorClustersOf(gke?.clusters ?? []) },
    { dependsOn: apis.dependOn("monitoring.googleapis.com", "logging.googleapis.com") },
  );

  return {
    project,
    environment,
    primaryRegion: settings.primaryRegion,
    buckets: buckets.urls,
    imagesRepository: registries.imagesUri,
    pipelinesRepository: registries.pipelinesUri,
    serviceAccounts: identities.emails,
    // Optional outputs are left out rather than exported as undefined, which Pulumi warns about.
    ...(ci ? { ciWorkloadIdentityProvider: ci.providerName } : {}),
    ...(gke ? { gke: gke.outputs } : {}),
    models: served,
    pipelines: { templates: templates.templateUris, schedules: Object.keys(schedules.schedules), scheduleTemplates: schedules.templateUris },
    monitoring,
  };
}
