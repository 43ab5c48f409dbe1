import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configProblems, levelFor, loadPackConfig, PolicyConfigError, settingsFor } from "../../policies/config";
import { environmentOfStackName, resourceEnvironment, stackEnvironment } from "../../policies/environment";
import { acceleratorUses, nodePoolAccelerator, nodePoolMaxNodes, normalizeAccelerator } from "../../policies/lib/accelerators";
import { grantsOf } from "../../policies/lib/iam";
import { locationsOf, regionOf } from "../../policies/lib/location";
import { componentOfUrn, labelsOf, stackOfUrn } from "../../policies/lib/resources";
import { policyNamed } from "../../policies/registry";
import { bucket, deployment, iamMember, labels, nodePool, resource } from "./fixtures";

const canary = policyNamed("prod-canary-weight")!;

describe("which environment a resource or stack is", () => {
  it.each([
    ["prod", "prod"],
    ["production", "prod"],
    ["prod-eu", "prod"],
    ["eu_prd", "prod"],
    ["dev-to-prod", "prod"],
    ["staging", "staging"],
    ["stg-2", "staging"],
    ["dev", "dev"],
    ["alice-development", "dev"],
    ["sandbox", undefined],
  ])("stack %s → %s", (stack, env) => {
    expect(environmentOfStackName(stack)).toBe(env);
  });

  it("reads a resource's own environment label before its stack name, and fails closed to prod", () => {
    expect(resourceEnvironment(bucket({ labels: labels("dev") }, { stack: "prod" }))).toBe("dev");
    expect(resourceEnvironment(iamMember({}, { stack: "dev" }))).toBe("dev");
    expect(resourceEnvironment(iamMember({}, { stack: "sandbox" }))).toBe("prod");
    expect(resourceEnvironment(deployment("us-central1", undefined, { environment: "dev" }, { stack: "sandbox" }))).toBe("dev");
  });

  it("calls a stack prod when any resource says prod, else the most declared environment", () => {
    expect(stackEnvironment([bucket({ labels: labels("dev") }, { stack: "x" }), bucket({ labels: labels("prod") }, { stack: "x" })], "x")).toBe("prod");
    expect(stackEnvironment([iamMember({}, { stack: "x" })], "staging")).toBe("staging");
    expect(stackEnvironment([], "sandbox")).toBe("prod");
  });

  it("reads the stack and the nearest llmops component from a URN", () => {
    const urn = "urn:pulumi:prod::llmops::llmops:models:VertexModel$llmops:models:Safety$gcp:modelarmor/template:Template::t";
    expect(stackOfUrn(urn)).toBe("prod");
    expect(componentOfUrn(urn)).toBe("llmops:models:Safety");
    expect(componentOfUrn("urn:pulumi:prod::llmops::gcp:storage/bucket:Bucket::b")).toBeUndefined();
  });
});

describe("policy config", () => {
  it("takes a policy's level from its entry, else from all, else its default for the environment", () => {
    expect(levelFor(canary, "dev")).toBe("advisory");
    expect(levelFor(canary, "prod")).toBe("mandatory");
    expect(levelFor(canary, "prod", { all: "advisory" })).toBe("advisory");
    expect(levelFor(canary, "prod", { all: "advisory", "prod-canary-weight": { enforcementLevel: "mandatory" } })).toBe("mandatory");
    expect(levelFor(canary, "dev", { "prod-canary-weight": "disabled" })).toBe("disabled");
  });

  it("overlays configured settings on the environment's defaults and refuses invalid ones", () => {
    expect(settingsFor(canary, "prod", { maxPercent: 20 })).toEqual({ maxPercent: 20 });
    expect(settingsFor(policyNamed("accelerator-budget")!, "dev")).toMatchObject({ caps: { "nvidia-l4": { "*": 8 } } });
    expect(() => settingsFor(canary, "prod", { maxPercent: 0 })).toThrow(/prod-canary-weight.maxPercent: /);
  });

  it("reports every problem of a config file at once, with what is allowed", () => {
    const problems = configProblems(
      { "prod-canary-weigth": "mandatory", all: "strict", "prod-canary-weight": { maxPercent: 150, percent: 3 }, "iam-no-basic-roles": { enforcementLevel: "off" }, "required-labels": 5 },
      "cfg.json",
    );
    expect(problems).toEqual([
      expect.stringMatching(/^cfg.json: prod-canary-weigth: unknown policy; allowed: all, artifact-registry-immutable-tags, /),
      'cfg.json: all: unknown enforcement level "strict"; allowed: advisory, mandatory, disabled',
      "cfg.json: prod-canary-weight.percent: unknown setting; allowed: enforcementLevel, maxPercent",
      'cfg.json: iam-no-basic-roles.enforcementLevel: unknown level "off"; allowed: advisory, mandatory, disabled',
      "cfg.json: required-labels: expected an enforcement level or an object",
    ]);
    expect(configProblems({ "prod-canary-weight": { maxPercent: 150 } }, "c")).toEqual([expect.stringMatching(/^c: prod-canary-weight.maxPercent: .*100/)]);
    expect(configProblems([], "c")).toEqual(["c: expected a JSON object of policy names"]);
  });

  it("loads a file, or throws every problem of it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-policy-"));
    const good = path.join(dir, "good.json");
    fs.writeFileSync(good, JSON.stringify({ "prod-canary-weight": { maxPercent: 20 } }));
    expect(loadPackConfig(good)).toEqual({ "prod-canary-weight": { maxPercent: 20 } });
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, "{ not json");
    expect(() => loadPackConfig(bad)).toThrow(PolicyConfigError);
  });
});

describe("accelerators at their worst case", () => {
  it("names Vertex AI and GKE accelerators alike", () => {
    expect(["NVIDIA_L4", "NVIDIA_H100_80GB", "TPU_V5_LITEPOD", "nvidia-tesla-t4"].map(normalizeAccelerator)).toEqual(["nvidia-l4", "nvidia-h100-80gb", "tpu-v5-lite-podslice", "nvidia-tesla-t4"]);
  });

  it("reads accelerators built into a machine type when guestAccelerators is absent", () => {
    const shape = (machineType: string) => nodePoolAccelerator(nodePool({}, { node: { guestAccelerators: undefined, machineType } }));
    expect(shape("g2-standard-48")).toEqual({ type: "nvidia-l4", count: 4 });
    expect(shape("a3-highgpu-8g")).toEqual({ type: "nvidia-h100-80gb", count: 8 });
    expect(shape("ct5lp-hightpu-8t")).toEqual({ type: "tpu-v5-lite-podslice", count: 8 });
    expect(shape("e2-standard-4")).toBeUndefined();
  });

  it("counts per-zone maxima in every zone the pool may use", () => {
    expect(nodePoolMaxNodes(nodePool())).toBe(8);
    expect(nodePoolMaxNodes(nodePool({ autoscaling: { maxNodeCount: 3 } }))).toBe(9);
    expect(nodePoolMaxNodes(nodePool({ autoscaling: { maxNodeCount: 3 }, nodeLocations: undefined }))).toBe(12);
    expect(nodePoolMaxNodes(nodePool({ autoscaling: { maxNodeCount: 3 }, location: "us-central1-a", nodeLocations: undefined }))).toBe(3);
    expect(nodePoolMaxNodes(nodePool({ autoscaling: undefined, initialNodeCount: 2 }))).toBe(6);
    expect(nodePoolMaxNodes(nodePool({ autoscaling: { totalMinNodeCount: 1 } }))).toBeUndefined();
  });

  it("counts every deployed model of an endpoint at its maximum replicas", () => {
    const uses = acceleratorUses([deployment("europe-west4", [{ id: "1", percent: 90 }, { id: "2", version: "1.3.0", percent: 10, maxReplicas: 3 }])]);
    expect(uses.map((u) => [u.type, u.region, u.worstCase])).toEqual([
      ["nvidia-l4", "europe-west4", 6],
      ["nvidia-l4", "europe-west4", 3],
    ]);
  });
});

describe("locations, labels and grants", () => {
  it("turns zones into regions and keeps multi-regions", () => {
    expect(["us-central1-f", "europe-west4", "us", "NAM4"].map(regionOf)).toEqual(["us-central1", "europe-west4", "US", "NAM4"]);
    expect(locationsOf(nodePool())).toEqual(["us-central1"]);
    expect(locationsOf(resource("gcp:iam/workloadIdentityPool:WorkloadIdentityPool", "p", { location: "global" }))).toEqual([]);
  });

  it("finds labels where each type keeps them", () => {
    expect(labelsOf(nodePool())).toMatchObject({ environment: "prod", workload: "serving" });
    expect(labelsOf(resource("gcp:storage/bucket:Bucket", "b", {}))).toEqual({});
    expect(labelsOf(iamMember())).toBeUndefined();
  });

  it("reads grants from members, bindings and policy documents", () => {
    expect(grantsOf(iamMember({ member: undefined, members: ["user:a@x.example", "group:b@x.example"], role: "roles/viewer" }))).toEqual([
      { role: "roles/viewer", member: "user:a@x.example" },
      { role: "roles/viewer", member: "group:b@x.example" },
    ]);
    expect(grantsOf(resource("gcp:projects/iAMPolicy:IAMPolicy", "p", { policyData: "not json" }))).toEqual([]);
    expect(grantsOf(resource("gcp:projects/iAMPolicy:IAMPolicy", "p", { policyData: "[unknown]" }))).toEqual([]);
  });
});
