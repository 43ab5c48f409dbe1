import * as fs from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { GRANTS } from "../../infra/platform/service-accounts";
import type { Plan, PlannedResource } from "../../lib/plan";
import { IAM_AS_OF, kindPermissions, methodPermissions, narrowestRole, permissionsFor, roleInfo, rolePermissions } from "../../policies/preflight/iam";
import derivedJson from "../../policies/preflight/iam/derived.json";
import { ACT_AS, DEFAULT_SNAPSHOT, DERIVED_PATH, DerivationError, TABLES, derive, isServiceAgentRole, readSnapshot, render, type Snapshot } from "../../policies/preflight/iam/generate";
import { KUBERNETES_KINDS } from "../../policies/preflight/kubernetes-kinds";
import { METHOD_OVERRIDES } from "../../policies/preflight/method-overrides";
import { RESOURCE_TYPES } from "../../policies/preflight/resource-types";
import type { Operation } from "../../policies/preflight/types";
import { renderCommitted } from "../helpers/render";

const OPS: readonly Operation[] = ["create", "update", "delete"];

// The snapshot is shared reference data beside the checkout, not part of the repository: the
// checks that regenerate from it run only where it is present.
const HAVE_SNAPSHOT = fs.existsSync(DEFAULT_SNAPSHOT);
const NO_SNAPSHOT = `needs the IAM snapshot at ${DEFAULT_SNAPSHOT} (../shared), absent here`;
let snapshot: Snapshot | undefined;
const theSnapshot = (): Snapshot => (snapshot ??= readSnapshot(DEFAULT_SNAPSHOT));

/** Values at a dot path with `[]` for "every element", as `runsAs` paths are written. */
function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const part of path.split(".")) {
    const each = part.endsWith("[]");
    const key = each ? part.slice(0, -2) : part;
    current = current.flatMap((v) => {
      const next = v !== null && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
      if (next === undefined) return [];
      return each ? (Array.isArray(next) ? next : []) : [next];
    });
  }
  return current;
}

/**
 * Which types the program creates is decided by the program and the committed stack files
 * together (a model served on GKE adds Gateways, prod adds certificates), so the committed stacks
 * are rendered, the same way `llmops plan` and test/policies/stacks.test.ts do: one forked worker
 * per stack. A hand-kept list of types would pass while going stale, and grepping infra/ for
 * constructors misses types built from data (custom resources) and parameterised ones.
 */
describe("the tables against the committed stacks", () => {
  let plans: Plan[];
  let resources: PlannedResource[];

  beforeAll(async () => {
    plans = Object.values(await renderCommitted("dev", "prod"));
    resources = plans.flatMap((p) => p.resources);
  }, 180_000);

  const custom = (r: PlannedResource) => !r.type.startsWith("llmops:") && !r.type.startsWith("pulumi:providers:") && !r.type.startsWith("kubernetes:");
  const kindOf = (type: string) => type.slice("kubernetes:".length);

  it("have an entry for every custom resource type and every Kubernetes kind in either plan", () => {
    const types = [...new Set(resources.filter(custom).map((r) => r.type))].sort();
    const kinds = [...new Set(resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => kindOf(r.type)))].sort();
    expect(types.filter((t) => !RESOURCE_TYPES[t])).toEqual([]);
    expect(kinds.filter((k) => !KUBERNETES_KINDS[k])).toEqual([]);
  });

  it("have no entry for a type neither plan has (stale entries carry stale research)", () => {
    const types = new Set(resources.map((r) => r.type));
    expect(Object.keys(RESOURCE_TYPES).filter((t) => !types.has(t))).toEqual([]);
    expect(Object.keys(KUBERNETES_KINDS).filter((k) => !types.has(`kubernetes:${k}`))).toEqual([]);
  });

  it("name runsAs paths that hold a service account email in every planned resource of the type", () => {
    const bad: string[] = [];
    for (const r of resources) {
      for (const path of RESOURCE_TYPES[r.type]?.runsAs ?? []) {
        const values = valuesAt(r.inputs, path);
        if (values.length === 0 || !values.every((v) => typeof v === "string" && /^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(v))) {
          bad.push(`${r.name} ${path}: ${JSON.stringify(values)}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  // The entries that say "not providerRegion" because a region or location input decides the
  // URL: that holds only while the program keeps setting it.
  const REGION_FROM_INPUT: Readonly<Record<string, string>> = {
    "gcp:vertex/aiEndpoint:AiEndpoint": "region",
    "gcp:compute/subnetwork:Subnetwork": "region",
    "gcp:compute/router:Router": "region",
    "gcp:compute/routerNat:RouterNat": "region",
    "gcp:artifactregistry/repository:Repository": "location",
  };

  it("set the region input the non-providerRegion entries rely on", () => {
    const missing = resources.filter((r) => REGION_FROM_INPUT[r.type] && typeof r.inputs[REGION_FROM_INPUT[r.type]] !== "string").map((r) => r.name);
    expect(missing).toEqual([]);
    for (const type of Object.keys(REGION_FROM_INPUT)) expect(RESOURCE_TYPES[type].providerRegion).toBeUndefined();
  });

  it("mark the colab schedule providerRegion: its encoder takes the provider's region whatever the inputs", () => {
    expect(RESOURCE_TYPES["gcp:colab/schedule:Schedule"].providerRegion).toBe(true);
    const schedules = resources.filter((r) => r.type === "gcp:colab/schedule:Schedule");
    expect(schedules.length).toBeGreaterThan(0);
    for (const s of schedules) expect(s.inputs.region).toBeUndefined();
  });
});

describe("sources", () => {
  const rules: [string, { readonly sources: readonly string[] }][] = [
    ...Object.entries(RESOURCE_TYPES),
    ...Object.entries(KUBERNETES_KINDS),
    ...Object.entries(METHOD_OVERRIDES),
  ];

  it("every entry cites at least one https source, and only https URLs", () => {
    const bad = rules.filter(([, r]) => r.sources.length === 0 || !r.sources.every((s) => /^https:\/\/[^\s]+$/.test(s))).map(([k]) => k);
    expect(bad).toEqual([]);
  });
});

describe("derived.json", () => {
  it("has every method the resource types name", () => {
    const missing = Object.entries(RESOURCE_TYPES).flatMap(([type, rule]) => OPS.flatMap((op) => rule.methods[op].filter((m) => !methodPermissions(m)).map((m) => `${type} ${op}: ${m}`)));
    expect(missing).toEqual([]);
  });

  it("is dated as the loader says", () => {
    expect(derivedJson.asOf).toBe(IAM_AS_OF);
  });

  it("has a role granting every permission the tables require (typos would have none)", () => {
    const required = new Set<string>([ACT_AS]);
    for (const rule of Object.values(RESOURCE_TYPES)) for (const op of OPS) permissionsFor(rule, op).forEach((p) => required.add(p));
    for (const kind of Object.keys(KUBERNETES_KINDS)) for (const op of OPS) kindPermissions(kind, op).forEach((p) => required.add(p));
    expect([...required].filter((p) => !narrowestRole(p)).sort()).toEqual([]);
  });

  it("leaves out service agent roles", () => {
    expect(Object.keys(derivedJson.roles).filter(isServiceAgentRole)).toEqual([]);
  });

  it.skipIf(!HAVE_SNAPSHOT)(`is exactly what the generator writes from the snapshot (${HAVE_SNAPSHOT ? "present" : NO_SNAPSHOT})`, () => {
    expect(fs.readFileSync(DERIVED_PATH, "utf8")).toBe(render(derive(theSnapshot())));
  });
});

describe("the generator", () => {
  it.skipIf(!HAVE_SNAPSHOT)("refuses a method the snapshot does not have", () => {
    const typo = { ...RESOURCE_TYPES, "test:typo": { api: "storage.googleapis.com", methods: { create: ["storage.buckets.insrt"], update: [], delete: [] }, sources: ["https://example.com"] } };
    expect(() => derive(theSnapshot(), { ...TABLES, resourceTypes: typo })).toThrow(/storage\.buckets\.insrt \(used by test:typo create\) is not in the snapshot/);
  });

  it.skipIf(!HAVE_SNAPSHOT)("refuses a permission no role grants", () => {
    const typo = { ...KUBERNETES_KINDS, "test/v1:Typo": { permissions: { create: ["container.deploymnts.create"], update: [], delete: [] }, installedBy: { by: "builtin" as const }, sources: ["https://example.com"] } };
    expect(() => derive(theSnapshot(), { ...TABLES, kinds: typo })).toThrow(/container\.deploymnts\.create \(from test\/v1:Typo create\) is granted by no role/);
  });

  it.skipIf(!HAVE_SNAPSHOT)("refuses an override that no longer describes the snapshot, and one nothing uses", () => {
    const overrides = {
      ...METHOD_OVERRIDES,
      "storage.buckets.insert": { dataset: "absent" as const, permissions: ["storage.buckets.create"], why: "test", sources: ["https://example.com"] },
      "storage.buckets.lockRetentionPolicy": { dataset: "wrong" as const, permissions: ["storage.buckets.update"], why: "test", sources: ["https://example.com"] },
    };
    let error: unknown;
    try {
      derive(theSnapshot(), { ...TABLES, overrides });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DerivationError);
    expect((error as DerivationError).problems).toEqual([
      'override of storage.buckets.insert (dataset: "absent"): the snapshot now has the method (→ ["storage.buckets.create"]); drop or reclassify the override',
      "override of storage.buckets.lockRetentionPolicy is used by no table entry; drop it",
    ]);
  });

  it.skipIf(!HAVE_SNAPSHOT)("keeps every non-service-agent role that grants a required permission, with its full size", () => {
    const s = theSnapshot();
    const derived = derive(s);
    const required = new Set(Object.values(derived.roles).flatMap((r) => r.grants));
    const expected = Object.keys(s.roles)
      .filter((role) => !isServiceAgentRole(role) && s.roles[role].includedPermissions.some((p) => required.has(p)))
      .sort();
    expect(Object.keys(derived.roles)).toEqual(expected);
    expect(derived.roles["roles/logging.configWriter"].size).toBe(new Set(s.roles["roles/logging.configWriter"].includedPermissions).size);
  });
});

describe("the loader", () => {
  it("derives a rule's permissions from its methods plus its extra permissions, sorted and deduplicated", () => {
    // A router NAT reads and patches its router on every operation: one permission each, once.
    expect(permissionsFor(RESOURCE_TYPES["gcp:compute/routerNat:RouterNat"], "create")).toEqual(["compute.regionOperations.get", "compute.routers.get", "compute.routers.update"]);
    const kfp = permissionsFor(RESOURCE_TYPES["pulumi-nodejs:dynamic/artifactregistry:KfpTemplate"], "update");
    expect(kfp).toEqual(["artifactregistry.kfpartifacts.create", "artifactregistry.tags.create", "artifactregistry.tags.update"]);
    expect(permissionsFor(RESOURCE_TYPES["pulumi-nodejs:dynamic/artifactregistry:KfpTemplate"], "delete")).toEqual([]);
  });

  it("uses the overrides where the dataset is wrong or silent", () => {
    expect(permissionsFor(RESOURCE_TYPES["gcp:iam/workloadIdentityPool:WorkloadIdentityPool"], "create")).toEqual([
      "iam.googleapis.com/workloadIdentityPools.create",
      "iam.googleapis.com/workloadIdentityPools.get",
    ]);
    expect(permissionsFor(RESOURCE_TYPES["gcp:modelarmor/template:Template"], "update")).toEqual(["modelarmor.templates.get", "modelarmor.templates.update"]);
    expect(permissionsFor(RESOURCE_TYPES["pulumi-nodejs:dynamic/vertex:EndpointDeployment"], "create")).toEqual([
      "aiplatform.endpoints.deploy",
      "aiplatform.endpoints.get",
      "aiplatform.endpoints.undeploy",
      "aiplatform.endpoints.update",
      "aiplatform.models.get",
      "aiplatform.operations.list", // operations already running on the endpoint are waited for
    ]);
  });

  it("gives Kubernetes kinds by key, applied with server-side apply", () => {
    expect(kindPermissions("apps/v1:Deployment", "create")).toEqual([
      "container.deployments.create",
      "container.deployments.get",
      "container.deployments.list",
      "container.deployments.update",
      "container.persistentVolumeClaims.list",
      "container.pods.list",
      "container.replicaSets.list",
    ]);
    expect(kindPermissions("rbac.authorization.k8s.io/v1:ClusterRoleBinding", "create")).toContain("container.clusterRoles.bind");
    expect(() => kindPermissions("apps/v1:Nope", "create")).toThrow(/no entry for Kubernetes kind apps\/v1:Nope/);
  });

  it("finds the narrowest predefined role as the data has it", () => {
    // Logs Configuration Writer (60 permissions) is the smallest role with logging.logMetrics.create.
    expect(narrowestRole("logging.logMetrics.create")).toBe("roles/logging.configWriter");
    expect(roleInfo("roles/logging.configWriter")).toEqual({ title: "Logs Configuration Writer", size: 60 });
    expect(narrowestRole(ACT_AS)).toBe("roles/iam.serviceAccountUser");
    expect(narrowestRole("container.thirdPartyObjects.create")).toBe("roles/container.developer");
    expect(narrowestRole("no.such.permission")).toBeUndefined();
  });

  it("lets Kubernetes Engine Admin cover every kind, and Developer every kind but RBAC", () => {
    const admin = rolePermissions("roles/container.admin");
    const developer = rolePermissions("roles/container.developer");
    const rbac = (kind: string) => kind.startsWith("rbac.authorization.k8s.io/");
    for (const [kind, rule] of Object.entries(KUBERNETES_KINDS)) {
      for (const op of OPS) {
        for (const p of kindPermissions(rule, op)) {
          expect(admin?.has(p), `${kind} ${op} ${p} in roles/container.admin`).toBe(true);
          if (!rbac(kind)) expect(developer?.has(p), `${kind} ${op} ${p} in roles/container.developer`).toBe(true);
        }
      }
    }
  });
});

describe("the deployer's roles (infra/platform/service-accounts.ts)", () => {
  it("are all in derived.json: each grants some permission the tables require", () => {
    expect(GRANTS.deployer.project.filter((role) => !rolePermissions(role))).toEqual([]);
  });

  it.skipIf(!HAVE_SNAPSHOT)("are in derived.json exactly when the snapshot says they grant a required permission", () => {
    const s = theSnapshot();
    const required = new Set(Object.values(derive(s).roles).flatMap((r) => r.grants));
    for (const role of GRANTS.deployer.project) {
      const grantsRequired = (s.roles[role]?.includedPermissions ?? []).some((p) => required.has(p));
      expect(rolePermissions(role) !== undefined, role).toBe(grantsRequired);
    }
  });
});
