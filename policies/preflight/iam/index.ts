/**
 * The derived IAM tables (derived.json, as of IAM_AS_OF) as the preflight engine reads them:
 * which permissions a resource operation or a Kubernetes kind needs, and which roles grant them.
 * Regenerate derived.json with `npx tsx policies/preflight/iam/generate.ts` (see README.md).
 */
import { KUBERNETES_KINDS } from "../kubernetes-kinds";
import type { KubernetesKindRule, Operation, ResourceTypeRule } from "../types";
import type { DerivedIam } from "./generate";
import derivedJson from "./derived.json";

/** The date of the IAM snapshot: say "as of" this wherever role contents are shown to users. */
export const IAM_AS_OF = "2026-08-22";

const DERIVED: DerivedIam = derivedJson;

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/** The permissions a REST method checks, as derived; undefined for a method no table names. */
export function methodPermissions(method: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(DERIVED.methods, method) ? DERIVED.methods[method] : undefined;
}

/**
 * What the caller needs for `op` on a resource of this rule: the permissions of its methods plus
 * its extra permissions, sorted and deduplicated. Not `iam.serviceAccounts.actAs`: that depends
 * on the resource's inputs (`runsAs`) and on which account, so the engine adds it per account.
 */
export function permissionsFor(rule: ResourceTypeRule, op: Operation): string[] {
  const permissions: string[] = [];
  for (const method of rule.methods[op]) {
    const derived = methodPermissions(method);
    // derived.json is generated from these very tables; a miss means it was not regenerated.
    if (!derived) throw new Error(`method ${method} is not in derived.json: run npx tsx policies/preflight/iam/generate.ts`);
    permissions.push(...derived);
  }
  permissions.push(...(rule.extraPermissions?.[op] ?? []));
  return sortedUnique(permissions);
}

/** What the caller needs for `op` on an object of this kind (`apps/v1:Deployment`, or the rule itself). */
export function kindPermissions(kind: string | KubernetesKindRule, op: Operation): string[] {
  const rule = typeof kind === "string" ? KUBERNETES_KINDS[kind] : kind;
  if (!rule) throw new Error(`no entry for Kubernetes kind ${String(kind)} in KUBERNETES_KINDS`);
  return sortedUnique(rule.permissions[op]);
}

let grantsByRole: Map<string, ReadonlySet<string>> | undefined;
let narrowestByPermission: Map<string, string> | undefined;

function index(): { grants: Map<string, ReadonlySet<string>>; narrowest: Map<string, string> } {
  if (!grantsByRole || !narrowestByPermission) {
    grantsByRole = new Map();
    narrowestByPermission = new Map();
    // Ties on size go to the alphabetically first role, so the answer never depends on file order.
    const roles = Object.entries(DERIVED.roles).sort(([a, ra], [b, rb]) => ra.size - rb.size || (a < b ? -1 : 1));
    for (const [role, { grants }] of roles) {
      grantsByRole.set(role, new Set(grants));
      for (const permission of grants) if (!narrowestByPermission.has(permission)) narrowestByPermission.set(permission, role);
    }
  }
  return { grants: grantsByRole, narrowest: narrowestByPermission };
}

/**
 * The permissions this predefined role grants among those the tables require (not the role's
 * full contents); undefined for a role the snapshot does not know, or one granting none of them.
 */
export function rolePermissions(role: string): ReadonlySet<string> | undefined {
  return index().grants.get(role);
}

/** The predefined role with the fewest permissions in all that grants `permission` (service agent roles excluded). */
export function narrowestRole(permission: string): string | undefined {
  return index().narrowest.get(permission);
}

/** The title and total size of a role, for messages ("Logs Configuration Writer, 60 permissions"). */
export function roleInfo(role: string): { readonly title: string; readonly size: number } | undefined {
  const entry = Object.prototype.hasOwnProperty.call(DERIVED.roles, role) ? DERIVED.roles[role] : undefined;
  return entry && { title: entry.title, size: entry.size };
}
