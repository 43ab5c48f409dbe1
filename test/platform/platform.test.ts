import { beforeAll, describe, expect, it } from "vitest";
import { ofType, type Plan, type PlannedResource } from "../../lib/plan";
import { renderCommitted } from "../helpers/render";

let plans: Record<string, Plan>;
beforeAll(async () => {
  plans = await renderCommitted("dev", "prod");
});

const byName = (plan: Plan, name: string): PlannedResource => {
  const found = plan.resources.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name} in ${plan.stack}`);
  return found;
};

describe.each(["dev", "prod"])("the %s plan", (stack) => {
  it("has the four buckets, private and uniformly accessed", () => {
    const buckets = ofType(plans[stack], "gcp:storage/bucket:Bucket");
    expect(buckets.map((b) => b.name).sort()).toEqual(["storage-batchOutputs", "storage-datasets", "storage-models", "storage-pipelineRoot"]);
    for (const bucket of buckets) {
      expect(bucket.inputs).toMatchObject({ publicAccessPrevention: "enforced", uniformBucketLevelAccess: true, forceDestroy: false });
      expect(bucket.inputs.labels).toMatchObject({ environment: stack, "managed-by": "pulumi-llmops", team: "ml-platform" });
      expect(bucket.parent).toBe(`urn:pulumi:${stack}::llmops::llmops:platform:Buckets::storage`);
    }
  });

  it("keeps model artifacts recoverable: versioning with soft delete, no retention policy", () => {
    const models = byName(plans[stack], "storage-models");
    expect(models.inputs.versioning).toEqual({ enabled: true });
    expect((models.inputs.softDeletePolicy as { retentionDurationSeconds: number }).retentionDurationSeconds).toBeGreaterThanOrEqual(30 * 86400);
    expect(models.inputs.retentionPolicy).toBeUndefined();
  });

  it("has a DOCKER repository with immutable tags and a KFP repository in the primary region", () => {
    const repos = ofType(plans[stack], "gcp:artifactregistry/repository:Repository");
    expect(repos.map((r) => [r.inputs.format, r.inputs.location])).toEqual([
      ["DOCKER", "us-central1"],
      ["KFP", "us-central1"],
    ]);
    expect(repos[0].inputs.dockerConfig).toEqual({ immutableTags: true });
  });

  it("has one service account per role and no keys", () => {
    // The platform's role accounts; capabilities add their own (e.g. GKE node accounts).
    const accounts = ofType(plans[stack], "gcp:serviceaccount/account:Account").filter((a) => a.parent === `urn:pulumi:${stack}::llmops::llmops:platform:ServiceAccounts::identity`);
    expect(accounts.map((a) => a.inputs.accountId).sort()).toEqual([`llmops-deployer-${stack}`, `llmops-pipelines-${stack}`, `llmops-serving-${stack}`]);
    expect(ofType(plans[stack], "gcp:serviceaccount/key:Key")).toEqual([]);
  });

  it("grants no basic roles and nothing to allUsers", () => {
    const bindings = plans[stack].resources.filter((r) => /IAMMember|IamMember/.test(r.type));
    expect(bindings.length).toBeGreaterThan(10);
    for (const b of bindings) {
      expect(b.inputs.role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
      expect(String(b.inputs.member)).not.toMatch(/allUsers|allAuthenticatedUsers/);
    }
  });

  it("binds the serving account to the model bucket only, read-only", () => {
    const serving = plans[stack].resources.filter((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember" && String(r.inputs.member).includes("llmops-serving"));
    expect(serving.map((b) => [b.inputs.bucket, b.inputs.role])).toEqual([[`acme-llmops-${stack}-${stack}-models`, "roles/storage.objectViewer"]]);
  });

  it("lets the pipeline runner add model artifacts but not delete them", () => {
    const roles = plans[stack].resources
      .filter((r) => r.type === "gcp:storage/bucketIAMMember:BucketIAMMember" && String(r.inputs.member).includes("llmops-pipelines") && String(r.inputs.bucket).endsWith("-models"))
      .map((b) => b.inputs.role)
      .sort();
    expect(roles).toEqual(["roles/storage.objectCreator", "roles/storage.objectViewer"]);
  });

  it("enables the APIs before the resources that call them", () => {
    const services = ofType(plans[stack], "gcp:projects/service:Service").map((s) => s.inputs.service);
    expect(services).toEqual(expect.arrayContaining(["aiplatform.googleapis.com", "storage.googleapis.com", "artifactregistry.googleapis.com", "iam.googleapis.com"]));
    const storageApi = plans[stack].resources.find((r) => r.inputs.service === "storage.googleapis.com")!;
    expect(byName(plans[stack], "storage-datasets").options.dependsOn).toContain(storageApi.urn);
    const arApi = plans[stack].resources.find((r) => r.inputs.service === "artifactregistry.googleapis.com")!;
    expect(byName(plans[stack], "registry-images").options.dependsOn).toContain(arApi.urn);
  });

  it("restricts CI federation to the one repository", () => {
    const provider = ofType(plans[stack], "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider")[0];
    expect(provider.inputs.attributeCondition).toMatch(/^assertion\.repository == "acme\/llmops-gcp"/);
    const binding = byName(plans[stack], "ci-deployer-wif");
    expect(binding.inputs).toMatchObject({ role: "roles/iam.workloadIdentityUser" });
    expect(binding.inputs.member).toMatch(/^principalSet:\/\/iam\.googleapis\.com\/projects\/\d{12}\/locations\/global\/workloadIdentityPools\/llmops-ci-\w+\/attribute\.repository\/acme\/llmops-gcp$/);
  });
});

describe("protection", () => {
  it("protects and retains prod data buckets, but not pipeline scratch space", () => {
    for (const name of ["storage-datasets", "storage-models", "storage-batchOutputs"]) {
      expect(byName(plans.prod, name).options).toMatchObject({ protect: true, retainOnDelete: true });
    }
    expect(byName(plans.prod, "storage-pipelineRoot").options).toMatchObject({ protect: false, retainOnDelete: false });
  });

  it("protects nothing in dev", () => {
    expect(plans.dev.resources.filter((r) => r.options.protect)).toEqual([]);
  });

  it("encrypts prod buckets with the configured key and lets Cloud Storage use it first", () => {
    const key = "projects/acme-security/locations/us/keyRings/llmops/cryptoKeys/storage";
    const grant = byName(plans.prod, "storage-kms-storage-agent");
    expect(grant.inputs).toMatchObject({ cryptoKeyId: key, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter" });
    expect(grant.inputs.member).toMatch(/^serviceAccount:service-\d{12}@gs-project-accounts\.iam\.gserviceaccount\.com$/);
    for (const bucket of ofType(plans.prod, "gcp:storage/bucket:Bucket")) {
      expect(bucket.inputs.encryption).toEqual({ defaultKmsKeyName: key });
      expect(bucket.options.dependsOn).toContain(grant.urn);
    }
  });
});

describe("components", () => {
  it("parents every resource under a component with its own llmops type token", () => {
    for (const plan of Object.values(plans)) {
      const components = plan.resources.filter((r) => r.type.startsWith("llmops:"));
      expect(components.map((c) => c.type)).toEqual(expect.arrayContaining(["llmops:platform:Buckets", "llmops:platform:Registries", "llmops:platform:ServiceAccounts", "llmops:platform:ProjectApis"]));
      for (const r of plan.resources.filter((x) => !x.type.startsWith("llmops:"))) {
        expect(r.parent, r.urn).not.toBeNull();
      }
    }
  });
});
