import type { PlannedResource } from "../../../lib/plan";
import { asArray, asString, isRecord } from "../../lib/values";
import type { PreflightRule } from "../check";
import type { PlanGraph } from "../graph";
import { IAM_AS_OF, kindPermissions, narrowestRole, permissionsFor, rolePermissions } from "../iam";
import { KUBERNETES_KINDS } from "../kubernetes-kinds";
import { RESOURCE_TYPES } from "../resource-types";
import type { Operation } from "../types";
import { kindOf } from "./apis";

const OPERATIONS: readonly Operation[] = ["create", "update", "delete"];
const PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember";
const ACCOUNT_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
const ACCOUNT = "gcp:serviceaccount/account:Account";
const ACT_AS = "iam.serviceAccounts.actAs";
const ACT_AS_DOC = "https://cloud.google.com/iam/docs/service-accounts-actas";
const GRANTS_FILE = "GRANTS.deployer in infra/platform/service-accounts.ts";

/**
 * The Kubernetes provider authenticates with `gke-gcloud-auth-plugin`, which needs the caller to
 * read the cluster (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin,
 * "To run kubectl commands ... container.clusters.get").
 */
const PROVIDER_PERMISSIONS: Readonly<Record<string, readonly string[]>> = { "pulumi:providers:kubernetes": ["container.clusters.get"] };

export interface Deployer {
  readonly email: string;
  /** The federation grant that makes it CI's identity. */
  readonly via: PlannedResource;
}

/**
 * The identity CI deploys as: the service account that a workload identity pool's principals may
 * impersonate (`roles/iam.workloadIdentityUser` for a `principalSet://` member). Undefined when the
 * stack has no CI federation: whoever runs `pulumi up` then brings their own rights.
 */
export function findDeployer(graph: PlanGraph): Deployer | undefined {
  for (const r of graph.ofType(ACCOUNT_MEMBER)) {
    const member = asString(r.inputs.member) ?? "";
    if (asString(r.inputs.role) !== "roles/iam.workloadIdentityUser" || !member.startsWith("principalSet://")) continue;
    const email = emailOfAccountId(asString(r.inputs.serviceAccountId));
    if (email) return { email, via: r };
  }
  return undefined;
}

/** `projects/P/serviceAccounts/EMAIL` (or a bare email) → the email. */
export function emailOfAccountId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const email = id.split("/").pop()!;
  return email.includes("@") ? email : undefined;
}

/** The project a resource acts in, when its inputs say so (`project`, or `projects/P/...` names). */
function projectOf(r: PlannedResource): string | undefined {
  const direct = asString(r.inputs.project);
  if (direct) return direct;
  for (const key of ["cryptoKeyId", "serviceAccountId", "name", "parent"]) {
    const m = /^projects\/([^/]+)\//.exec(asString(r.inputs[key]) ?? "");
    if (m && !/^\d+$/.test(m[1])) return m[1];
  }
  return undefined;
}

export function requiredPermissions(r: PlannedResource, ops: readonly Operation[] = OPERATIONS): string[] {
  const rule = RESOURCE_TYPES[r.type];
  const kind = kindOf(r.type);
  const out = new Set<string>();
  for (const op of ops) {
    if (rule) permissionsFor(rule, op).forEach((p) => out.add(p));
    else if (kind && KUBERNETES_KINDS[kind]) kindPermissions(kind, op).forEach((p) => out.add(p));
  }
  (PROVIDER_PERMISSIONS[r.type] ?? []).forEach((p) => out.add(p));
  return [...out].sort();
}

/** Project roles granted to `email` in this plan, and the permissions they hold. */
function projectGrants(graph: PlanGraph, email: string): { roles: string[]; permissions: Set<string>; unknownRoles: string[] } {
  const member = `serviceAccount:${email}`;
  const roles = graph
    .ofType(PROJECT_MEMBER)
    .filter((g) => asString(g.inputs.member) === member && asString(g.inputs.project) === graph.project)
    .map((g) => asString(g.inputs.role))
    .filter((role): role is string => role !== undefined);
  const permissions = new Set<string>();
  const unknownRoles: string[] = [];
  for (const role of roles) {
    const granted = rolePermissions(role);
    if (granted) granted.forEach((p) => permissions.add(p));
    else unknownRoles.push(role);
  }
  return { roles, permissions, unknownRoles };
}

/** "roles/a (x, y), roles/b (z)": the narrowest predefined role for each missing permission. */
export function suggestRoles(missing: readonly string[]): string {
  const byRole = new Map<string, string[]>();
  for (const p of missing) {
    const role = narrowestRole(p) ?? "no predefined role (custom role needed)";
    byRole.set(role, [...(byRole.get(role) ?? []), p]);
  }
  return [...byRole.entries()].map(([role, ps]) => `${role} (${ps.join(", ")})`).join("; ");
}

/**
 * The CI deployer must be able to create, update and delete everything the stack declares: each
 * resource type's calls check the permissions in the tables (derived from the IAM dataset as of
 * 2026-08-22), and the deployer holds only the project roles the stack grants it. Resources in
 * another project (a KMS key of a security project) need rights there, which this stack cannot
 * grant: those are warnings to settle with that project's owners before the first `pulumi up`.
 */
export const deployerPermissions: PreflightRule = {
  id: "deployer-permissions",
  summary: `the CI deployer's project roles hold every permission each resource's create, update and delete check (IAM as of ${IAM_AS_OF})`,
  check(ctx) {
    const deployer = findDeployer(ctx.graph);
    if (!deployer) return;
    const granted = projectGrants(ctx.graph, deployer.email);
    for (const role of granted.unknownRoles) {
      ctx.report("warning", deployer.via, `the deployer is granted ${role}, which the IAM snapshot (as of ${IAM_AS_OF}) does not know, so its permissions are not counted.`, "policies/preflight/iam/README.md");
    }
    for (const r of ctx.graph.resources) {
      const needed = requiredPermissions(r);
      if (needed.length === 0) continue;
      const missing = needed.filter((p) => !granted.permissions.has(p));
      if (missing.length === 0) continue;
      const source = RESOURCE_TYPES[r.type]?.sources[0] ?? KUBERNETES_KINDS[kindOf(r.type) ?? ""]?.sources[0] ?? "https://cloud.google.com/iam/docs/roles-permissions";
      const project = projectOf(r);
      if (project && ctx.graph.project && project !== ctx.graph.project) {
        ctx.report("warning", r, `acts in project ${project}, where the deployer ${deployer.email} needs ${missing.join(", ")}; this stack cannot grant that. Ask ${project}'s owners for ${suggestRoles(missing)} on the resource, or make this change there.`, source);
        continue;
      }
      ctx.report("error", r, `the CI deployer ${deployer.email} lacks ${missing.join(", ")} (IAM as of ${IAM_AS_OF}), so pulumi up in CI fails on it. Grant ${suggestRoles(missing)} in ${GRANTS_FILE}.`, source);
    }
  },
};

/** Values at a table path: `a.b` or `list[].field`. */
export function valuesAt(inputs: unknown, path: string): unknown[] {
  let current: unknown[] = [inputs];
  for (const part of path.split(".")) {
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    current = current.flatMap((v) => {
      const next = isRecord(v) ? v[key] : undefined;
      return list ? [...asArray(next)] : [next];
    });
  }
  return current.filter((v) => v !== undefined);
}

/** Service accounts a resource runs as, by email. */
export function runsAs(r: PlannedResource): string[] {
  const paths = RESOURCE_TYPES[r.type]?.runsAs ?? [];
  const emails = paths.flatMap((p) => valuesAt(r.inputs, p)).map((v) => asString(v));
  return [...new Set(emails.filter((e): e is string => e !== undefined && e.includes("@")))].sort();
}

function accountOf(graph: PlanGraph, email: string): PlannedResource | undefined {
  const [id, domain] = email.split("@");
  return graph.ofType(ACCOUNT).find((a) => asString(a.inputs.accountId) === id && domain === `${asString(a.inputs.project) ?? graph.project}.iam.gserviceaccount.com`);
}

/** Grants on account `email` (resource-level) that give `member` a role including actAs. */
function actAsGrants(graph: PlanGraph, email: string, member: string): PlannedResource[] {
  return graph.ofType(ACCOUNT_MEMBER).filter((g) => {
    const role = asString(g.inputs.role);
    return emailOfAccountId(asString(g.inputs.serviceAccountId)) === email && asString(g.inputs.member) === member && role !== undefined && (rolePermissions(role)?.has(ACT_AS) ?? false);
  });
}

/**
 * Creating anything that runs as a service account (a node pool, a deployed model, a scheduled
 * pipeline) checks that the caller may act as it; the grant is a resource of this stack, so the
 * resource also waits for it (and for the account itself).
 */
export const deployerActAs: PreflightRule = {
  id: "deployer-act-as",
  summary: "the CI deployer may act as every service account a resource runs as, and the resource waits for that grant",
  check(ctx) {
    const deployer = findDeployer(ctx.graph);
    const projectActAs = deployer ? projectGrants(ctx.graph, deployer.email).permissions.has(ACT_AS) : false;
    for (const r of ctx.graph.resources) {
      for (const email of runsAs(r)) {
        const account = accountOf(ctx.graph, email);
        if (account) ctx.requireWait(r, [account], `runs as ${email}`, "Make it depend on the account.", ACT_AS_DOC);
        if (!deployer || projectActAs) continue;
        const grants = actAsGrants(ctx.graph, email, `serviceAccount:${deployer.email}`);
        if (grants.length === 0) {
          ctx.report("error", r, `runs as ${email}, and the CI deployer ${deployer.email} may not act as it (${ACT_AS}): the create fails with 403. Grant the deployer roles/iam.serviceAccountUser on that account (GRANTS.deployer.actAs, or the account's owner).`, ACT_AS_DOC);
          continue;
        }
        ctx.requireWait(r, grants, `runs as ${email}, which needs the deployer's actAs grant`, "Make it depend on that grant (ServiceAccounts exposes each account's grants).", ACT_AS_DOC);
      }
    }
  },
};

const RUNS_AS_DOC = "https://cloud.google.com/vertex-ai/docs/general/custom-service-account";

/**
 * Creating a workload that runs as an account (a deployed model loading its weights and image, a
 * node pulling images) fails or stalls when the account's grants are not yet in place: such
 * resources wait for every grant the plan makes to their account.
 */
export const runsAsGrants: PreflightRule = {
  id: "runs-as-grants",
  summary: "a resource that starts a workload waits for every grant the stack makes to the account it runs as",
  check(ctx) {
    const memberGrants = ctx.graph.resources.filter((g) => /IAMMember|IamMember/.test(g.type));
    for (const r of ctx.graph.resources) {
      if (!RESOURCE_TYPES[r.type]?.startsWorkload) continue;
      for (const email of runsAs(r)) {
        for (const grant of memberGrants.filter((g) => asString(g.inputs.member) === `serviceAccount:${email}`)) {
          ctx.requireWait(r, [grant], `starts a workload as ${email}, which needs ${asString(grant.inputs.role)} (${grant.name})`, "Make it depend on the account's grants.", RUNS_AS_DOC);
        }
      }
    }
  },
};
