import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/settings";
import { committedConfig } from "../helpers/project";

const BASE: Record<string, string> = {
  "gcp:project": "acme-llmops-prod",
  "llmops:environment": "prod",
  "llmops:regions": JSON.stringify(["us-central1", "europe-west4"]),
};

function problems(overrides: Record<string, string | undefined>, stack = "prod") {
  const config = { ...BASE, ...overrides };
  for (const [k, v] of Object.entries(overrides)) if (v === undefined) delete config[k];
  const result = parseStackConfig(config as Record<string, string>, stack);
  if (result.ok) throw new Error("expected the configuration to be rejected");
  return result.problems;
}

describe("the committed stacks", () => {
  it.each(["dev", "prod"])("%s validates", (stack) => {
    const result = parseStackConfig(committedConfig(stack), stack);
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  it("prod serves from at least two regions, dev from one", () => {
    const prod = parseStackConfig(committedConfig("prod"), "prod");
    const dev = parseStackConfig(committedConfig("dev"), "dev");
    expect(prod.ok && prod.settings.regions.length).toBeGreaterThanOrEqual(2);
    expect(dev.ok && dev.settings.regions).toHaveLength(1);
  });
});

describe("defaults", () => {
  it("derives bucket names, labels and the primary region", () => {
    const result = parseStackConfig(BASE, "prod");
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { settings } = result;
    expect(settings.primaryRegion).toBe("us-central1");
    expect(settings.labels).toEqual({ environment: "prod", "managed-by": "pulumi-llmops" });
    expect(settings.platform.buckets.models).toMatchObject({ name: "acme-llmops-prod-prod-models", versioning: true, softDeleteDays: 30, holdsData: true });
    expect(settings.platform.buckets.pipelineRoot).toMatchObject({ name: "acme-llmops-prod-prod-pipeline-root", holdsData: false });
  });

  it("an explicit retention policy turns the default versioning off instead of conflicting", () => {
    const result = parseStackConfig({ ...BASE, "llmops:storage": JSON.stringify({ buckets: { models: { retentionDays: 30 } } }) }, "prod");
    expect(result.ok && result.settings.platform.buckets.models).toMatchObject({ versioning: false, retentionDays: 30 });
  });
});

// Each case: the overrides, the key path the message must name, and words it must contain.
const BAD: [string, Record<string, string | undefined>, string, RegExp][] = [
  ["an unknown region", { "llmops:regions": '["us-central1","mars-east1"]' }, "llmops:regions[1]", /not a Google Cloud region/],
  ["a misspelled region, with a hint", { "llmops:regions": '["europe-west44"]' }, "llmops:regions[0]", /did you mean "europe-west4"/],
  ["a duplicate region", { "llmops:regions": '["us-central1","europe-west4","us-central1"]' }, "llmops:regions[2]", /listed twice/],
  ["no region", { "llmops:regions": "[]" }, "llmops:regions", /no region given; allowed: a list of at least one/],
  ["regions as a string", { "llmops:regions": "us-central1" }, "llmops:regions", /got string "us-central1"; expected a list/],
  ["an upper-case label key", { "llmops:labels": '{"Team":"ml"}' }, "llmops:labels.Team", /label key "Team" is invalid/],
  ["labels as a list", { "llmops:labels": '["team"]' }, "llmops:labels", /got a list; expected a mapping of names to values/],
  ["a label value with spaces", { "llmops:labels": '{"team":"ML Platform"}' }, "llmops:labels.team", /label value "ML Platform" is invalid/],
  ["a reserved label key", { "llmops:labels": '{"managed-by":"me"}' }, "llmops:labels.managed-by", /set by the project itself/],
  ["a misspelled key, with a hint", { "llmops:regons": '["us-central1"]' }, "llmops:regons", /did you mean "llmops:regions"/],
  ["a misspelled nested key", { "llmops:storage": '{"bukets":{}}' }, "llmops:storage.bukets", /did you mean "llmops:storage.buckets"/],
  ["no gcp:project", { "gcp:project": undefined }, "gcp:project", /required/],
  ["a malformed gcp:project", { "gcp:project": "Acme_Prod" }, "gcp:project", /project id/],
  ["an unknown environment", { "llmops:environment": "production" }, "llmops:environment", /"production" is not allowed.*allowed: dev, staging, prod/],
  ["no environment", { "llmops:environment": undefined }, "llmops:environment", /missing/],
  ["versioning with a retention policy", { "llmops:storage": '{"buckets":{"models":{"versioning":true,"retentionDays":7}}}' }, "llmops:storage.buckets.models.retentionDays", /refuses a retention policy on a bucket with object versioning/],
  ["a bucket name containing google", { "llmops:storage": '{"buckets":{"datasets":{"name":"my-google-data"}}}' }, "llmops:storage.buckets.datasets.name", /contain "google"/],
  ["an upper-case bucket name", { "llmops:storage": '{"buckets":{"datasets":{"name":"Datasets"}}}' }, "llmops:storage.buckets.datasets.name", /bucket name "Datasets" is invalid/],
  ["two buckets with one name", { "llmops:storage": '{"buckets":{"datasets":{"name":"shared-x"},"models":{"name":"shared-x"}}}' }, "llmops:storage.buckets.models.name", /already used by buckets.datasets/],
  ["a derived bucket name that is too long", { "llmops:storage": `{"namePrefix":"${"a".repeat(55)}"}` }, "llmops:storage.namePrefix", /bucket name .* is invalid/],
  ["soft delete shorter than a week", { "llmops:storage": '{"buckets":{"models":{"softDeleteDays":3}}}' }, "llmops:storage.buckets.models.softDeleteDays", /allowed: 0 \(off\) or 7 to 90/],
  ["a lifecycle rule without a condition", { "llmops:storage": '{"buckets":{"datasets":{"lifecycle":[{"action":"Delete"}]}}}' }, "llmops:storage.buckets.datasets.lifecycle[0]", /needs a condition/],
  ["SetStorageClass without a class", { "llmops:storage": '{"buckets":{"datasets":{"lifecycle":[{"action":"SetStorageClass","ageDays":3}]}}}' }, "llmops:storage.buckets.datasets.lifecycle[0].storageClass", /needs a storageClass/],
  ["a bad KMS key", { "llmops:storage": '{"kmsKeyName":"my-key"}' }, "llmops:storage.kmsKeyName", /Cloud KMS key/],
  // Google refuses a key from another location than the resource, at create time.
  [
    "a bucket key outside the buckets' location",
    { "llmops:storage": '{"location":"US","kmsKeyName":"projects/acme-sec/locations/us-central1/keyRings/r/cryptoKeys/k"}' },
    "llmops:storage.kmsKeyName",
    /the key is in us-central1, but it must be in the buckets' location \(llmops:storage.location US\); allowed: a key of projects\/P\/locations\/us\//,
  ],
  [
    "a registry key outside the primary region",
    { "llmops:storage": '{"registryKmsKeyName":"projects/acme-sec/locations/us/keyRings/r/cryptoKeys/k"}' },
    "llmops:storage.registryKmsKeyName",
    /the key is in us, but it must be in the registries' location, the primary region/,
  ],
  ["a CI repository without an owner", { "llmops:ci": '{"github":{"repository":"llmops"}}' }, "llmops:ci.github.repository", /owner\/name/],
];

describe("bad configuration", () => {
  it.each(BAD)("rejects %s, naming the file and key", (_what, overrides, key, message) => {
    const found = problems(overrides);
    const match = found.find((p) => p.key === key);
    expect(match, `problems were: ${JSON.stringify(found, null, 1)}`).toBeDefined();
    expect(match!.file).toBe("Pulumi.prod.yaml");
    expect(match!.message).toMatch(message);
    expect(match!.message).toMatch(/allowed|expected|required|missing|did you mean/);
  });

  it("reports every problem at once", () => {
    const found = problems({ "llmops:regions": '["mars-1","mars-1"]', "llmops:labels": '{"A":"b"}', "llmops:regons": "x", "gcp:project": undefined });
    expect(found.map((p) => p.key).sort()).toEqual(["gcp:project", "llmops:labels.A", "llmops:regions[0]", "llmops:regions[1]", "llmops:regons"]);
  });

  it("names the stack's own file", () => {
    expect(problems({ "llmops:environment": "qa" }, "staging")[0].file).toBe("Pulumi.staging.yaml");
  });
});

describe("secrets in configuration errors", () => {
  it("never quotes a value held under a secret key, even when it is the mistake", () => {
    const token = "xoxb-very-secret-token-0123456789";
    const result = parseStackConfig({ ...BASE, "llmops:environment": token }, "prod", ["llmops:environment"]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(JSON.stringify(result.problems)).not.toContain(token);
      expect(result.problems[0].message).toContain("[secret]");
    }
  });
});
