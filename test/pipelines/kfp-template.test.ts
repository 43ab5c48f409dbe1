import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KfpTemplate, kfpTemplateProvider } from "../../infra/pipelines/providers/kfp-template";
import { KfpTemplateInputs, validateKfpTemplate } from "../../infra/pipelines/providers/kfp-template-inputs";
import { UNKNOWN } from "../../infra/common/providers/validation";
import { FakeKfpRegistry } from "./fake-kfp-registry";

const SPEC_V1 = "# compiled by the llmops compiler\npipelineInfo:\n  name: llmops-train\nschemaVersion: 2.1.0\nroot:\n  dag:\n    tasks: {}\n";
const SPEC_V2 = SPEC_V1.replace("tasks: {}", "tasks:\n      eval: {}");
const digest = (s: string) => createHash("sha256").update(s).digest("hex");
/** `value` carrying serialised provider code, as the engine passes inputs and state to a provider. */
const withCode = <T extends object>(value: T, code: string): T => ({ ...value, __provider: code });

let registry: FakeKfpRegistry;
beforeEach(async () => {
  registry = await FakeKfpRegistry.start();
});
afterEach(async () => registry.close());

function inputs(overrides: Partial<KfpTemplateInputs> = {}): KfpTemplateInputs {
  return {
    project: "llmops-test",
    region: "us-central1",
    repository: "pipelines",
    content: SPEC_V1,
    versionName: "1.4.0",
    endpoint: registry.url,
    apiEndpoint: registry.url,
    credentials: "anonymous",
    retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 2 },
    ...overrides,
  };
}

describe("KfpTemplate publishing against the fake registry", () => {
  it("uploads multipart content with the content-hash and version tags, and outputs a digest-pinned templateUri", async () => {
    const { id, outs } = await kfpTemplateProvider.create(inputs({ extraTags: ["latest"] }));
    const upload = registry.requests[0];
    expect(upload).toMatchObject({ method: "POST", path: "/llmops-test/pipelines", fileName: "pipeline.yaml", authorization: undefined });
    expect(upload.fields).toEqual({ tags: `sha256-${digest(SPEC_V1).slice(0, 16)},1.4.0,latest` });
    expect(id).toBe("projects/llmops-test/locations/us-central1/repositories/pipelines/packages/llmops-train");
    expect(outs).toMatchObject({
      packageName: "llmops-train",
      version: `sha256:${digest(SPEC_V1)}`,
      templateUri: `${registry.url}/llmops-test/pipelines/llmops-train/sha256:${digest(SPEC_V1)}`,
      tagUri: `${registry.url}/llmops-test/pipelines/llmops-train/1.4.0`,
      contentHash: `sha256-${digest(SPEC_V1).slice(0, 16)}`,
    });
    // The URI really names the uploaded bytes.
    expect(await (await fetch(outs.templateUri)).text()).toBe(SPEC_V1);
  });

  it("uses the production host form by default", async () => {
    const outs = await kfpTemplateProvider.update("id", { ...(await kfpTemplateProvider.create(inputs())).outs }, { ...inputs(), endpoint: undefined, deleteVersionOnDestroy: true });
    // Only a setting changed: nothing is republished, so the URI keeps the host it was published on.
    expect(outs.outs.templateUri).toBe(`${registry.url}/llmops-test/pipelines/llmops-train/sha256:${digest(SPEC_V1)}`);
    expect(registry.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  it("publishes a changed spec as a new version in place, keeping the old version in the registry", async () => {
    const { outs: v1 } = await kfpTemplateProvider.create(inputs());
    const news = inputs({ content: SPEC_V2, versionName: "1.5.0" });
    expect(await kfpTemplateProvider.diff("id", v1, news)).toMatchObject({ changes: true, replaces: [], stables: [] });
    const { outs: v2 } = await kfpTemplateProvider.update("id", v1, news);
    expect(v2.version).toBe(`sha256:${digest(SPEC_V2)}`);
    const pkg = registry.packages.get("llmops-test/pipelines/llmops-train");
    expect([...(pkg?.versions.keys() ?? [])]).toEqual([v1.version, v2.version]);
    expect(pkg?.tags.get("1.4.0")).toBe(v1.version);
    expect(pkg?.tags.get("1.5.0")).toBe(v2.version);
  });

  it("replaces only for another repository, and sees no change for identical inputs", async () => {
    const { outs } = await kfpTemplateProvider.create(inputs());
    expect(await kfpTemplateProvider.diff("id", outs, inputs({ repository: "other" }))).toMatchObject({ replaces: ["repository"] });
    expect(await kfpTemplateProvider.diff("id", outs, inputs({ content: UNKNOWN }))).toMatchObject({ changes: true, replaces: [] });
    expect(await kfpTemplateProvider.diff("id", outs, inputs())).toMatchObject({ changes: false, stables: expect.arrayContaining(["templateUri"]) });
  });

  it("records new provider code in place, without a request to the registry", async () => {
    const { outs } = await kfpTemplateProvider.create(inputs({ extraTags: ["latest"] }));
    const olds = withCode(outs, "old code");
    const news = withCode(inputs({ extraTags: ["latest"] }), "new code");
    expect(await kfpTemplateProvider.diff("id", olds, news)).toMatchObject({ changes: true, replaces: [] });
    expect((await kfpTemplateProvider.diff("id", olds, withCode(news, "old code"))).changes).toBe(false);
    const before = registry.requests.length;
    const { outs: updated } = await kfpTemplateProvider.update("id", olds, news);
    expect(registry.requests.slice(before)).toEqual([]);
    expect(updated).toEqual({ ...news, packageName: outs.packageName, version: outs.version, templateUri: outs.templateUri, tagUri: outs.tagUri, contentHash: outs.contentHash, tags: outs.tags });
  });

  it("leaves published versions in place on delete unless deleteVersionOnDestroy", async () => {
    const { id, outs } = await kfpTemplateProvider.create(inputs());
    await kfpTemplateProvider.delete(id, outs);
    expect(registry.requests).toHaveLength(1);
    await kfpTemplateProvider.delete(id, { ...outs, deleteVersionOnDestroy: true });
    expect(registry.requests.at(-1)).toMatchObject({ method: "DELETE", path: `/v1/projects/llmops-test/locations/us-central1/repositories/pipelines/packages/llmops-train/versions/${outs.version}` });
    expect(registry.packages.get("llmops-test/pipelines/llmops-train")?.versions.size).toBe(0);
    expect(await kfpTemplateProvider.read(id, outs)).toEqual({}); // refresh forgets a version that is gone
    await expect(kfpTemplateProvider.delete(id, { ...outs, deleteVersionOnDestroy: true })).resolves.toBeUndefined();
  });

  it("retries 503 and gives up on repeated 429 with a clear message", async () => {
    registry.failNext(/^POST/, 2, 503, "UNAVAILABLE");
    await kfpTemplateProvider.create(inputs());
    expect(registry.requests.filter((r) => r.method === "POST")).toHaveLength(3);
    registry.failNext(/^POST/, 5, 429, "RESOURCE_EXHAUSTED");
    await expect(kfpTemplateProvider.create(inputs({ content: SPEC_V2 }))).rejects.toThrow(
      new RegExp(`KFP repository ${registry.url}/llmops-test/pipelines: upload \\(tags sha256-[0-9a-f]{16}, 1\\.4\\.0\\): still RESOURCE_EXHAUSTED after 3 attempts \\(HTTP 429: injected RESOURCE_EXHAUSTED\\)`),
    );
  });
});

describe("KfpTemplate check", () => {
  it.each([
    [{ content: "pipelineInfo: [unclosed" }, /^content: is not YAML/],
    [{ content: "components: {}\n" }, /^content: has no pipelineInfo\.name/],
    [{ versionName: "sha256:abc" }, /^versionName: "sha256:abc" is invalid; expected a tag/],
    [{ versionName: "1.4.0,latest" }, /^versionName: .* is invalid/],
    [{ extraTags: ["1.4.0"] }, /^extraTags: repeats versionName "1\.4\.0"$/],
    [{ repository: "Pipelines" }, /^repository: "Pipelines" is invalid/],
    [{ endpoint: "https://us-central1-kfp.pkg.dev/llmops-test/pipelines" }, /^endpoint: .* no path$/],
    [{ credentials: "application-default" }, /^endpoint: "http:\/\/127\.0\.0\.1:\d+" is plain HTTP, which would send Google credentials in clear text/],
    [{ timeoutMs: 0 }, /^timeoutMs: 0 is invalid/],
  ])("rejects %j", (change, message) => {
    expect(validateKfpTemplate(inputs(change as Partial<KfpTemplateInputs>)).map((f) => `${f.property}: ${f.reason}`)).toContainEqual(expect.stringMatching(message));
  });

  it("accepts valid inputs, and a spec unknown at preview", () => {
    expect(validateKfpTemplate(inputs())).toEqual([]);
    expect(validateKfpTemplate(inputs({ content: UNKNOWN }))).toEqual([]);
  });
});

describe("KfpTemplate resource", () => {
  it("registers as pulumi-nodejs:dynamic/artifactregistry:KfpTemplate", async () => {
    const seen: { type: string; inputs: Record<string, unknown> }[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          seen.push({ type: args.type, inputs: args.inputs as Record<string, unknown> });
          return { id: "id", state: { ...(args.inputs as Record<string, unknown>), templateUri: "https://us-central1-kfp.pkg.dev/p/r/llmops-train/sha256:00" } };
        },
        call: (args) => args.inputs as Record<string, unknown>,
      },
      "llmops",
      "test",
      true,
    );
    const template = new KfpTemplate("llmops-train", inputs());
    const uri = await new Promise((resolve) => template.templateUri.apply(resolve));
    expect(uri).toBe("https://us-central1-kfp.pkg.dev/p/r/llmops-train/sha256:00");
    expect(seen[0].type).toBe("pulumi-nodejs:dynamic/artifactregistry:KfpTemplate");
    expect(seen[0].inputs).toMatchObject({ repository: "pipelines", versionName: "1.4.0" });
    expect(seen[0].inputs.__provider).toContain('require("google-auth-library")');
    // The serialised text is what runs on later updates and deletes: load it as the host does.
    const provider = require("require-from-string")(seen[0].inputs.__provider).handler() as typeof kfpTemplateProvider;
    expect((await provider.check(inputs(), inputs())).failures).toEqual([]);
    const { outs } = await provider.create(inputs());
    expect(outs.templateUri).toBe(`${registry.url}/llmops-test/pipelines/llmops-train/sha256:${digest(SPEC_V1)}`);
  });
});
