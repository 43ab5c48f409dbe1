import { beforeAll, describe, expect, it } from "vitest";
import { comparePlans } from "../../infra/testing";
import { ofType, type Plan } from "../../lib/plan";
import { committedStackFile, renderComponent } from "../helpers/component";
import { ROOT, committedConfig } from "../helpers/project";
import { renderCommitted, renderPlan } from "../helpers/render";

let plans: Record<string, Plan>;
let devAtPartial: Plan;
/**
 * Versions written newest first (a YAML map's order means nothing, release order does), and a
 * traffic headroom set: one render for two checks, renders being slow on a loaded machine.
 */
let devNewestFirst: Plan;

type ModelEdit = (model: { rollout: { stage: string }; versions: Record<string, unknown>; serving: Record<string, unknown> }) => void;

/** The dev stack's config with the model changed by `edit`. */
function devWith(edit: ModelEdit): Record<string, string> {
  const config = committedConfig("dev");
  const models = JSON.parse(config["llmops:models"]);
  edit(models["support-assistant"]);
  return { ...config, "llmops:models": JSON.stringify(models) };
}

/** `llmops:models` of the dev stack with the model changed by `edit`, to lay over the dev stack file. */
const devModelsWith = (edit: ModelEdit): Record<string, unknown> => ({ "llmops:models": JSON.parse(devWith(edit)["llmops:models"]) });

beforeAll(async () => {
  // A stage change is checked on the whole stack (nothing but the split may change); the
  // reversed versions only in the models component, rendered in this file's component worker.
  const [committed, partial, reversed] = await Promise.all([
    renderCommitted("dev", "prod"),
    renderPlan({ dir: ROOT, stack: "dev", config: devWith((m) => (m.rollout.stage = "partial")) }),
    renderComponent(
      "models",
      devModelsWith((m) => {
        m.versions = Object.fromEntries(Object.entries(m.versions).reverse());
        m.serving.trafficHeadroom = 20;
      }),
      committedStackFile("dev"),
    ),
  ]);
  plans = committed;
  devAtPartial = partial;
  devNewestFirst = reversed;
});

const deploymentsOf = (plan: Plan) => ofType(plan, "pulumi-nodejs:dynamic/vertex:EndpointDeployment");

describe("Vertex AI serving in the prod plan", () => {
  it("has one endpoint per model per region, IAM-only, with a numeric id and its traffic split left to the deployment", () => {
    const endpoints = ofType(plans.prod, "gcp:vertex/aiEndpoint:AiEndpoint");
    expect(endpoints.map((e) => e.inputs.location).sort()).toEqual(["europe-west4", "us-central1"]);
    for (const e of endpoints) {
      expect(e.inputs.name).toMatch(/^[1-9]\d{9}$/);
      expect(e.inputs.trafficSplit).toBeUndefined();
      expect(e.inputs.privateServiceConnectConfig).toBeUndefined();
      expect(e.options.ignoreChanges).toEqual(["trafficSplit"]);
    }
  });

  it("deploys the stable version alone with all traffic in each region", () => {
    const deployments = deploymentsOf(plans.prod);
    expect(deployments).toHaveLength(2);
    for (const d of deployments) {
      const specs = d.inputs.deployments as { deployedModelId: string; model: string; minReplicas: number }[];
      expect(specs).toHaveLength(1);
      expect(specs[0].model).toMatch(/\/models\/support-assistant@v1-2-0$/);
      expect(specs[0].minReplicas).toBe(2);
      expect(d.inputs.trafficSplit).toEqual({ [specs[0].deployedModelId]: 100 });
      expect(d.inputs.environment).toBe("prod");
    }
  });

  it("uploads each version once per region into one registry entry, with a pinned image and the Model Armor template", () => {
    const uploads = ofType(plans.prod, "pulumi-nodejs:dynamic/vertex:ModelVersion");
    expect(uploads.map((u) => [u.inputs.region, u.inputs.version]).sort()).toEqual([["europe-west4", "1.2.0"], ["us-central1", "1.2.0"]]);
    for (const u of uploads) {
      const container = u.inputs.container as { imageUri: string; env: Record<string, string> };
      expect(container.imageUri).toMatch(/^us-central1-docker\.pkg\.dev\/acme-llmops-prod\/llmops-images-prod\/vllm-openai@sha256:[a-f0-9]{64}$/);
      expect(container.env.MODEL_ARMOR_TEMPLATE).toBe(`projects/acme-llmops-prod/locations/${u.inputs.region}/templates/llmops-support-assistant-1-2-0`);
      expect(container.env.LLMOPS_PROMPT_TEMPLATE).toContain("{instruction}");
      expect(u.inputs.artifactUri).toBe("gs://acme-llmops-prod-prod-models/support-assistant/1.2.0/");
      expect(String(u.inputs.__provider)).toMatch(/^\[provider code sha256:[a-f0-9]{16}\]$/);
    }
  });

  it("creates Model Armor templates with harm filters, prompt-injection detection and logged sanitize operations", () => {
    const templates = ofType(plans.prod, "gcp:modelarmor/template:Template").filter((t) => (t.inputs.labels as Record<string, string>).model === "support-assistant");
    expect(templates.map((t) => t.inputs.location).sort()).toEqual(["europe-west4", "us-central1"]);
    expect(templates[0].inputs).toMatchObject({
      filterConfig: { piAndJailbreakFilterSettings: { filterEnforcement: "ENABLED" }, sdpSettings: { basicConfig: { filterEnforcement: "ENABLED" } } },
      templateMetadata: { logSanitizeOperations: true, enforcementType: "INSPECT_AND_BLOCK" },
    });
  });

  it("lets the serving account call Model Armor", () => {
    expect(plans.prod.resources.some((r) => r.inputs.role === "roles/modelarmor.user" && String(r.inputs.member).includes("llmops-serving-prod"))).toBe(true);
  });
});

describe("uploads of one model in one region", () => {
  it("wait for the previous version in release order, however the versions are written", () => {
    expect(Object.keys(JSON.parse(committedConfig("dev")["llmops:models"])["support-assistant"].versions)).toEqual(["1.2.0", "1.3.0"]);
    for (const plan of [plans.dev, devNewestFirst]) {
      const uploads = ofType(plan, "pulumi-nodejs:dynamic/vertex:ModelVersion");
      const upload = (version: string) => uploads.find((u) => u.inputs.version === version && u.inputs.region === "us-central1")!;
      const waitsFor = (version: string) => upload(version).options.dependsOn.filter((urn) => uploads.some((u) => u.urn === urn));
      expect(uploads).toHaveLength(2);
      expect(waitsFor("1.2.0")).toEqual([]);
      expect(waitsFor("1.3.0")).toEqual([upload("1.2.0").urn]);
      // Still after its own Model Armor template, whose name the upload carries.
      expect(upload("1.3.0").options.dependsOn).toContainEqual(expect.stringMatching(/modelarmor\/template:Template::.*1\.3\.0/));
    }
  });
});

describe("capacity before traffic", () => {
  it("passes serving.trafficHeadroom to the deployment only when it is set, so the committed plans are unchanged", () => {
    for (const plan of [plans.dev, plans.prod]) for (const d of deploymentsOf(plan)) expect(d.inputs).not.toHaveProperty("trafficHeadroom");
    expect(deploymentsOf(devNewestFirst).map((d) => d.inputs.trafficHeadroom)).toEqual([20]);
  });
});

describe("rollout stages in the dev plan", () => {
  it("sends the canary weight to the candidate", () => {
    const [d] = deploymentsOf(plans.dev);
    const specs = d.inputs.deployments as { deployedModelId: string; displayName: string }[];
    const id = (v: string) => specs.find((s) => s.displayName.endsWith(v))!.deployedModelId;
    expect(d.inputs.trafficSplit).toEqual({ [id("1.2.0")]: 90, [id("1.3.0")]: 10 });
  });

  it("moving only the stage one step forward changes only traffic-split inputs", () => {
    const changes = comparePlans(plans.dev, devAtPartial);
    expect(changes.length).toBe(2);
    for (const change of changes) {
      expect(change.kind).toBe("change");
      expect(change.urn).toMatch(/EndpointDeployment::model-support-assistant-us-central1-deployment$/);
      expect(change.path).toMatch(/^inputs\.trafficSplit\["\d+"\]$/);
    }
    expect(changes.map((c) => [c.before, c.after]).sort()).toEqual([[10, 50], [90, 50]]);
  });
});
