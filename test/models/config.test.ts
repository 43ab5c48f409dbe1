import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/settings";
import { versionDigest } from "../../infra/models/config/digest";
import { modelSchema } from "../../infra/models/config/schema";
import { committedConfig } from "../helpers/project";

const IMAGE = `vllm-server@sha256:${"a".repeat(64)}`;
const version = (over: Record<string, unknown> = {}) => ({
  artifactUri: "chat/1.0.0/",
  image: IMAGE,
  promptTemplate: "{prompt}",
  safety: { harmCategories: { hateSpeech: "MEDIUM_AND_ABOVE" } },
  ...over,
});
const model = (over: Record<string, any> = {}) => ({
  versions: { "1.0.0": version(), "1.1.0": version({ artifactUri: "chat/1.1.0/" }), ...over.versions },
  serving: { regions: ["us-central1"], machineType: "g2-standard-12", accelerator: { type: "NVIDIA_L4", count: 1 }, minReplicas: 1, maxReplicas: 2, ...over.serving },
  rollout: { stable: "1.0.0", candidate: "1.1.0", stage: "canary", ...over.rollout },
});

function check(models: Record<string, unknown>, environment = "dev") {
  return parseStackConfig(
    {
      "gcp:project": "acme-llmops-dev",
      "llmops:environment": environment,
      "llmops:regions": '["us-central1","europe-west4"]',
      "llmops:models": JSON.stringify(models),
    },
    environment,
  );
}

function problemAt(models: Record<string, unknown>, key: string, environment = "dev") {
  const result = check(models, environment);
  if (result.ok) throw new Error("expected the configuration to be rejected");
  const found = result.problems.find((p) => p.key === key);
  if (!found) throw new Error(`no problem at ${key}; problems: ${JSON.stringify(result.problems, null, 1)}`);
  expect(found.file).toBe(`Pulumi.${environment}.yaml`);
  return found.message;
}

const at = (path: string) => `llmops:models.chat.${path}`;

describe("model configuration", () => {
  it("accepts a model with a candidate at canary", () => {
    const result = check({ chat: model() });
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it.each([
    ["the candidate equals stable", { rollout: { candidate: "1.0.0" } }, "rollout.candidate", /the candidate is the stable version/],
    ["an unknown stable version", { rollout: { stable: "0.9.0" } }, "rollout.stable", /unknown version "0.9.0".*allowed: 1.0.0, 1.1.0/],
    ["an unknown candidate, with a hint", { rollout: { candidate: "1.1.1" } }, "rollout.candidate", /did you mean "1.1.0"/],
    ["a weight above 100", { rollout: { stages: [{ name: "canary", weight: 10 }, { name: "full", weight: 120 }] } }, "rollout.stages[1].weight", /percentage from 1 to 100/],
    ["weights not increasing", { rollout: { stages: [{ name: "canary", weight: 50 }, { name: "partial", weight: 20 }, { name: "full", weight: 100 }] } }, "rollout.stages[1].weight", /strictly increasing/],
    ["a last stage below 100", { rollout: { stages: [{ name: "canary", weight: 10 }, { name: "partial", weight: 50 }], stage: "canary" } }, "rollout.stages[1].weight", /allowed: 100/],
    ["an unknown stage", { rollout: { stage: "canray" } }, "rollout.stage", /did you mean "canary"/],
    ["a candidate without a stage", { rollout: { stage: undefined } }, "rollout.stage", /a candidate needs a stage; allowed: canary, partial, full, rollback/],
    ["a region outside llmops:regions", { serving: { regions: ["us-east4"] } }, "serving.regions[0]", /not a serving region of this stack.*allowed: us-central1, europe-west4/],
    ["min replicas above max", { serving: { minReplicas: 3, maxReplicas: 2 } }, "serving.minReplicas", /minReplicas 3 exceeds maxReplicas 2/],
    ["an accelerator on the wrong machine family", { serving: { machineType: "n1-standard-8" } }, "serving.machineType", /NVIDIA_L4 runs on g2 machines/],
    ["an unknown accelerator", { serving: { accelerator: { type: "NVIDIA_L5", count: 1 } } }, "serving.accelerator.type", /did you mean "NVIDIA_L4"/],
    ["an unpinned image", { versions: { "1.1.0": version({ image: "vllm/vllm-openai:latest" }) } }, 'versions["1.1.0"].image', /pinned by digest/],
    ["a non-semantic version id", { versions: { latest: version() } }, "versions.latest", /not semantic/],
    ["a headroom above 100%", { serving: { trafficHeadroom: 150 } }, "serving.trafficHeadroom", /a headroom is a percentage from 0 to 100/],
    ["a fractional headroom", { serving: { trafficHeadroom: 12.5 } }, "serving.trafficHeadroom", /got number 12.5; expected a whole number/],
  ])("rejects %s", (_what, over, key, message) => {
    expect(problemAt({ chat: model(over) }, at(key))).toMatch(message);
  });

  it("accepts a traffic headroom on Vertex AI and rejects it on GKE", () => {
    expect(check({ chat: model({ serving: { trafficHeadroom: 25 } }) }).ok).toBe(true);
    expect(modelSchema.parse(model()).serving.trafficHeadroom).toBeUndefined(); // the provider's 0 applies
    expect(problemAt({ chat: model({ serving: { platform: "gke", trafficHeadroom: 25 } }) }, at("serving.trafficHeadroom"))).toMatch(/sizes Vertex AI deployed models.*allowed: leave it out for platform gke/);
  });

  it("rejects a released version whose definition changed in place, naming the digest it now has", () => {
    const released = versionDigest(modelSchema.parse(model()).versions["1.0.0"]);
    const changed = { chat: model({ versions: { "1.0.0": version({ args: ["--max-model-len=4096"], released }) } }) };
    expect(problemAt(changed, at('versions["1.0.0"].released'))).toMatch(/was released as sha256:\w+ but its definition now hashes to sha256:\w+; released versions are immutable/);
    const unchanged = { chat: model({ versions: { "1.0.0": version({ released }) } }) };
    expect(check(unchanged).ok).toBe(true);
  });

  it("says so when a rollout names a version and none is defined", () => {
    expect(problemAt({ chat: { ...model(), versions: {} } }, at("rollout.stable"))).toMatch(/unknown version "1.0.0"; allowed: a version defined under versions \(none is\)/);
  });

  it("serves only released versions in prod", () => {
    expect(problemAt({ chat: model() }, at('versions["1.0.0"].released'), "prod")).toMatch(/prod serves only released versions/);
  });

  it("accepts the committed stacks' models: dev has a canary, prod serves stable in two regions", () => {
    const dev = parseStackConfig(committedConfig("dev"), "dev");
    const prod = parseStackConfig(committedConfig("prod"), "prod");
    if (!dev.ok || !prod.ok) throw new Error("committed stacks must validate");
    expect(dev.settings.models["support-assistant"].config.rollout).toMatchObject({ candidate: "1.3.0", stage: "canary" });
    expect(prod.settings.models["support-assistant"].config.serving.regions).toHaveLength(2);
    expect(prod.settings.models["support-assistant"].config.rollout.candidate).toBeUndefined();
  });
});
