/** `llmops pipelines compile`: one template per mission pipeline, identical to `compileToYaml`. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileToYaml } from "../../../pipelines/compiler";
import { createHash } from "node:crypto";
import { compileAll, parseImages } from "../../../pipelines/compiler/cli";
import { missionPipelines, PIPELINES } from "../../../pipelines/llmops";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("compileAll", () => {
  it("writes <pipeline-name>.yaml for every mission pipeline into a new directory and returns the paths (images named locally)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-pipelines-"));
    dirs.push(root);
    const out = path.join(root, "nested", "out");
    const written = compileAll(out);
    expect(written).toEqual(["batch-prediction", "data-preparation", "tune-and-evaluate"].map((name) => path.join(out, `${name}.yaml`)));
    for (const file of written) {
      const name = path.basename(file, ".yaml");
      expect(fs.readFileSync(file, "utf8")).toBe(compileToYaml(PIPELINES[name], { allowUnpinnedImages: true }));
    }
  });

  it("with a stack's image digests, writes exactly what that stack publishes", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-pipelines-"));
    dirs.push(out);
    const images = { steps: `r/llmops-steps@sha256:${sha("a")}`, gpuSteps: `r/llmops-steps-gpu@sha256:${sha("b")}` };
    for (const file of compileAll(out, images)) {
      const name = path.basename(file, ".yaml") as keyof ReturnType<typeof missionPipelines>;
      expect(fs.readFileSync(file, "utf8")).toBe(compileToYaml(missionPipelines(images)[name]));
    }
  });
});

const sha = (seed: string) => createHash("sha256").update(seed).digest("hex");

describe("parseImages (--images)", () => {
  it("reads the stack output's image references", () => {
    const images = { gpuSteps: `r/g@sha256:${sha("g")}`, steps: `r/s@sha256:${sha("s")}` };
    expect(parseImages(JSON.stringify(images), "images.json")).toEqual(images);
  });

  it("names the file and every problem: not JSON, a tag instead of a digest, a missing or unknown key", () => {
    expect(() => parseImages("{", "images.json")).toThrow(/^images\.json: not JSON .*expected \{"steps"/);
    expect(() => parseImages(JSON.stringify({ steps: "r/s:latest", extra: "x" }), "images.json")).toThrow(
      'images.json: steps: "r/s:latest" is not an image pinned by digest; allowed: REGISTRY/PATH@sha256:<64 hex>; gpuSteps: undefined is not an image pinned by digest; allowed: REGISTRY/PATH@sha256:<64 hex>; extra: not a project image; allowed: steps, gpuSteps',
    );
  });
});
