/**
 * Derives `derived.json` from the IAM snapshot (../shared/gcp-iam/snapshot.json, a subset of
 * iann0036/iam-dataset): the permissions of the REST methods the preflight tables name, and, for
 * every role that grants some permission the tables require, its size and which of those
 * permissions it grants. Run: `npx tsx policies/preflight/iam/generate.ts [snapshot.json]`.
 *
 * It refuses to write anything while the tables and the snapshot disagree (a method the snapshot
 * does not have, a permission no role grants, an override that no longer describes the
 * snapshot), listing every problem at once.
 */
import * as fs from "node:fs";
import { canonicalJson } from "../../../lib/json";
import * as path from "node:path";
import { KUBERNETES_KINDS } from "../kubernetes-kinds";
import { METHOD_OVERRIDES, type MethodOverride } from "../method-overrides";
import { RESOURCE_TYPES } from "../resource-types";
import type { KubernetesKindRule, Operation, ResourceTypeRule } from "../types";

export const AS_OF = "2026-08-22";
/** Where the snapshot lives relative to the repository root (a sibling checkout of shared data). */
export const DEFAULT_SNAPSHOT = path.resolve(__dirname, "../../../../shared/gcp-iam/snapshot.json");
export const DERIVED_PATH = path.join(__dirname, "derived.json");

/** Actions on a service account the resource runs as; checked whenever a rule has `runsAs`. */
export const ACT_AS = "iam.serviceAccounts.actAs";

const OPERATIONS: readonly Operation[] = ["create", "update", "delete"];

export interface Snapshot {
  readonly source: string;
  readonly roles: Readonly<Record<string, { readonly title: string; readonly includedPermissions: readonly string[] }>>;
  readonly apiMethods: Readonly<Record<string, { readonly methods: Readonly<Record<string, readonly string[]>> }>>;
}

export interface DerivedRole {
  readonly title: string;
  /** How many permissions the role grants in all, so "narrowest" compares whole roles. */
  readonly size: number;
  /** The permissions the tables require that the role grants. */
  readonly grants: readonly string[];
}

export interface DerivedIam {
  readonly source: string;
  readonly asOf: string;
  readonly methods: Readonly<Record<string, readonly string[]>>;
  readonly roles: Readonly<Record<string, DerivedRole>>;
}

export interface Tables {
  readonly resourceTypes: Readonly<Record<string, ResourceTypeRule>>;
  readonly kinds: Readonly<Record<string, KubernetesKindRule>>;
  readonly overrides: Readonly<Record<string, MethodOverride>>;
}

export const TABLES: Tables = { resourceTypes: RESOURCE_TYPES, kinds: KUBERNETES_KINDS, overrides: METHOD_OVERRIDES };

/**
 * Service agent roles are for Google's own agents ("don't grant service agent roles to any
 * principals except service agents"); left out so "narrowest role" never suggests one (e.g.
 * roles/gkehub.crossProjectServiceAgent holds resourcemanager.projects.setIamPolicy in 2
 * permissions).
 */
export function isServiceAgentRole(role: string): boolean {
  return /[sS]erviceAgent$/.test(role);
}

export class DerivationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the preflight tables and the IAM snapshot disagree (${problems.length}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "DerivationError";
  }
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

function snapshotMethod(snapshot: Snapshot, method: string): readonly string[] | undefined {
  // Method ids start with the API map's key: `container.projects.locations.clusters.create`.
  return snapshot.apiMethods[method.split(".")[0]]?.methods[method];
}

/** Every method the tables name, with the places naming it (for messages). */
function namedMethods(tables: Tables): Map<string, string[]> {
  const named = new Map<string, string[]>();
  for (const [type, rule] of Object.entries(tables.resourceTypes)) {
    for (const op of OPERATIONS) {
      for (const method of rule.methods[op]) named.set(method, [...(named.get(method) ?? []), `${type} ${op}`]);
    }
  }
  return named;
}

function checkOverride(method: string, override: MethodOverride, mapped: readonly string[] | undefined): string | undefined {
  const where = `override of ${method} (dataset: "${override.dataset}")`;
  switch (override.dataset) {
    case "absent":
      return mapped === undefined ? undefined : `${where}: the snapshot now has the method (→ ${JSON.stringify(mapped)}); drop or reclassify the override`;
    case "unmapped":
      if (mapped === undefined) return `${where}: the snapshot has no such method; use "absent" or check the name`;
      return mapped.length === 0 ? undefined : `${where}: the snapshot now maps it to ${JSON.stringify(mapped)}; drop the override if that is right`;
    case "wrong":
      if (mapped === undefined) return `${where}: the snapshot has no such method; use "absent" or check the name`;
      if (mapped.length === 0) return `${where}: the snapshot maps it to nothing; use "unmapped"`;
      return JSON.stringify(sorted(mapped)) === JSON.stringify(sorted(override.permissions))
        ? `${where}: the snapshot now maps it to the same permissions; drop the override`
        : undefined;
  }
}

/** The derived tables, or a DerivationError listing every disagreement. Pure: no I/O. */
export function derive(snapshot: Snapshot, tables: Tables = TABLES): DerivedIam {
  const problems: string[] = [];
  const methods: Record<string, string[]> = {};

  const named = namedMethods(tables);
  for (const [method, usedBy] of [...named].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const mapped = snapshotMethod(snapshot, method);
    const override = tables.overrides[method];
    if (override) {
      const problem = checkOverride(method, override, mapped);
      if (problem) problems.push(problem);
      methods[method] = sorted(override.permissions);
    } else if (mapped === undefined) {
      problems.push(`${method} (used by ${usedBy.join(", ")}) is not in the snapshot: a typo, or a method to list in METHOD_OVERRIDES`);
    } else if (mapped.length === 0) {
      problems.push(`${method} (used by ${usedBy.join(", ")}) maps to no permission in the snapshot: list what it checks in METHOD_OVERRIDES`);
    } else {
      methods[method] = sorted(mapped);
    }
  }
  for (const method of Object.keys(tables.overrides).sort()) {
    if (!named.has(method)) problems.push(`override of ${method} is used by no table entry; drop it`);
  }

  // Where each required permission comes from, for messages.
  const required = new Map<string, string>();
  const need = (permission: string, from: string) => {
    if (!required.has(permission)) required.set(permission, from);
  };
  for (const [method, permissions] of Object.entries(methods)) for (const p of permissions) need(p, `method ${method}`);
  for (const [type, rule] of Object.entries(tables.resourceTypes)) {
    for (const op of OPERATIONS) for (const p of rule.extraPermissions?.[op] ?? []) need(p, `${type} extraPermissions.${op}`);
  }
  for (const [kind, rule] of Object.entries(tables.kinds)) {
    for (const op of OPERATIONS) for (const p of rule.permissions[op]) need(p, `${kind} ${op}`);
  }
  need(ACT_AS, "runsAs");

  const granted = new Set<string>();
  for (const role of Object.values(snapshot.roles)) for (const p of role.includedPermissions) granted.add(p);
  for (const [permission, from] of [...required].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!granted.has(permission)) problems.push(`${permission} (from ${from}) is granted by no role in the snapshot: a typo, or a misnamed permission`);
  }

  if (problems.length > 0) throw new DerivationError(problems);

  const roles: Record<string, DerivedRole> = {};
  for (const name of Object.keys(snapshot.roles).sort()) {
    if (isServiceAgentRole(name)) continue;
    const role = snapshot.roles[name];
    const grants = sorted(role.includedPermissions.filter((p) => required.has(p)));
    if (grants.length > 0) roles[name] = { title: role.title, size: new Set(role.includedPermissions).size, grants };
  }
  return { source: snapshot.source, asOf: AS_OF, methods, roles };
}

/** The file's exact text: sorted keys, two-space indentation, a trailing newline. */
export function render(derived: DerivedIam): string {
  return canonicalJson(derived);
}

export function readSnapshot(file: string): Snapshot {
  return JSON.parse(fs.readFileSync(file, "utf8")) as Snapshot;
}

function main(argv: readonly string[]): number {
  const file = path.resolve(argv[0] ?? DEFAULT_SNAPSHOT);
  if (!fs.existsSync(file)) {
    console.error(`no IAM snapshot at ${file}; pass its path as the first argument`);
    return 2;
  }
  let derived: DerivedIam;
  try {
    derived = derive(readSnapshot(file));
  } catch (err) {
    if (err instanceof DerivationError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  fs.writeFileSync(DERIVED_PATH, render(derived));
  console.log(`wrote ${path.relative(process.cwd(), DERIVED_PATH)}: ${Object.keys(derived.methods).length} methods, ${Object.keys(derived.roles).length} roles (as of ${derived.asOf})`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
