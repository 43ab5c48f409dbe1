import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { BucketRole } from "../config";

/** The identities workloads run as. None has a key; CI reaches its own through federation. */
export const ACCOUNTS = ["pipelines", "serving", "deployer"] as const;
export type Account = (typeof ACCOUNTS)[number];

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
    project: [
      "roles/aiplatform.admin",
      "roles/artifactregistry.admin",
      "roles/iam.serviceAccountAdmin",
      "roles/iam.workloadIdentityPoolAdmin",
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

/** The email an account will have: known before it exists, so it can feed ids and previews. */
export function accountEmail(project: string, environment: string, account: Account): string {
  return `llmops-${account}-${environment}@${project}.iam.gserviceaccount.com`;
}

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
    for (const account of ACCOUNTS) {
      const grants = GRANTS[account];
      const member = accounts[account].member;
      const parent = { parent: accounts[account] };
      for (const role of [...grants.project, ...(args.extraProjectRoles?.[account] ?? [])]) {
        new gcp.projects.IAMMember(`${name}-${account}-${short(role)}`, { project: args.project, role, member }, parent);
      }
      for (const [bucketRole, roles] of Object.entries(grants.buckets) as [BucketRole, readonly string[]][]) {
        for (const role of roles) {
          new gcp.storage.BucketIAMMember(`${name}-${account}-${bucketRole}-${short(role)}`, { bucket: args.buckets[bucketRole].name, role, member }, parent);
        }
      }
      for (const [repoName, repo, roles] of [["images", args.images, grants.images], ["pipelines", args.pipelines, grants.pipelines]] as const) {
        for (const role of roles) {
          new gcp.artifactregistry.RepositoryIamMember(
            `${name}-${account}-${repoName}-${short(role)}`,
            { project: args.project, location: repo.location, repository: repo.name, role, member },
            parent,
          );
        }
      }
      for (const target of grants.actAs) {
        new gcp.serviceaccount.IAMMember(
          `${name}-${account}-actas-${target}`,
          { serviceAccountId: accounts[target].name, role: "roles/iam.serviceAccountUser", member },
          parent,
        );
      }
    }
    this.accounts = accounts;
    this.emails = pulumi.output(Object.fromEntries(ACCOUNTS.map((a) => [a, accounts[a].email])) as Record<Account, pulumi.Output<string>>);
    this.registerOutputs({ emails: this.emails });
  }
}
