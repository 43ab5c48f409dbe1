import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";

export interface CiFederationArgs {
  readonly project: string;
  readonly environment: string;
  /** `owner/name`: the only repository whose workflows may deploy. */
  readonly repository: string;
  /** Branches allowed to deploy. @default any branch of the repository */
  readonly branches?: readonly string[];
  /** The account CI impersonates. */
  readonly deployer: gcp.serviceaccount.Account;
}

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/**
 * Keyless deploys from GitHub Actions: a workload identity pool and an OIDC provider whose
 * attribute condition admits tokens from one repository only, allowed to impersonate the CI
 * deployer. No service-account key exists anywhere.
 */
export class CiFederation extends pulumi.ComponentResource {
  public readonly pool: gcp.iam.WorkloadIdentityPool;
  public readonly provider: gcp.iam.WorkloadIdentityPoolProvider;
  /** The provider's full name, for `google-github-actions/auth`'s `workload_identity_provider`. */
  public readonly providerName: pulumi.Output<string>;

  constructor(name: string, args: CiFederationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:platform:CiFederation", name, {}, opts);
    this.pool = new gcp.iam.WorkloadIdentityPool(
      `${name}-pool`,
      {
        project: args.project,
        workloadIdentityPoolId: `llmops-ci-${args.environment}`,
        displayName: `LLMOps CI (${args.environment})`,
        description: `GitHub Actions of ${args.repository}`,
      },
      childOf(this, opts),
    );
    const conditions = [`assertion.repository == "${args.repository}"`];
    if (args.branches?.length) {
      conditions.push(`assertion.ref in [${args.branches.map((b) => `"refs/heads/${b}"`).join(", ")}]`);
    }
    this.provider = new gcp.iam.WorkloadIdentityPoolProvider(
      `${name}-github`,
      {
        project: args.project,
        workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
        workloadIdentityPoolProviderId: "github",
        displayName: "GitHub Actions",
        // Without a condition any GitHub repository could mint tokens for this pool.
        attributeCondition: conditions.join(" && "),
        attributeMapping: {
          "google.subject": "assertion.sub",
          "attribute.repository": "assertion.repository",
          "attribute.ref": "assertion.ref",
        },
        oidc: { issuerUri: GITHUB_ISSUER },
      },
      childOf(this, opts),
    );
    new gcp.serviceaccount.IAMMember(
      `${name}-deployer-wif`,
      {
        serviceAccountId: args.deployer.name,
        role: "roles/iam.workloadIdentityUser",
        member: pulumi.interpolate`principalSet://iam.googleapis.com/${this.pool.name}/attribute.repository/${args.repository}`,
      },
      childOf(this, opts),
    );
    this.providerName = this.provider.name;
    this.registerOutputs({ providerName: this.providerName });
  }
}
