/**
 * The pipelines' images: the project builds its own (BUILT_IMAGES) and pins every upstream image by
 * a digest with its public record (UPSTREAM_IMAGES). No other digest may appear: a made-up one
 * fails here.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../pipelines/compiler";
import { BUILT_IMAGES, missionPipelines, STEPS_CONTEXT, UPSTREAM_IMAGES, type MissionImages } from "../../pipelines/llmops";
import { containerImageBuildProvider, contextFiles, contextHash, type ContainerImageBuildOutputs } from "../../infra/pipelines/images";

const ROOT = path.resolve(__dirname, "..", "..");
const DIGEST = /[\w.\-/:]+@sha256:[0-9a-f]{64}/g;
const upstream = new Set<string>(Object.values(UPSTREAM_IMAGES).map((u) => u.reference));

/** Tracked and new files (not ignored) under the pipelines' sources: their code, images and infrastructure. */
function sourceFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "--", "pipelines", "infra/pipelines", "infra/llmops.ts"], { cwd: ROOT, encoding: "utf8" });
  return listed.split("\n").filter((f) => f !== "" && fs.existsSync(path.join(ROOT, f)));
}

describe("image references in the pipelines' sources", () => {
  it("are upstream images pinned with a cited digest, and nothing else", () => {
    const found: string[] = [];
    for (const file of sourceFiles()) {
      for (const m of fs.readFileSync(path.join(ROOT, file), "utf8").matchAll(DIGEST)) found.push(`${file}: ${m[0]}`);
    }
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => !upstream.has(f.slice(f.indexOf(": ") + 2)))).toEqual([]);
  });

  it.each(Object.entries(UPSTREAM_IMAGES))("upstream %s names its release, its digest and a public record at a fixed commit, and is used where it says", (_key, image) => {
    expect(image.reference).toMatch(/^docker\.io\/[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}$/);
    expect(image.source).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/blob\/[0-9a-f]{40}\//);
    const file = image.usedBy.split(" ")[0];
    expect(fs.readFileSync(path.join(ROOT, file), "utf8")).toContain(file.endsWith(".ts") ? "UPSTREAM_IMAGES.docker" : image.reference);
  });

  it.each(Object.entries(BUILT_IMAGES))("built image %s: its Dockerfile starts only from pinned upstream images", (_key, image) => {
    const dockerfile = fs.readFileSync(path.join(ROOT, STEPS_CONTEXT, image.dockerfile), "utf8");
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(upstream.has(base), `${image.dockerfile}: FROM ${base}`).toBe(true);
    // Standard library only: nothing is fetched from PyPI at build time.
    expect(dockerfile).not.toMatch(/pip install/);
  });

  it("in a stack's compiled specs are exactly the images its builds report", () => {
    const digest = (seed: string) => createHash("sha256").update(seed).digest("hex");
    const built: MissionImages = { steps: `r/llmops-steps@sha256:${digest("s")}`, gpuSteps: `r/llmops-steps-gpu@sha256:${digest("g")}` };
    const text = Object.values(missionPipelines(built)).map((p) => JSON.stringify(compile(p))).join("\n");
    expect([...new Set(text.match(DIGEST))].sort()).toEqual([built.gpuSteps, built.steps].sort());
  });
});

describe("the build's content hash", () => {
  const scratch = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-context-"));
    fs.mkdirSync(path.join(dir, "pkg", "__pycache__"), { recursive: true });
    fs.writeFileSync(path.join(dir, "pkg", "step.py"), "print('a')\n");
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM x\n");
    return dir;
  };

  it("ignores bytecode, and changes with an edited, added or renamed file", () => {
    const dir = scratch();
    try {
      const first = contextHash(dir);
      expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(contextFiles(dir)).toEqual(["Dockerfile", "pkg/step.py"]);
      fs.writeFileSync(path.join(dir, "pkg", "__pycache__", "step.cpython-311.pyc"), "bytes");
      expect(contextHash(dir)).toBe(first);
      fs.writeFileSync(path.join(dir, "pkg", "step.py"), "print('b')\n");
      const edited = contextHash(dir);
      expect(edited).not.toBe(first);
      fs.renameSync(path.join(dir, "pkg", "step.py"), path.join(dir, "pkg", "other.py"));
      expect(contextHash(dir)).not.toBe(edited);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("covers every file the Dockerfiles copy from pipelines/steps", () => {
    const files = contextFiles(path.join(ROOT, STEPS_CONTEXT));
    for (const image of Object.values(BUILT_IMAGES)) {
      const dockerfile = fs.readFileSync(path.join(ROOT, STEPS_CONTEXT, image.dockerfile), "utf8");
      for (const m of dockerfile.matchAll(/^COPY\s+(\S+)\s/gm)) expect(files.some((f) => f.startsWith(`${m[1]}/`)), `${image.dockerfile}: COPY ${m[1]}`).toBe(true);
    }
  });
});

describe("ContainerImageBuild (the Cloud Build step of pulumi up)", () => {
  const olds: ContainerImageBuildOutputs = {
    project: "p",
    region: "us-central1",
    repositoryUri: "us-central1-docker.pkg.dev/p/images",
    name: "llmops-steps",
    dockerfile: "images/steps.Dockerfile",
    context: STEPS_CONTEXT,
    sourceHash: "sha256:1",
    builder: UPSTREAM_IMAGES.docker.reference,
    sourceBucket: "p-pipeline-root",
    serviceAccount: "llmops-builder-dev@p.iam.gserviceaccount.com",
    digest: `sha256:${"0".repeat(64)}`,
    imageUri: `us-central1-docker.pkg.dev/p/images/llmops-steps@sha256:${"0".repeat(64)}`,
  };
  const { digest: _d, imageUri: _u, ...inputs } = olds;

  it("rebuilds only when the sources change, in place; a different repository or name replaces it", async () => {
    expect(await containerImageBuildProvider.diff("id", olds, inputs)).toMatchObject({ changes: false, replaces: [], stables: ["digest", "imageUri"] });
    expect(await containerImageBuildProvider.diff("id", olds, { ...inputs, sourceHash: "sha256:2" })).toMatchObject({ changes: true, replaces: [], stables: [] });
    expect(await containerImageBuildProvider.diff("id", olds, { ...inputs, name: "other" })).toMatchObject({ changes: true, replaces: ["name"] });
  });

  it("keeps the reported digest when nothing needs building", async () => {
    expect(await containerImageBuildProvider.update("id", olds, inputs)).toEqual({ outs: olds });
  });

  it("records a new source bucket or build account in place, without building", async () => {
    expect(await containerImageBuildProvider.diff("id", olds, { ...inputs, sourceBucket: "other" })).toMatchObject({ changes: true, replaces: [], stables: ["digest", "imageUri"] });
    expect(await containerImageBuildProvider.update("id", olds, { ...inputs, sourceBucket: "other" })).toEqual({ outs: { ...olds, sourceBucket: "other" } });
  });
});
