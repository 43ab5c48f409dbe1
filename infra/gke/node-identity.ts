import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";

/**
 * What a GKE node itself needs, and nothing more: write logs and metrics, read metrics for the
 * autoscaler, attach resource metadata, and pull images. Workloads get their own identities
 * through Workload Identity; the default Compute Engine account (often Editor) is never used.
 * https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa
 */
export const NODE_ROLES = [
  "roles/autoscaling.metricsWriter",
  "roles/logging.logWriter",
  "roles/monitoring.metricWriter",
  "roles/monitoring.viewer",
  "roles/stackdriver.resourceMetadata.writer",
] as const;

export interface NodeIdentityArgs {
  readonly project: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** The images repository nodes pull serving images from. */
  readonly images: gcp.artifactregistry.Repository;
  /**
   * Who creates the cluster and its pools (the CI deployer): creating nodes that run as the
   * account checks `iam.serviceAccounts.actAs` on it, so the deployer gets that on this account only.
   */
  readonly deployers: readonly pulumi.Input<string>[];
}

const short = (role: string) => role.replace(/^roles\//, "").replace(/\./g, "-").toLowerCase();

export interface NodeIdentity {
  readonly account: gcp.serviceaccount.Account;
  /** The bindings: nodes should start after them, or their first logs and metrics are refused. */
  readonly grants: readonly pulumi.Resource[];
  /** The deployers' actAs on the account: the cluster and every pool are created after these. */
  readonly actAs: readonly pulumi.Resource[];
}

/** The cluster's dedicated node service account and its bindings, named `<name>-nodes[-<role>]`. */
export function createNodeIdentity(name: string, args: NodeIdentityArgs, opts: pulumi.CustomResourceOptions): NodeIdentity {
  const account = new gcp.serviceaccount.Account(
    `${name}-nodes`,
    {
      project: args.project,
      accountId: args.accountId,
      displayName: `GKE nodes of ${args.clusterName}`,
      description: "Managed by Pulumi (llmops). Node identity only: logs, metrics, image pulls.",
    },
    opts,
  );
  const parent = { parent: account };
  const grants: pulumi.Resource[] = NODE_ROLES.map((role) => new gcp.projects.IAMMember(`${name}-nodes-${short(role)}`, { project: args.project, role, member: account.member }, parent));
  const reader = new gcp.artifactregistry.RepositoryIamMember(
    `${name}-nodes-images-reader`,
    { project: args.project, location: args.images.location, repository: args.images.name, role: "roles/artifactregistry.reader", member: account.member },
    parent,
  );
  const actAs = args.deployers.map(
    (member, i) => new gcp.serviceaccount.IAMMember(`${name}-nodes-actas${i ? `-${i}` : ""}`, { serviceAccountId: account.name, role: "roles/iam.serviceAccountUser", member }, parent),
  );
  return { account, grants: [...grants, reader], actAs };
}
