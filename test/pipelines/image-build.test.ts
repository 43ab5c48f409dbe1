/**
 * ContainerImageBuild against a fake Cloud Storage + Cloud Build (fake-cloud-build.ts): what
 * `pulumi up` does to build a pipeline image, and how it fails.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import * as pulumi from "@pulumi/pulumi";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ContainerImageBuild, buildTag, containerImageBuildProvider, contextFiles, contextHash, validateContainerImageBuild, type ContainerImageBuildInputs } from "../../infra/pipelines/images";
import { contextTarball } from "../../infra/pipelines/providers/context-tarball";
import { FakeCloudBuild } from "./fake-cloud-build";

const BUILDER = `docker.io/library/docker:29.6.2-cli@sha256:${"b".repeat(64)}`;
let fake: FakeCloudBuild;
let dir: string;

function writeContext(root: string): void {
  fs.mkdirSync(path.join(root, "images"), { recursive: true });
  fs.mkdirSync(path.join(root, "llmops_x", "__pycache__"), { recursive: true });
  fs.writeFileSync(path.join(root, "images", "steps.Dockerfile"), "FROM python\nCOPY llmops_x llmops_x\n");
  fs.writeFileSync(path.join(root, "llmops_x", "__init__.py"), "");
  fs.writeFileSync(path.join(root, "llmops_x", "step.py"), "print('step')\n".repeat(100));
  fs.writeFileSync(path.join(root, "llmops_x", "__pycache__", "step.cpython-311.pyc"), "bytecode");
}

beforeEach(async () => {
  fake = await FakeCloudBuild.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-build-"));
  writeContext(dir);
});
afterEach(async () => {
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function inputs(overrides: Partial<ContainerImageBuildInputs> = {}): ContainerImageBuildInputs {
  return {
    project: "llmops-test",
    region: "us-central1",
    repositoryUri: "us-central1-docker.pkg.dev/llmops-test/images",
    name: "llmops-steps",
    dockerfile: "images/steps.Dockerfile",
    context: dir,
    sourceHash: contextHash(dir),
    builder: BUILDER,
    sourceBucket: "llmops-test-pipeline-root",
    serviceAccount: "llmops-builder-dev@llmops-test.iam.gserviceaccount.com",
    storageEndpoint: fake.url,
    cloudBuildEndpoint: fake.url,
    credentials: "anonymous",
    retry: { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 },
    pollIntervalMs: 0,
    ...overrides,
  };
}

const posts = (re: RegExp) => fake.requests.filter((r) => r.method === "POST" && re.test(r.path));

describe("ContainerImageBuild against fake Cloud Storage and Cloud Build", () => {
  it("uploads the context, runs one docker build as the build account, and returns the digest Cloud Build reports", async () => {
    const { id, outs } = await containerImageBuildProvider.create(inputs());
    const hex = contextHash(dir).slice("sha256:".length);
    const [upload] = posts(/^\/upload\//);
    expect(upload.path).toBe("/upload/storage/v1/b/llmops-test-pipeline-root/o");
    expect(upload.query).toEqual({ uploadType: "media", name: `build-sources/${hex}.tar.gz`, ifGenerationMatch: "0" });
    expect(upload.authorization).toBeUndefined();
    const stored = fake.objects.get(`llmops-test-pipeline-root/build-sources/${hex}.tar.gz`)!;
    expect(stored.bytes.equals(upload.body)).toBe(true);

    const [build] = fake.builds;
    const image = `us-central1-docker.pkg.dev/llmops-test/images/llmops-steps:${buildTag(inputs())}`;
    expect(build.request).toEqual({
      source: { storageSource: { bucket: "llmops-test-pipeline-root", object: `build-sources/${hex}.tar.gz`, generation: stored.generation } },
      steps: [{ name: BUILDER, entrypoint: "docker", args: ["build", "-f", "images/steps.Dockerfile", "-t", image, "."] }],
      images: [image],
      tags: ["llmops", buildTag(inputs())],
      timeout: "3600s",
      serviceAccount: "projects/llmops-test/serviceAccounts/llmops-builder-dev@llmops-test.iam.gserviceaccount.com",
      options: { logging: "CLOUD_LOGGING_ONLY" },
    });
    const digest = FakeCloudBuild.digestOf(stored.bytes, image);
    expect(outs.digest).toBe(digest);
    expect(outs.imageUri).toBe(`us-central1-docker.pkg.dev/llmops-test/images/llmops-steps@${digest}`);
    expect(id).toBe(`projects/llmops-test/locations/us-central1/builds/${build.id}`);
    // The operation was followed to its end.
    expect(fake.requests.filter((r) => r.path === `/v1/${build.operation}`).length).toBeGreaterThanOrEqual(2);
  });

  it("fails a build that ended FAILURE with its id, status and log URL", async () => {
    fake.outcome = "FAILURE";
    const err = await containerImageBuildProvider.create(inputs()).catch((e: Error) => e);
    const [build] = fake.builds;
    expect((err as Error).message).toBe(
      `llmops-steps (us-central1-docker.pkg.dev/llmops-test/images/llmops-steps:${buildTag(inputs())}): build ${build.id} ended FAILURE (Build failure: step #0 - "docker build" exited 1); logs: ${build.logUrl}`,
    );
  });

  it("refuses sources changed after the preview, before uploading or building anything", async () => {
    const previewed = inputs();
    fs.appendFileSync(path.join(dir, "llmops_x", "step.py"), "# edited after the preview\n");
    await expect(containerImageBuildProvider.create(previewed)).rejects.toThrow(
      `llmops-steps: the sources under ${dir} changed after the preview (previewed ${previewed.sourceHash}, now ${contextHash(dir)}); nothing was built`,
    );
    await expect(containerImageBuildProvider.update("id", { ...previewed, sourceHash: "sha256:old", digest: "d", imageUri: "u" }, previewed)).rejects.toThrow(/changed after the preview/);
    expect(fake.requests).toEqual([]);
  });

  it("retries 503 on upload, create and reads, and starts one build only", async () => {
    fake.failNext(/^POST \/upload\//, 2, 503, "UNAVAILABLE");
    fake.failNext(/^POST \/v1\/.*\/builds$/, 2, 503, "UNAVAILABLE");
    fake.failNext(/^GET \/v1\/.*\/operations\//, 1, 503, "UNAVAILABLE");
    const { outs } = await containerImageBuildProvider.create(inputs());
    expect(outs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(posts(/\/builds$/)).toHaveLength(3);
    expect(fake.builds).toHaveLength(1);
  });

  it("gives up on a repeated 429 with what it was doing", async () => {
    fake.failNext(/^POST \/v1\/.*\/builds$/, 3, 429, "RESOURCE_EXHAUSTED");
    await expect(containerImageBuildProvider.create(inputs())).rejects.toThrow(
      "Cloud Build projects/llmops-test/locations/us-central1: create build: still RESOURCE_EXHAUSTED after 3 attempts (HTTP 429: injected RESOURCE_EXHAUSTED)",
    );
  });

  it("does not start a second build when one with the same tag exists (a lost answer, a state not saved)", async () => {
    fake.outcome = "SUCCESS";
    const first = await containerImageBuildProvider.create(inputs());
    const second = await containerImageBuildProvider.create(inputs());
    expect(fake.builds).toHaveLength(1);
    expect(second).toEqual(first);
    // A failed build is not reused: the next attempt builds again.
    fake.builds[0].status = "FAILURE";
    await containerImageBuildProvider.create(inputs());
    expect(fake.builds).toHaveLength(2);
  });

  it("waits for a build still running from an earlier attempt instead of starting another", async () => {
    // The earlier attempt: its build started, then its answer was lost while the build was queued.
    await containerImageBuildProvider.create(inputs());
    const [{ id }] = fake.builds;
    fake.builds[0].status = "QUEUED";
    fake.builds[0].results = undefined;
    const { outs } = await containerImageBuildProvider.create(inputs());
    expect(fake.builds).toHaveLength(1);
    expect(fake.requests.some((r) => r.method === "GET" && r.path.endsWith(`/builds/${id}`))).toBe(true);
    expect(outs.digest).toBe(fake.builds.at(0)?.results?.images[0].digest);
  });

  it("shares one uploaded context between images, and refuses an object overwritten with other bytes", async () => {
    await containerImageBuildProvider.create(inputs());
    await containerImageBuildProvider.create(inputs({ name: "llmops-steps-gpu" }));
    expect(fake.objects.size).toBe(1);
    expect(fake.builds.map((b) => b.request.source)).toEqual([fake.builds[0].request.source, fake.builds[0].request.source]);
    const [key] = fake.objects.keys();
    fake.objects.set(key, { bytes: Buffer.from("not these sources"), generation: "9" });
    await expect(containerImageBuildProvider.create(inputs({ name: "other" }))).rejects.toThrow(/already exists with other bytes .*delete it and run `pulumi up` again/);
  });

  it("says when a build outlives the wait, and that the next run waits for it", async () => {
    fake.holdQueued = true;
    // The wait is the build's timeout plus 15 minutes (16 here); the clock jumps 10 minutes whenever it is read.
    const conn = inputs({ buildTimeoutSeconds: 60 });
    const original = Date.now;
    let now = original();
    Date.now = () => (now += 10 * 60_000);
    try {
      await expect(containerImageBuildProvider.create(conn)).rejects.toThrow(/is still QUEUED after 16 minutes; logs: https:\/\/console.*It goes on: run `pulumi up` again to wait for it/);
    } finally {
      Date.now = original;
    }
  });
});

describe("the context tarball", () => {
  it("is byte-identical for the same sources, whatever their mtimes, modes and bytecode", async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-build-"));
    try {
      writeContext(other);
      const later = new Date("2030-01-01T00:00:00Z");
      for (const f of contextFiles(other)) fs.utimesSync(path.join(other, f), later, later);
      fs.chmodSync(path.join(other, "llmops_x", "step.py"), 0o755);
      fs.writeFileSync(path.join(other, "llmops_x", "__pycache__", "other.pyc"), "more bytecode");
      const a = contextTarball(dir, contextFiles(dir));
      expect(contextTarball(other, contextFiles(other)).equals(a)).toBe(true);
      // …and what is uploaded is that tarball.
      await containerImageBuildProvider.create(inputs());
      expect(posts(/^\/upload\//)[0].body.equals(a)).toBe(true);
      fs.appendFileSync(path.join(other, "llmops_x", "step.py"), "\n");
      expect(contextTarball(other, contextFiles(other)).equals(a)).toBe(false);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it("is a ustar archive of the context's files, without bytecode", () => {
    const tar = gunzipSync(contextTarball(dir, contextFiles(dir)));
    const entries: { name: string; size: number; body: string }[] = [];
    for (let at = 0; at + 512 <= tar.length && tar[at] !== 0; ) {
      const text = (from: number, len: number) => tar.subarray(at + from, at + from + len).toString("utf8").replace(/\0.*$/s, "");
      const size = parseInt(text(124, 12), 8);
      expect(text(257, 6)).toBe("ustar");
      let sum = 0;
      for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tar[at + i];
      expect(parseInt(text(148, 8), 8)).toBe(sum);
      entries.push({ name: text(0, 100), size, body: tar.subarray(at + 512, at + 512 + size).toString("utf8") });
      at += 512 + Math.ceil(size / 512) * 512;
    }
    expect(entries.map((e) => e.name)).toEqual(["images/steps.Dockerfile", "llmops_x/__init__.py", "llmops_x/step.py"]);
    expect(entries[2].body).toBe(fs.readFileSync(path.join(dir, "llmops_x", "step.py"), "utf8"));
    expect(tar.length % 512).toBe(0);
  });
});

describe("ContainerImageBuild check", () => {
  it.each([
    [{ sourceHash: "sha256:1" }, /^sourceHash: "sha256:1" is invalid/],
    [{ builder: "docker:cli" }, /^builder: "docker:cli" is invalid; expected an image pinned by digest/],
    [{ serviceAccount: "builder" }, /^serviceAccount: "builder" is invalid; expected a service account email/],
    [{ repositoryUri: "gcr.io/p" }, /^repositoryUri: .* is invalid/],
    [{ buildTimeoutSeconds: 5 }, /^buildTimeoutSeconds: 5 is invalid; expected an integer from 60/],
  ])("rejects %j", (change, message) => {
    expect(validateContainerImageBuild(inputs(change as Partial<ContainerImageBuildInputs>)).map((f) => `${f.property}: ${f.reason}`)).toContainEqual(expect.stringMatching(message));
  });

  it("accepts valid inputs", () => {
    expect(validateContainerImageBuild(inputs())).toEqual([]);
  });
});

describe("ContainerImageBuild resource", () => {
  it("serialises a provider that builds: the text the engine runs on later updates", async () => {
    const seen: Record<string, unknown>[] = [];
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          seen.push(args.inputs as Record<string, unknown>);
          return { id: "id", state: { ...(args.inputs as Record<string, unknown>), imageUri: "u" } };
        },
        call: (args) => args.inputs as Record<string, unknown>,
      },
      "llmops",
      "test",
      true,
    );
    const resource = new ContainerImageBuild("llmops-steps", inputs());
    await new Promise((resolve) => resource.imageUri.apply(resolve));
    const provider = require("require-from-string")(seen[0].__provider).handler() as typeof containerImageBuildProvider;
    const { outs } = await provider.create(inputs());
    expect(outs.digest).toBe(fake.builds[0].results?.images[0].digest);
  });
});
