import { describe, expect, it } from "vitest";
import type { PlannedResource } from "../../lib/plan";
import { exampleConfig, layOver, parseExpectations, readmeExamples, unmetExpectations } from "../helpers/readme";

const README = [
  "# A capability",
  "## Examples",
  "### Two buckets",
  "```yaml",
  "llmops:storage: {}",
  "# expect: gcp:storage/bucket:Bucket 2, gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember 0",
  "```",
  "### No expectation",
  "```yaml",
  "# a comment first",
  "llmops:ci: { github: { repository: a/b } }",
  "```",
  "### A compiled spec, not configuration",
  "```yaml",
  "# Inputs:",
  "components:",
  "  comp-a: {}",
  "```",
].join("\n");

const resource = (type: string): PlannedResource => ({ urn: `urn:${type}`, type, name: "n", parent: null, inputs: {}, options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [] } });

describe("README examples", () => {
  it("finds the configuration blocks with their titles and expectations, and skips other YAML", () => {
    const examples = readmeExamples(README);
    expect(examples.map((e) => [e.title, e.expect])).toEqual([
      ["Two buckets", [{ type: "gcp:storage/bucket:Bucket", count: 2 }, { type: "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", count: 0 }]],
      ["No expectation", undefined],
    ]);
    expect(exampleConfig(examples[1])).toEqual({ "llmops:ci": { github: { repository: "a/b" } } });
  });

  it("reports a count that differs, and a type that is missing but expected", () => {
    const plan = { resources: [resource("gcp:storage/bucket:Bucket"), resource("gcp:storage/bucket:Bucket"), resource("gcp:storage/bucket:Bucket")] };
    expect(unmetExpectations(plan, parseExpectations(" gcp:storage/bucket:Bucket 2, gcp:serviceaccount/account:Account 1"))).toEqual([
      "gcp:storage/bucket:Bucket: expected 2, rendered 3",
      "gcp:serviceaccount/account:Account: expected 1, rendered 0",
    ]);
    expect(unmetExpectations(plan, parseExpectations("gcp:storage/bucket:Bucket 3, gcp:serviceaccount/account:Account 0"))).toEqual([]);
  });

  it.each([
    ["a missing count", "gcp:storage/bucket:Bucket"],
    ["a word for a count", "gcp:storage/bucket:Bucket four"],
    ["a name that is not a type token", "Bucket 4"],
    ["an empty item", "gcp:storage/bucket:Bucket 4,"],
    ["a type listed twice", "gcp:storage/bucket:Bucket 4, gcp:storage/bucket:Bucket 2"],
  ])("refuses %s rather than skipping the check", (_what, list) => {
    expect(() => parseExpectations(list)).toThrow();
  });

  it("accepts the type tokens of every provider the stacks use", () => {
    const list = "kubernetes:apps/v1:Deployment 2, pulumi-nodejs:dynamic/vertex:EndpointDeployment 1, llmops:gke:Capacity 1, kubernetes:cloud.google.com/v1:ComputeClass 0";
    expect(parseExpectations(list).map((e) => e.count)).toEqual([2, 1, 1, 0]);
  });

  it("reads which example a fragment is laid over, here or in another README", () => {
    const md = ["### Base", "```yaml", "llmops:a: {}", "# expect: gcp:x/y:Z 1", "```", "### Here", "```yaml", '# over: "Base"', "llmops:a: {}", "# expect: gcp:x/y:Z 1", "```", "### There", "```yaml", '# over: infra/models/README.md "Example: a candidate at canary" (its model)', "llmops:a: {}", "# expect: gcp:x/y:Z 1", "```"].join("\n");
    expect(readmeExamples(md).map((e) => e.over)).toEqual([undefined, { title: "Base" }, { readme: "infra/models/README.md", title: "Example: a candidate at canary" }]);
  });

  it("lays a fragment over its base: mappings merged, lists and scalars replaced", () => {
    const base = { "llmops:models": { m: { versions: { "1.0.0": {} }, serving: { regions: ["a", "b"], minReplicas: 1 } } }, "llmops:gke": { maxAccelerators: 2 } };
    const top = { "llmops:models": { m: { slo: { availability: 99 }, serving: { regions: ["c"] } } } };
    expect(layOver(base, top)).toEqual({ "llmops:models": { m: { versions: { "1.0.0": {} }, serving: { regions: ["c"], minReplicas: 1 }, slo: { availability: 99 } } }, "llmops:gke": { maxAccelerators: 2 } });
  });
});
