import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { classify } from "../../cli/diff/classify";
import { parsePath } from "../../cli/diff/properties";
import { ENDPOINT_DEPLOYMENT, KFP_TEMPLATE, MODEL_VERSION, PROPERTY_RULES, rulesFor } from "../../cli/diff/replacements";
import { diffEndpointDeployment } from "../../infra/models/providers/endpoint-diff";
import type { EndpointDeploymentOutputs } from "../../infra/models/providers/endpoint-deployment-types";
import { modelVersionProvider } from "../../infra/models/providers/model-version";
import type { ModelVersionInputs } from "../../infra/models/providers/model-version-types";
import type { Plan, PlannedResource } from "../../lib/plan";
import { ROOT } from "../helpers/project";

const NODE_POOL = "gcp:container/nodePool:NodePool";

function resource(type: string, name: string, inputs: Record<string, unknown>, ignoreChanges: string[] = []): PlannedResource {
  return { urn: `urn:pulumi:prod::llmops::${type}::${name}`, type, name, parent: null, inputs, options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges } };
}

const plan = (...resources: PlannedResource[]): Plan => ({ project: "llmops", stack: "prod", resources, outputs: {} });

/** The action Pulumi would take when `before` becomes `after` (inputs of one resource of `type`). */
function actionOf(type: string, before: Record<string, unknown>, after: Record<string, unknown>, ignoreChanges: string[] = []) {
  const changes = classify(plan(resource(type, "r", before, ignoreChanges)), plan(resource(type, "r", after, ignoreChanges)));
  return changes.length === 0 ? { action: "none", reasons: [] as string[] } : { action: changes[0].action, reasons: changes[0].replaceReasons.map((r) => r.path), sources: changes[0].replaceReasons.map((r) => r.source) };
}

const pool = (over: { type?: string; count?: number; driver?: string; machineType?: string; diskSizeGb?: number; diskType?: string; max?: number; accelerators?: boolean } = {}) => ({
  cluster: "llmops-prod-us-central1",
  location: "us-central1",
  name: "l4-serving",
  autoscaling: { totalMinNodeCount: 0, totalMaxNodeCount: over.max ?? 4 },
  nodeConfig: {
    machineType: over.machineType ?? "g2-standard-8",
    diskSizeGb: over.diskSizeGb ?? 100,
    diskType: over.diskType ?? "pd-balanced",
    guestAccelerators:
      over.accelerators === false ? undefined : [{ type: over.type ?? "nvidia-l4", count: over.count ?? 1, gpuDriverInstallationConfig: { gpuDriverVersion: over.driver ?? "LATEST" } }],
  },
});

describe("the replacement table", () => {
  it("has one entry per type and path, each a valid path with a source that can be checked", () => {
    const keys = PROPERTY_RULES.map((r) => `${r.type} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const rule of PROPERTY_RULES) {
      expect(rule.type).toMatch(/^[a-z-]+:[\w/]+:\w+$/);
      expect(parsePath(rule.path).length).toBeGreaterThan(0);
      if (rule.source.startsWith("https://")) continue;
      expect(fs.existsSync(path.join(ROOT, rule.source)), `${rule.type} ${rule.path}: ${rule.source}`).toBe(true);
    }
  });

  it.each([
    ["accelerator type", pool({ type: "nvidia-h100-80gb" }), "replace", ["nodeConfig.guestAccelerators[*].type"]],
    ["accelerator count", pool({ count: 2 }), "replace", ["nodeConfig.guestAccelerators[*].count"]],
    ["GPU driver version", pool({ driver: "DEFAULT" }), "replace", ["nodeConfig.guestAccelerators[*].gpuDriverInstallationConfig.gpuDriverVersion"]],
    ["accelerators removed", pool({ accelerators: false }), "replace", ["nodeConfig.guestAccelerators[*].type", "nodeConfig.guestAccelerators[*].count", "nodeConfig.guestAccelerators[*].gpuDriverInstallationConfig.gpuDriverVersion"]],
    ["machine type", pool({ machineType: "g2-standard-12" }), "update", []],
    ["disk size", pool({ diskSizeGb: 200 }), "update", []],
    ["disk type", pool({ diskType: "pd-ssd" }), "update", []],
    ["autoscaling bounds", pool({ max: 8 }), "update", []],
  ])("node pool: a change of %s is a%s", (_what, after, action, reasons) => {
    const result = actionOf(NODE_POOL, pool(), after);
    expect(result.action).toBe(action);
    expect(result.reasons).toEqual(reasons);
  });

  it("cites the upstream issue for the GPU driver, and the provider change for machine type and disks", () => {
    expect(actionOf(NODE_POOL, pool(), pool({ driver: "DEFAULT" })).sources).toEqual(["https://github.com/hashicorp/terraform-provider-google/issues/23248"]);
    const inPlace = rulesFor(NODE_POOL).filter((r) => r.effect === "update" && r.path.startsWith("nodeConfig."));
    expect(inPlace.map((r) => [r.path, r.source])).toEqual(["machineType", "diskSizeGb", "diskType"].map((p) => [`nodeConfig.${p}`, "https://github.com/GoogleCloudPlatform/magic-modules/pull/9575"]));
  });

  it.each([
    ["a bucket's location", "gcp:storage/bucket:Bucket", { name: "b", location: "US", storageClass: "STANDARD" }, { name: "b", location: "EU", storageClass: "STANDARD" }, [], "replace"],
    ["a bucket's storage class", "gcp:storage/bucket:Bucket", { name: "b", location: "US", storageClass: "STANDARD" }, { name: "b", location: "US", storageClass: "NEARLINE" }, [], "update"],
    ["a service account's id", "gcp:serviceaccount/account:Account", { accountId: "a" }, { accountId: "b" }, [], "replace"],
    ["a repository's format", "gcp:artifactregistry/repository:Repository", { repositoryId: "r", format: "DOCKER" }, { repositoryId: "r", format: "KFP" }, [], "replace"],
    ["an endpoint's Private Service Connect", "gcp:vertex/aiEndpoint:AiEndpoint", { name: "1" }, { name: "1", privateServiceConnectConfig: { enablePrivateServiceConnect: true } }, [], "replace"],
    ["an endpoint's traffic split, which it ignores", "gcp:vertex/aiEndpoint:AiEndpoint", { name: "1", trafficSplit: { a: 100 } }, { name: "1", trafficSplit: { a: 50, b: 50 } }, ["trafficSplit"], "none"],
    ["a Model Armor template's id", "gcp:modelarmor/template:Template", { templateId: "a", location: "us-central1" }, { templateId: "b", location: "us-central1" }, [], "replace"],
    ["an IAM member's role", "gcp:projects/iAMMember:IAMMember", { role: "roles/a", member: "m" }, { role: "roles/b", member: "m" }, [], "replace"],
  ])("%s", (_what, type, before, after, ignore, action) => {
    expect(actionOf(type, before, after, ignore).action).toBe(action);
  });

  it.each([MODEL_VERSION, ENDPOINT_DEPLOYMENT, KFP_TEMPLATE])("%s: new provider code alone is an update (it must reach the state)", (type) => {
    expect(actionOf(type, { __provider: "[provider code sha256:1]", version: "1" }, { __provider: "[provider code sha256:2]", version: "1" })).toMatchObject({ action: "update", reasons: [] });
  });
});

describe("the dynamic providers' rows agree with the providers' own diff", () => {
  const version: ModelVersionInputs = {
    project: "p",
    region: "us-central1",
    modelId: "m",
    displayName: "M",
    version: "1.3.0",
    artifactUri: "gs://b/m/1.3.0/",
    container: { imageUri: "r/i@sha256:" + "a".repeat(64), ports: [8080] },
    labels: { a: "b" },
    description: "d",
    metadata: { run: "r" },
  };
  /** The inputs with one key changed to another valid value. */
  const changed = (key: keyof ModelVersionInputs): ModelVersionInputs => {
    const value = version[key];
    if (typeof value === "string") return { ...version, [key]: `${value}-x` };
    if (key === "container") return { ...version, container: { ...version.container, imageUri: `${version.container.imageUri.slice(0, -1)}b` } };
    return { ...version, [key]: { ...(value as Record<string, string>), a: "changed" } };
  };
  const replaced = (replaces: readonly string[] | undefined, key: string) => (replaces ?? []).includes(key);

  it.each(Object.keys(version) as (keyof ModelVersionInputs)[])("ModelVersion.%s", async (key) => {
    const result = await modelVersionProvider.diff("id", { ...version, name: "n", modelName: "m", versionId: "1", versionAlias: "v1-3-0" }, changed(key));
    const table = rulesFor(MODEL_VERSION).find((r) => r.path === key)?.effect ?? "update";
    expect(replaced(result.replaces, key)).toBe(table === "replace");
  });

  const deployment = { project: "p", region: "us-central1", endpoint: "projects/p/locations/us-central1/endpoints/1", environment: "prod" as const, deployments: [], trafficSplit: {} };
  it.each(["project", "region", "endpoint", "environment"] as const)("EndpointDeployment.%s", (key) => {
    const olds = { ...deployment, endpointName: deployment.endpoint, deployedModels: [] } as EndpointDeploymentOutputs;
    const value = key === "endpoint" ? "projects/p/locations/us-central1/endpoints/2" : key === "environment" ? "dev" : `${deployment[key]}-x`;
    const result = diffEndpointDeployment(olds, { ...deployment, [key]: value });
    const table = rulesFor(ENDPOINT_DEPLOYMENT).find((r) => r.path === key)?.effect ?? "update";
    expect(replaced(result.replaces, key)).toBe(table === "replace");
    expect(result.changes).toBe(true);
  });
});
