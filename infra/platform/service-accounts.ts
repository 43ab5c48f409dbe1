import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { ACCOUNTS, type Account, type BucketRole, accountEmail } from "./config";


interface Grants {
  readonly description: string;
  /** Project-level roles, only where no narrower resource exists to bind on. */
  readonly project: readonly string[];
  readonly buckets: Partial<Record<BucketRole, readonly string[]>>;
  readonly images: readonly string[];
  readonly pipelines: readonly string[];
  /** Accounts this one may act as (`iam.serviceAccountUser` on that account only). */
  readonly actAs: readonly Account[];
}

/**
 * Least privilege, written as data so a reviewer reads every grant in one place.
 * - pipelines: runs Vertex AI pipeline and custom jobs; writes datasets, scratch and batch
 *   outputs; may add model artifacts but not delete or overwrite them.
 * - serving: reads model artifacts and images, writes logs and metrics.
 * - deployer: runs `pulumi up` from CI. It manages IAM, so it holds admin roles by nature; it is
 *   reachable only through the repository-restricted federation (see `CiFederation`).
 */
export const GRANTS: Readonly<Record<Account, Grants>> = {
  pipelines: {
    description: "Vertex AI pipeline runner",
    project: ["roles/aiplatform.user", "roles/bigquery.jobUser", "roles/logging.logWriter"],
    buckets: {
      datasets: ["roles/storage.objectAdmin"],
      pipelineRoot: ["roles/storage.objectAdmin"],
      batchOutputs: ["roles/storage.objectAdmin"],
      models: ["roles/storage.objectCreator", "roles/storage.objectViewer"],
    },
    images: ["roles/artifactregistry.reader"],
    pipelines: ["roles/artifactregistry.reader"],
    actAs: ["pipelines"],
  },
  serving: {
    description: "Model serving containers",
    project: ["roles/logging.logWriter", "roles/monitoring.metricWriter"],
    buckets: { models: ["roles/storage.objectViewer"] },
    images: ["roles/artifactregistry.reader"],
    pipelines: [],
    actAs: [],
  },
  deployer: {
    description: "CI deployer (pulumi up)",
    // What every stack declares; capabilities add the roles of what they create (`DEPLOYER_ROLES`).
    project: [
      "roles/aiplatform.admin",
      "roles/artifactregistry.admin",
      // Builds of the pipeline images (infra/pipelines/images.ts).
      "roles/cloudbuild.builds.editor",
      "roles/iam.serviceAccountAdmin",
      "roles/iam.workloadIdentityPoolAdmin",
      // Log-based metrics (failed pipeline runs, Model Armor results).
      "roles/logging.configWriter",
      "roles/monitoring.editor",
      "roles/resourcemanager.projectIamAdmin",
      "roles/serviceusage.serviceUsageAdmin",
      "roles/storage.admin",
    ],
    buckets: {},
    images: [],
    pipelines: [],
    // Deploying a model or scheduling a pipeline that runs as an account needs actAs on it.
    actAs: ["pipelines", "serving"],
  },
};

/**
 * The deployer's roles for what a capability creates, added only to stacks that have it. Each
 * is the narrowest predefined role covering that capability's calls, as `llmops preflight`
 * derives them from the plan (IAM as of 2026-08-22).
 */
export const DEPLOYER_ROLES = {
  /** Model Armor templates of served models. */
  models: ["roles/modelarmor.admin"],
  /**
   * GKE capacity: the VPC, subnetworks, routers and NAT; clusters, node pools and every
   * in-cluster object. RBAC objects need bind and escalate, which among predefined roles only
   * container.admin holds.
   */
  gke: ["roles/compute.networkAdmin", "roles/container.admin"],
  /** Models on GKE: fleet memberships and features, and the front door's Cloud Armor policy. */
  gkeServing: ["roles/compute.securityAdmin", "roles/gkehub.editor"],
  /** The front door's managed certificate and map (with a domain); deleting them needs admin. */
  certificates: ["roles/certificatemanager.admin"],
} as const satisfies Record<string, readonly string[]>;

export interface ServiceAccountsArgs {
  readonly project: string;
  readonly environment: string;
  readonly buckets: Readonly<Record<BucketRole, gcp.storage.Bucket>>;
  readonly images: gcp.artifactregistry.Repository;
  readonly pipelines: gcp.artifactregistry.Repository;
  /** Extra project roles per account, added by other capabilities (e.g. Model Armor for serving). @default none */
  readonly extraProjectRoles?: Partial<Record<Account, readonly string[]>>;
}

const short = (role: string) => role.replace(/^roles\//, "").replace(/\./g, "-").replace(/[A-Z]/g, (c) => c.toLowerCase());

/** One service account per role with the bindings in `GRANTS`, each on the narrowest resource. */
export class ServiceAccounts extends pulumi.ComponentResource {
  public readonly accounts: Readonly<Record<Account, gcp.serviceaccount.Account>>;
  public readonly emails: pulumi.Output<Record<Account, string>>;
  /**
   * Per account, the grants that make it usable: its own roles (what a workload running as it
   * reads and writes) and the grants letting others act as it (the deployer's actAs). Pulumi does
   * not wait for a resource's children, so whatever runs as an account depends on these.
   */
  public readonly grants: Readonly<Record<Account, readonly pulumi.Resource[]>>;

  constructor(name: string, args: ServiceAccountsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:platform:ServiceAccounts", name, {}, opts);
    const accounts = {} as Record<Account, gcp.serviceaccount.Account>;
    for (const account of ACCOUNTS) {
      accounts[account] = new gcp.serviceaccount.Account(
        `${name}-${account}`,
        {
          project: args.project,
          accountId: accountEmail(args.project, args.environment, account).split("@")[0],
          displayName: `LLMOps ${GRANTS[account].description} (${args.environment})`,
          description: `Managed by Pulumi (llmops). ${GRANTS[account].description}.`,
        },
        childOf(this, opts),
      );
    }
    const made = Object.fromEntries(ACCOUNTS.map((a) => [a, [] as pulumi.Resource[]])) as Record<Account, pulumi.Resource[]>;
    for (const account of ACCOUNTS) {
      const grants = GRANTS[account];
      const member = accounts[account].member;
      const parent = { parent: accounts[account] };
      for (const role of [...grants.project, ...(args.extraProjectRoles?.[account] ?? [])]) {
        made[account].push(new gcp.projects.IAMMember(`${name}-${account}-${short(role)}`, { project: args.project, role, member }, parent));
      }
      for (const [bucketRole, roles] of Object.entries(grants.buckets) as [BucketRole, readonly string[]][]) {
        for (const role of roles) {
          made[account].push(new gcp.storage.BucketIAMMember(`${name}-${account}-${bucketRole}-${short(role)}`, { bucket: args.buckets[bucketRole].name, role, member }, parent));
        }
      }
      for (const [repoName, repo, roles] of [["images", args.images, grants.images], ["pipelines", args.pipelines, grants.pipelines]] as const) {
        for (const role of roles) {
          made[account].push(
            new gcp.artifactregistry.RepositoryIamMember(
              `${name}-${account}-${repoName}-${short(role)}`,
              { project: args.project, location: repo.location, repository: repo.name, role, member },
              parent,
            ),
          );
        }
      }
      for (const target of grants.actAs) {
        // Counted as the target's: whoever runs something as the target needs this grant in place.
        made[target].push(new gcp.serviceaccount.IAMMember(`${name}-${account}-actas-${target}`, { serviceAccountId: accounts[target].name, role: "roles/iam.serviceAccountUser", member }, parent));
      }
    }
    this.accounts = accounts;
    this.grants = made;
    this.emails = pulumi.output(Object.fromEntries(ACCOUNTS.map((a) => [a, accounts[a].email])) as Record<Account, pulumi.Output<string>>);
    this.registerOutputs({ emails: this.emails });
  }
}
