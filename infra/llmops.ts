import type * as pulumi from "@pulumi/pulumi";
import type { BucketRole, StackSettings } from "./config";
import type { Account } from "./platform";
import { Buckets, CiFederation, ProjectApis, Registries, ServiceAccounts } from "./platform";

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
}

/**
 * Composes the capabilities of one stack from its validated settings. `infra/index.ts` calls it
 * with the stack's configuration; nothing here reads config or knows how it runs.
 */
export function createStack(settings: StackSettings): StackOutputs {
  const { project, environment, labels } = settings;
  const apis = new ProjectApis("apis", {
    project,
    services: [...BASE_APIS, ...(settings.ci ? ["sts.googleapis.com"] : [])],
  });

  const buckets = new Buckets(
    "storage",
    { project, buckets: settings.storage.buckets, kmsKeyName: settings.storage.kmsKeyName, protectData: settings.isProd, labels },
    { dependsOn: apis.dependOn("storage.googleapis.com") },
  );

  const registries = new Registries(
    "registry",
    { project, region: settings.primaryRegion, environment, kmsKeyName: settings.storage.kmsKeyName, labels },
    { dependsOn: apis.dependOn("artifactregistry.googleapis.com") },
  );

  const identities = new ServiceAccounts(
    "identity",
    { project, environment, buckets: buckets.buckets, images: registries.images, pipelines: registries.pipelines },
    { dependsOn: apis.dependOn("iam.googleapis.com", "cloudresourcemanager.googleapis.com") },
  );

  const ci = settings.ci
    ? new CiFederation(
        "ci",
        { project, environment, repository: settings.ci.github.repository, branches: settings.ci.github.branches, deployer: identities.accounts.deployer },
        { dependsOn: apis.dependOn("iam.googleapis.com", "sts.googleapis.com", "iamcredentials.googleapis.com") },
      )
    : undefined;

  return {
    project,
    environment,
    primaryRegion: settings.primaryRegion,
    buckets: buckets.urls,
    imagesRepository: registries.imagesUri,
    pipelinesRepository: registries.pipelinesUri,
    serviceAccounts: identities.emails,
    ciWorkloadIdentityProvider: ci?.providerName,
  };
}
