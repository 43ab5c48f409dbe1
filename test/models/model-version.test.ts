import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { modelVersionProvider } from "../../infra/models/providers/model-version";
import { ModelVersionInputs, versionAliasFor } from "../../infra/models/providers/model-version-types";
import { validateModelVersion } from "../../infra/models/providers/model-version-validate";
import { UNKNOWN } from "../../infra/common/providers/validation";
import { FakeVertex } from "./fake-vertex";
import { CONTAINER, IMAGE, MODEL_ID, modelInputs } from "./fixtures";

let fake: FakeVertex;
beforeEach(async () => {
  fake = await FakeVertex.start();
});
afterEach(async () => fake.close());

const requestsTo = (call: string) => fake.requests.filter((r) => r.call === call);
/** `value` carrying serialised provider code, as the engine passes inputs and state to a provider. */
const withCode = <T extends object>(value: T, code: string): T => ({ ...value, __provider: code });

describe("ModelVersion check", () => {
  const problems = (change: Record<string, unknown>) =>
    validateModelVersion({ ...modelInputs(fake, "1.0.0"), ...change } as Partial<ModelVersionInputs>).map((f) => `${f.property}: ${f.reason}`);

  it("accepts valid inputs and skips unknown values", () => {
    expect(problems({})).toEqual([]);
    expect(problems({ artifactUri: UNKNOWN, container: { imageUri: UNKNOWN } })).toEqual([]);
  });

  it.each([
    [{ container: { imageUri: "us-docker.pkg.dev/p/r/vllm:latest" } }, /^container\.imageUri: ".*vllm:latest" is invalid; expected an image pinned by digest/],
    [{ container: undefined }, /^container: is required/],
    [{ container: { imageUri: IMAGE, ports: [70000] } }, /^container\.ports\[0\]: 70000 is invalid; expected an integer from 1 to 65535$/],
    [{ container: { imageUri: IMAGE, env: { "BAD-NAME": "x" } } }, /^container\.env\.BAD-NAME: key "BAD-NAME" is invalid/],
    [{ container: { imageUri: IMAGE, predictRoute: "generate" } }, /^container\.predictRoute: "generate" is invalid; expected a path starting with \//],
    [{ version: "v1.0" }, /^version: "v1\.0" is invalid; expected a semantic version/],
    [{ artifactUri: "https://storage.googleapis.com/b/m" }, /^artifactUri: .* expected a Cloud Storage URI gs:\/\/bucket\/path$/],
    [{ modelId: "1model" }, /^modelId: "1model" is invalid/],
    [{ versionAliases: ["Candidate"] }, /^versionAliases\[0\]: "Candidate" is invalid/],
    [{ versionAliases: ["123"] }, /^versionAliases\[0\]: "123" is invalid/],
    [{ versionAliases: ["canary", "canary"] }, /^versionAliases: "canary" is listed twice$/],
    [{ labels: { Team: "ml" } }, /^labels\.Team: key "Team" is invalid/],
    [{ labels: { team: "ML Platform" } }, /^labels\.team: "ML Platform" is invalid/],
    [{ credentials: "application-default" }, /^protocol: "http" would send Google credentials in clear text/],
  ])("rejects %j", (change, message) => {
    expect(problems(change)).toContainEqual(expect.stringMatching(message));
  });
});

describe("ModelVersion diff", () => {
  const olds = () => ({ ...modelInputs(fake, "1.0.0"), name: `x@1`, modelName: "x", versionId: "1", versionAlias: "v1-0-0" });

  it.each([
    ["artifactUri", { artifactUri: "gs://llmops-test-models/support-llm/other" }],
    ["container", { container: { ...CONTAINER, args: ["--max-model-len=4096"] } }],
    ["container", { container: { ...CONTAINER, imageUri: UNKNOWN } }],
    ["version", { version: "1.0.1" }],
    ["metadata", { metadata: { pipelineRun: "run-2" } }],
  ])("replaces the version when %s changes", async (key, change) => {
    const diff = await modelVersionProvider.diff("x@1", olds(), { ...modelInputs(fake, "1.0.0"), ...change });
    expect(diff).toMatchObject({ changes: true, replaces: [key], deleteBeforeReplace: false });
  });

  it("updates labels, aliases, description and display name in place", async () => {
    const diff = await modelVersionProvider.diff("x@1", olds(), { ...modelInputs(fake, "1.0.0"), labels: { environment: "prod" }, versionAliases: ["candidate"], description: "new", displayName: "New" });
    expect(diff).toMatchObject({ changes: true, replaces: [], stables: ["name", "modelName", "versionId", "versionAlias"] });
  });

  it("sees no change between an absent and an empty description, labels or alias list", async () => {
    const diff = await modelVersionProvider.diff("x@1", { ...olds(), description: "", versionAliases: [] }, modelInputs(fake, "1.0.0"));
    expect(diff.changes).toBe(false);
  });

  it("updates in place when only the provider code changed, so the new code reaches the state", async () => {
    const diff = await modelVersionProvider.diff("x@1", withCode(olds(), "old code"), withCode(modelInputs(fake, "1.0.0"), "new code"));
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    const same = await modelVersionProvider.diff("x@1", withCode(olds(), "code"), withCode(modelInputs(fake, "1.0.0"), "code"));
    expect(same.changes).toBe(false);
  });

  it("compares content the way create does, so a cosmetic difference never replaces", async () => {
    // Replacing here would adopt the same Vertex version in create, then delete it with the old resource.
    const cosmetic = { ...olds(), container: { ...CONTAINER, args: [], env: {} }, metadata: {} };
    const diff = await modelVersionProvider.diff("x@1", cosmetic, { ...modelInputs(fake, "1.0.0"), container: { ...CONTAINER, args: undefined, env: undefined }, metadata: undefined });
    expect(diff).toMatchObject({ changes: false, replaces: [] });
    const unknownMetadata = await modelVersionProvider.diff("x@1", olds(), { ...modelInputs(fake, "1.0.0"), metadata: UNKNOWN as unknown as Record<string, string> });
    expect(unknownMetadata.replaces).toEqual(["metadata"]);
  });
});

describe("ModelVersion lifecycle against the fake", () => {
  it("sends the version's content, metadata as a struct, and its semver alias", async () => {
    await modelVersionProvider.create(modelInputs(fake, "1.0.0", { metadata: { pipelineRun: "run-1", evalScore: "0.91" }, versionAliases: ["candidate"] }));
    expect(requestsTo("POST models:upload")[0].body.model).toMatchObject({
      versionAliases: ["v1-0-0", "candidate"],
      metadata: { evalScore: "0.91", pipelineRun: "run-1" },
      containerSpec: { imageUri: IMAGE, env: [{ name: "MODEL_ID", value: "support-llm" }], ports: [{ containerPort: 8080 }], predictRoute: "/generate", healthRoute: "/health" },
    });
  });

  it("adopts an upload that finished after the wait timed out, instead of uploading twice", async () => {
    fake.hangOperations(/models:upload/);
    const inputs = modelInputs(fake, "1.0.0", { operationTimeoutMs: 30 });
    await expect(modelVersionProvider.create(inputs)).rejects.toThrow(/upload version 1\.0\.0: operation .*\/operations\/\d+ did not finish within 0s/);
    fake.releaseHungOperations();
    const { outs } = await modelVersionProvider.create(inputs);
    expect(outs.versionId).toBe("1");
    expect(requestsTo("POST models:upload")).toHaveLength(1);
  });

  it("refuses to re-release a semver with different content", async () => {
    await modelVersionProvider.create(modelInputs(fake, "1.0.0"));
    await expect(modelVersionProvider.create(modelInputs(fake, "1.0.0", { artifactUri: "gs://llmops-test-models/support-llm/retrained" }))).rejects.toThrow(
      /version 1\.0\.0 already exists as @1 with a different artifactUri\. Released versions are immutable: bump `version`/,
    );
    expect(requestsTo("POST models:upload")).toHaveLength(1);
    await expect(modelVersionProvider.create(modelInputs(fake, "1.0.0", { metadata: { pipelineRun: "run-9" } }))).rejects.toThrow(/with a different metadata/);
  });

  it("attaches to the registry entry when it appeared since it was looked up", async () => {
    await modelVersionProvider.create(modelInputs(fake, "1.0.0"));
    fake.failNext(/^GET models\/support-llm$/, 1, "NOT_FOUND", "Model not found"); // another run created it meanwhile
    const { outs } = await modelVersionProvider.create(modelInputs(fake, "1.1.0"));
    expect(outs.versionId).toBe("2");
    expect(requestsTo("POST models:upload").map((r) => (r.body.parentModel ? "parentModel" : "modelId"))).toEqual(["modelId", "modelId", "parentModel"]);
  });

  /**
   * Runs two creates whose uploads are both accepted before either operation finishes: `a`'s
   * upload is sent first and its operation completes first, so the outcome does not depend on
   * how the two requests interleave. The operation deadline is generous: `a` waits while `b` starts.
   */
  async function createTogether(first: ModelVersionInputs, then: ModelVersionInputs) {
    const [a, b] = [first, then].map((inputs) => ({ ...inputs, operationTimeoutMs: 60_000 }));
    fake.hangOperations(/models:upload/);
    const settledA = Promise.allSettled([modelVersionProvider.create(a)]);
    await fake.untilCalls(/^POST models:upload$/, 1);
    const settledB = Promise.allSettled([modelVersionProvider.create(b)]);
    await fake.untilCalls(/^POST models:upload$/, 2);
    fake.releaseHungOperations();
    return [(await settledA)[0], (await settledB)[0]] as const;
  }
  const uploadKinds = () => requestsTo("POST models:upload").map((r) => (r.body.parentModel ? "parentModel" : "modelId"));

  it("uploads two versions of a new model started at once: the one whose operation loses the race attaches to the entry", async () => {
    const [a, b] = await createTogether(modelInputs(fake, "1.0.0"), modelInputs(fake, "1.1.0"));
    expect(a.status === "rejected" ? a.reason : "fulfilled").toBe("fulfilled");
    expect(b.status === "rejected" ? b.reason : "fulfilled").toBe("fulfilled");
    expect(uploadKinds()).toEqual(["modelId", "modelId", "parentModel"]);
    expect(fake.registry.versions(MODEL_ID).map((v) => [v.versionId, v.versionAliases])).toEqual([
      ["1", ["default", "v1-0-0"]],
      ["2", ["v1-1-0"]],
    ]);
    if (a.status === "fulfilled" && b.status === "fulfilled") expect([a.value.outs.versionId, b.value.outs.versionId]).toEqual(["1", "2"]);
  });

  it("adopts the same version uploaded at once by another run, and refuses it with other content", async () => {
    const [a, b] = await createTogether(modelInputs(fake, "1.0.0"), modelInputs(fake, "1.0.0"));
    expect([a.status, b.status]).toEqual(["fulfilled", "fulfilled"]);
    if (a.status === "fulfilled" && b.status === "fulfilled") expect([a.value.id, b.value.id]).toEqual([a.value.id, a.value.id]);
    expect(uploadKinds()).toEqual(["modelId", "modelId"]); // no second copy of 1.0.0
    expect(fake.registry.versions(MODEL_ID)).toHaveLength(1);

    fake.registry.models.delete(MODEL_ID);
    const [c, d] = await createTogether(modelInputs(fake, "1.0.0"), modelInputs(fake, "1.0.0", { artifactUri: "gs://llmops-test-models/support-llm/retrained" }));
    expect(c.status).toBe("fulfilled");
    expect(d.status === "rejected" && String(d.reason)).toMatch(/version 1\.0\.0 already exists as @1 with a different artifactUri\. Released versions are immutable/);
  });

  it("updates labels and description, aliases and the display name with the right calls", async () => {
    const { outs } = await modelVersionProvider.create(modelInputs(fake, "1.0.0", { versionAliases: ["candidate"] }));
    const news = { ...modelInputs(fake, "1.0.0"), labels: { environment: "prod" }, description: "promoted", versionAliases: ["stable", "default"], displayName: "Support LLM v2" };
    await modelVersionProvider.update(outs.name, { ...outs, versionAliases: ["candidate", "default", versionAliasFor("1.0.0")] }, news);
    const patch = fake.requests.filter((r) => r.call === `PATCH models/${MODEL_ID}@1`)[0];
    expect(patch.query.updateMask).toBe("labels,version_description");
    expect(patch.body).toEqual({ labels: { environment: "prod" }, versionDescription: "promoted" });
    expect(requestsTo(`PATCH models/${MODEL_ID}`)[0]).toMatchObject({ query: { updateMask: "display_name" }, body: { displayName: "Support LLM v2" } });
    // "-candidate" only: the semver alias and "default" are never removed.
    expect(requestsTo(`POST models/${MODEL_ID}@1:mergeVersionAliases`)[0].body).toEqual({ versionAliases: ["stable", "-candidate"] });
    expect(fake.registry.get(MODEL_ID, "1")).toMatchObject({ versionAliases: ["default", "v1-0-0", "stable"], displayName: "Support LLM v2", versionDescription: "promoted" });
  });

  it("records new provider code without calling Vertex AI", async () => {
    const { outs } = await modelVersionProvider.create(modelInputs(fake, "1.0.0", { versionAliases: ["candidate"], description: "first" }));
    const before = fake.requests.length;
    const news = withCode(modelInputs(fake, "1.0.0", { versionAliases: ["candidate"], description: "first" }), "new code");
    const { outs: updated } = await modelVersionProvider.update(outs.name, withCode(outs, "old code"), news);
    expect(fake.requests.slice(before)).toEqual([]);
    expect(updated).toEqual({ ...news, name: outs.name, modelName: outs.modelName, versionId: "1", versionAlias: "v1-0-0" });
  });

  it("refreshes aliases and labels from Vertex AI, and forgets a version that is gone", async () => {
    const { outs: v1 } = await modelVersionProvider.create(modelInputs(fake, "1.0.0", { versionAliases: ["stable"] }));
    await modelVersionProvider.create(modelInputs(fake, "1.1.0", { versionAliases: ["stable"] })); // moves "stable" to v2
    const read = await modelVersionProvider.read(v1.name, v1);
    expect(read).toMatchObject({ id: v1.name, props: { versionAliases: [], labels: v1.labels } });
    expect(await modelVersionProvider.diff(v1.name, read.props as typeof v1, modelInputs(fake, "1.0.0", { versionAliases: ["stable"] }))).toMatchObject({ changes: true, replaces: [] });
    fake.registry.models.delete(MODEL_ID);
    expect(await modelVersionProvider.read(v1.name, v1)).toEqual({});
  });

  it("moves the default alias before deleting the default version, and deletes the entry with its last version", async () => {
    const { outs: v1 } = await modelVersionProvider.create(modelInputs(fake, "1.0.0"));
    const { outs: v2 } = await modelVersionProvider.create(modelInputs(fake, "1.1.0"));
    await modelVersionProvider.delete(v1.name, v1);
    expect(fake.calls(/models\/support-llm/).filter((c) => !c.includes("operations")).slice(-3)).toEqual([
      "GET models/support-llm:listVersions",
      "POST models/support-llm@2:mergeVersionAliases",
      "DELETE models/support-llm@1:deleteVersion",
    ]);
    expect(fake.registry.get(MODEL_ID, "2").versionAliases).toContain("default");
    await modelVersionProvider.delete(v2.name, v2);
    expect(fake.calls().filter((c) => !c.includes("operations")).at(-1)).toBe("DELETE models/support-llm");
    expect(fake.registry.models.has(MODEL_ID)).toBe(false);
    await expect(modelVersionProvider.delete(v2.name, v2)).resolves.toBeUndefined(); // already gone
  });

  it("refuses to import without the inputs the version was uploaded with", async () => {
    await expect(modelVersionProvider.read("projects/p/locations/us-central1/models/m@1")).rejects.toThrow(/importing a ModelVersion is not supported/);
  });
});
