/** Compiling is a pure function of the pipeline: same input, same bytes, keys sorted throughout. */
import { describe, expect, it } from "vitest";
import { compile, compileToYaml } from "../../../pipelines/compiler";
import type { JsonValue } from "../../../pipelines/dsl";
import { PIPELINES } from "../../../pipelines/llmops";
import { NEXT_SAMPLES, SAMPLES } from "../samples";

const all = { ...PIPELINES, ...SAMPLES, ...NEXT_SAMPLES };
const options = { allowUnpinnedImages: true };

function keysSorted(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (value === null || typeof value !== "object") return true;
  const keys = Object.keys(value);
  return keys.every((key, i) => i === 0 || keys[i - 1] < key) && Object.values(value).every(keysSorted);
}

describe("determinism", () => {
  it.each(Object.keys(all))("%s compiles to identical text twice", (name) => {
    expect(compileToYaml(all[name], options)).toBe(compileToYaml(all[name], options));
    expect(JSON.stringify(compile(all[name], options))).toBe(JSON.stringify(compile(all[name], options)));
  });

  // Schedules rebuild a pipeline through withDefaults: running the body again must not change it.
  it.each(Object.keys(all))("%s compiles to the same text when rebuilt with no new defaults", (name) => {
    expect(compileToYaml(all[name].withDefaults({}), options)).toBe(compileToYaml(all[name], options));
  });

  it.each(Object.keys(all))("%s has its keys sorted at every level", (name) => {
    expect(keysSorted(compile(all[name], options) as unknown as JsonValue)).toBe(true);
  });

  it("writes one YAML document, never the Kubernetes platform document", () => {
    for (const pipeline of Object.values(all)) expect(compileToYaml(pipeline, options)).not.toMatch(/^---$|^platforms:/m);
  });
});
