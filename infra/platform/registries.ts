import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { RegistryNames } from "./config";

export interface RegistriesArgs {
  readonly project: string;
  /** The primary region: registries are regional and live beside the pipelines. */
  readonly region: string;
  /** The repositories' ids and URIs, as the platform's settings name them. */
  readonly names: RegistryNames;
  /** Customer-managed key for both repositories, in `region`. @default Google-managed keys */
  readonly kmsKeyName?: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Artifact Registry in the primary region: a DOCKER repository for serving and training images
 * (immutable tags, so a tag can never be moved under a deployed version) and a KFP repository
 * for compiled pipeline templates.
 */
export class Registries extends pulumi.ComponentResource {
  public readonly images: gcp.artifactregistry.Repository;
  public readonly pipelines: gcp.artifactregistry.Repository;
  /** `REGION-docker.pkg.dev/PROJECT/REPO`, the prefix of every image reference. */
  public readonly imagesUri: pulumi.Output<string>;
  /** `https://REGION-kfp.pkg.dev/PROJECT/REPO`, the prefix of every pipeline `templateUri`. */
  public readonly pipelinesUri: pulumi.Output<string>;

  constructor(name: string, args: RegistriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:platform:Registries", name, {}, opts);
    const common = { project: args.project, location: args.region, kmsKeyName: args.kmsKeyName, labels: args.labels };
    // Artifact Registry encrypts with the key as its service agent, which must hold the key role
    // before a repository names the key; the agent exists once generated for the project.
    // https://cloud.google.com/artifact-registry/docs/cmek#grant-key
    const keyGrants: pulumi.Resource[] = [];
    if (args.kmsKeyName) {
      const agent = new gcp.projects.ServiceIdentity(`${name}-agent`, { project: args.project, service: "artifactregistry.googleapis.com" }, childOf(this, opts));
      keyGrants.push(
        new gcp.kms.CryptoKeyIAMMember(`${name}-kms-registry-agent`, { cryptoKeyId: args.kmsKeyName, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member: agent.member }, childOf(this, opts)),
      );
    }
    this.images = new gcp.artifactregistry.Repository(
      `${name}-images`,
      {
        ...common,
        repositoryId: args.names.imagesRepositoryId,
        format: "DOCKER",
        description: "Serving and training images, referenced by digest",
        dockerConfig: { immutableTags: true },
        vulnerabilityScanningConfig: { enablementConfig: "INHERITED" },
        // Untagged layers left by rebuilds are garbage; tagged images are what deployments name.
        cleanupPolicies: [{ id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: `${30 * 86_400}s` } }],
        cleanupPolicyDryRun: false,
      },
      childOf(this, opts, ...keyGrants),
    );
    this.pipelines = new gcp.artifactregistry.Repository(
      `${name}-pipelines`,
      { ...common, repositoryId: args.names.pipelinesRepositoryId, format: "KFP", description: "Compiled Vertex AI pipeline templates" },
      childOf(this, opts, ...keyGrants),
    );
    // The settings' names, through the repositories so that users of the URIs wait for them.
    this.imagesUri = this.images.repositoryId.apply(() => args.names.imagesUri);
    this.pipelinesUri = this.pipelines.repositoryId.apply(() => args.names.pipelinesUri);
    this.registerOutputs({ imagesUri: this.imagesUri, pipelinesUri: this.pipelinesUri });
  }
}
