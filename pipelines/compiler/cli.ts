/** Writes the mission pipelines' compiled templates; wired to `llmops pipelines compile [--images FILE] [--out DIR]`. */

import * as fs from "node:fs";
import * as path from "node:path";
import { BUILT_IMAGES, LOCAL_IMAGES, missionPipelines, type MissionImages } from "../llmops";
import { PINNED_IMAGE_PATTERN } from "../dsl/component";
import { compileToYaml } from "./index";

/**
 * Writes `<pipeline-name>.yaml` for every mission pipeline into `outDir`; returns the paths written.
 *
 * With `images` (each project image by digest, as a stack's builds report them: the stack output
 * `pipelines.images`), the specs are exactly what that stack publishes. Without, the project's
 * images keep their local names (`LOCAL_IMAGES`): specs to read and to run with
 * `llmops pipelines run --local`, which Vertex AI would refuse to pull.
 */
export function compileAll(outDir: string, images?: MissionImages): string[] {
  const pipelines = missionPipelines(images ?? LOCAL_IMAGES);
  // Compile everything first, so a broken pipeline leaves no half-updated directory behind.
  const files = Object.keys(pipelines)
    .sort()
    .map((name) => ({ file: path.join(outDir, `${name}.yaml`), text: compileToYaml(pipelines[name as keyof typeof pipelines], { allowUnpinnedImages: images === undefined }) }));
  fs.mkdirSync(outDir, { recursive: true });
  for (const { file, text } of files) fs.writeFileSync(file, text);
  return files.map(({ file }) => file);
}

/** The project images' references from a JSON file (`{"steps": "…@sha256:…", "gpuSteps": "…"}`), every problem at once. */
export function parseImages(text: string, source: string): MissionImages {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not JSON (${(err as Error).message}); expected {"steps": "<image>@sha256:…", "gpuSteps": "…"}, e.g. from \`pulumi stack output pipelines --json\` (.images)`);
  }
  const problems: string[] = [];
  const record = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!record) problems.push("expected an object of image references by key");
  const keys = Object.keys(BUILT_IMAGES);
  for (const key of keys) {
    const reference = record?.[key];
    if (typeof reference !== "string" || !PINNED_IMAGE_PATTERN.test(reference)) problems.push(`${key}: ${JSON.stringify(reference)} is not an image pinned by digest; allowed: REGISTRY/PATH@sha256:<64 hex>`);
  }
  for (const key of Object.keys(record ?? {})) if (!keys.includes(key)) problems.push(`${key}: not a project image; allowed: ${keys.join(", ")}`);
  if (problems.length > 0) throw new Error(`${source}: ${problems.join("; ")}`);
  return Object.fromEntries(keys.map((k) => [k, record![k]])) as unknown as MissionImages;
}
