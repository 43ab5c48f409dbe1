import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { version as projectVersion } from "../package.json";
import type { MissionImages } from "../pipelines/llmops";
import { GKE_APIS, GkeCapacity, type GkeRegionOutput } from "./gke";
import { GKE_SERVING_APIS, Models, type ServedModel } from "./models";
import { Monitoring, type MonitoringOutputs, acceleratorClustersOf } from "./monitoring";
import { PipelineImages, PipelineSchedules, PipelineTemplates } from "./pipelines";
import { type Account, type BucketRole, Buckets, CiFederation, DEPLOYER_ROLES, ProjectApis, Registries, ServiceAccounts } from "./platform";
import type { BudgetSettings } from "./budget/config";
import type { StackSettings } from "./settings";

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
  readonly models: Readonly<Record<string, ServedModel>>;
  /** Published pipeline templates (templateUri by pipeline, and by schedule) and the scheduled runs. */
  readonly pipelines: { images: pulumi.Output<MissionImages>; templates: Readonly<Record<string, pulumi.Output<string>>>; schedules: string[]; scheduleTemplates: Readonly<Record<string, pulumi.Output<string>>> };
  /** Alert channels, the dashboard, and per model its SLO beside its autoscaling target. */
  readonly monitoring: MonitoringOutputs;
  /** The monthly budget (`llmops:budget`), which the `monthly-budget` policy reads from the plan; absent when none is declared. */
  readonly budget?: BudgetSettings;
}

/** The Google APIs every stack uses; capabilities add theirs (`stackApis`). */
const BASE_APIS = [
  "aiplatform.googleapis.com",
  "artifactregistry.googleapis.com",
  "bigquery.googleapis.com",
  // The pipeline images are built in the stack's project (infra/pipelines/images.ts).
  "cloudbuild.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "iam.googleapis.com",
  "iamcredentials.googleapis.com",
  "logging.googleapis.com",
  "monitoring.googleapis.com",
  "serviceusage.googleapis.com",
  "storage.googleapis.com",
];

/** What the stack creates, in the terms the API list and the deployer's roles are decided by. */
function capabilitiesOf(settings: StackSettings) {
  const models = Object.values(settings.models);
  const onGke = models.some((m) => m.gke);
  return {
    models: models.length > 0,
    gke: settings.gke !== undefined,
    onGke,
    certificates: onGke && settings.gke?.frontDoor?.domain !== undefined,
    cmek: settings.platform.kmsKeyName !== undefined || settings.platform.registryKmsKeyName !== undefined,
    ci: settings.platform.ci !== undefined,
  };
}

function stackApis(settings: StackSettings): string[] {
  const has = capabilitiesOf(settings);
  return [
    ...BASE_APIS,
    ...(has.ci ? ["sts.googleapis.com"] : []),
    ...(has.models ? ["modelarmor.googleapis.com"] : []),
    ...(has.gke ? GKE_APIS : []),
    ...(has.onGke ? GKE_SERVING_APIS : []),
    // Granting service agents on the keys calls Cloud KMS; the front door's certificate is Certificate Manager's.
    ...(has.cmek ? ["cloudkms.googleapis.com"] : []),
    ...(has.certificates ? ["certificatemanager.googleapis.com"] : []),
  ];
}

/** The deployer's roles beyond the base ones: those of what this stack creates (`DEPLOYER_ROLES`). */
function deployerRoles(settings: StackSettings): string[] {
  const has = capabilitiesOf(settings);
  return [
    ...(has.models ? DEPLOYER_ROLES.models : []),
    ...(has.gke ? DEPLOYER_ROLES.gke : []),
    ...(has.onGke ? DEPLOYER_ROLES.gkeServing : []),
    ...(has.certificates ? DEPLOYER_ROLES.certificates : []),
  ];
}

/** The platform every capability stands on: APIs, buckets, registries, identities, CI federation. */
export interface Platform {
  readonly apis: ProjectApis;
  readonly buckets: Buckets;
  readonly registries: Registries;
  readonly identities: ServiceAccounts;
  readonly ci?: CiFederation;
}

export function buildPlatform(settings: StackSettings): Platform {
  const { project, environment, labels, isProd, primaryRegion: region, platform } = settings;
  const has = capabilitiesOf(settings);
  const apis = new ProjectApis("apis", { project, services: stackApis(settings) });
  const kms = has.cmek ? ["cloudkms.googleapis.com"] : [];
  const buckets = new Buckets("storage", { project, buckets: platform.buckets, kmsKeyName: platform.kmsKeyName, protectData: isProd, labels }, { dependsOn: apis.dependOn("storage.googleapis.com", ...(platform.kmsKeyName ? kms : [])) });
  // With a key, the Artifact Registry agent is generated (Service Usage) and granted on it (Cloud KMS) first.
  const registries = new Registries("registry", { project, region, names: platform.registries, kmsKeyName: platform.registryKmsKeyName, labels }, { dependsOn: apis.dependOn("artifactregistry.googleapis.com", ...(platform.registryKmsKeyName ? ["serviceusage.googleapis.com", ...kms] : [])) });
  const identities = new ServiceAccounts(
    "identity",
    // Serving containers screen prompts and responses through Model Armor's sanitize API.
    { project, environment, buckets: buckets.buckets, images: registries.images, pipelines: registries.pipelines, extraProjectRoles: { serving: has.models ? ["roles/modelarmor.user"] : [], deployer: deployerRoles(settings) } },
    { dependsOn: apis.dependOn("iam.googleapis.com", "cloudresourcemanager.googleapis.com") },
  );
  const ci = platform.ci && new CiFederation("ci", { project, environment, repository: platform.ci.github.repository, branches: platform.ci.github.branches, deployer: identities.accounts.deployer }, { dependsOn: apis.dependOn("iam.googleapis.com", "sts.googleapis.com", "iamcredentials.googleapis.com") });
  return { apis, buckets, registries, identities, ci };
}

export function buildPipelines(settings: StackSettings, { apis, buckets, registries, identities }: Platform): { images: PipelineImages; templates: PipelineTemplates; schedules: PipelineSchedules } {
  const { project, environment, labels, primaryRegion: region } = settings;
  // The images every template runs, built from pipelines/steps; the program lives in infra/.
  // The build contexts go to the pipeline root's bucket (under build-sources/), which the deployer administers already.
  const images = new PipelineImages(
    "pipeline-images",
    {
      project,
      region,
      environment,
      repositoryUri: registries.imagesUri,
      repository: { location: registries.images.location, name: registries.images.name },
      sourceBucket: buckets.buckets.pipelineRoot.name,
      deployerMember: identities.accounts.deployer.member,
      projectDir: path.resolve(__dirname, ".."),
    },
    { dependsOn: [registries.images, buckets.buckets.pipelineRoot, ...apis.dependOn("cloudbuild.googleapis.com", "artifactregistry.googleapis.com", "storage.googleapis.com", "iam.googleapis.com", "cloudresourcemanager.googleapis.com", "logging.googleapis.com")] },
  );
  const templates = new PipelineTemplates("pipelines", { project, region, repository: registries.pipelines, images: images.images, versionName: `v${projectVersion}` }, { dependsOn: apis.dependOn("artifactregistry.googleapis.com") });
  const schedules = new PipelineSchedules(
    "schedules",
    { project, region, schedules: settings.pipelines.schedules, repository: registries.pipelines, images: images.images, pipelineRoot: buckets.buckets.pipelineRoot.url, serviceAccount: identities.accounts.pipelines.email, labels },
    // Creating a schedule that runs as the pipelines account checks the deployer's actAs on it.
    { dependsOn: [...apis.dependOn("aiplatform.googleapis.com"), ...identities.grants.pipelines] },
  );
  return { images, templates, schedules };
}

/** GKE capacity, when the stack configures `llmops:gke`. */
export function buildGke(settings: StackSettings, { apis, registries, identities }: Platform): GkeCapacity | undefined {
  const { project, environment, labels, isProd } = settings;
  // Node identities are service accounts with project roles: IAM and Resource Manager too.
  return settings.gke && new GkeCapacity("gke", { project, environment, labels, settings: settings.gke, deletionProtection: isProd, images: registries.images, deployers: [identities.accounts.deployer.member] }, { dependsOn: apis.dependOn(...GKE_APIS, "iam.googleapis.com", "cloudresourcemanager.googleapis.com") });
}

export function buildModels(settings: StackSettings, { apis, identities }: Platform, capacity: GkeCapacity | undefined): Models {
  const { project, environment, labels, isProd } = settings;
  const has = capabilitiesOf(settings);
  return new Models("models", {
    project,
    environment,
    isProd,
    labels,
    models: settings.models,
    serving: { account: identities.accounts.serving, grants: identities.grants.serving },
    gke: capacity && settings.gke ? { capacity, settings: settings.gke } : undefined,
    apis: {
      // A stack without models enables no Model Armor API (see the API list above).
      vertex: has.models ? apis.dependOn("aiplatform.googleapis.com", "modelarmor.googleapis.com") : [],
      // The front door reserves an address and a Cloud Armor policy (Compute), grants fleet agents project roles (Resource Manager) and, with a domain, issues a certificate.
      gke: has.onGke ? apis.dependOn(...GKE_SERVING_APIS, "modelarmor.googleapis.com", "compute.googleapis.com", "cloudresourcemanager.googleapis.com", "iam.googleapis.com", ...(has.certificates ? ["certificatemanager.googleapis.com"] : [])) : [],
    },
  });
}

export function buildMonitoring(settings: StackSettings, { apis }: Platform, models: Models, capacity: GkeCapacity | undefined): Monitoring {
  const { project, environment, labels } = settings;
  return new Monitoring(
    "monitoring",
    {
      project,
      environment,
      labels,
      settings: settings.monitoring,
      // Every served model: Vertex AI endpoint metrics, or on GKE vLLM's metrics in the model's namespace.
      models: Object.entries(models.served).map(([name, served]) => ({ model: settings.models[name], regions: served.regions, metricProducers: models.metricProducers[name] })),
      clusters: acceleratorClustersOf(capacity?.clusters ?? []),
    },
    { dependsOn: apis.dependOn("monitoring.googleapis.com", "logging.googleapis.com") },
  );
}

/**
 * Composes the capabilities of one stack from its resolved settings, one builder per
 * capability (each also used alone by `renderComponent`, infra/testing/component.ts).
 * `infra/index.ts` calls it with the stack's configuration; nothing here reads config or knows
 * how it runs.
 */
export function createStack(settings: StackSettings): StackOutputs {
  const { project, environment, primaryRegion } = settings;
  const platform = buildPlatform(settings);
  const { images, templates, schedules } = buildPipelines(settings, platform);
  const capacity = buildGke(settings, platform);
  const models = buildModels(settings, platform, capacity);
  const monitoring = buildMonitoring(settings, platform, models, capacity);
  const { buckets, registries, identities, ci } = platform;

  return {
    project,
    environment,
    primaryRegion,
    buckets: buckets.urls,
    imagesRepository: registries.imagesUri,
    pipelinesRepository: registries.pipelinesUri,
    serviceAccounts: identities.emails,
    // Optional outputs are left out rather than exported as undefined, which Pulumi warns about.
    ...(ci ? { ciWorkloadIdentityProvider: ci.providerName } : {}),
    ...(capacity ? { gke: capacity.outputs } : {}),
    models: models.served,
    pipelines: { images: images.images, templates: templates.templateUris, schedules: Object.keys(schedules.schedules), scheduleTemplates: schedules.templateUris },
    monitoring: monitoring.outputs,
    ...(settings.budget ? { budget: settings.budget } : {}),
  };
}
