/**
 * Compiles a DSL pipeline to the KFP v2 IR (`PipelineSpec`) that Vertex AI Pipelines runs, in the
 * shape and YAML text the official KFP SDK produces.
 */

import { throwIfProblems } from "../dsl/errors";
import { sortKeys } from "../../lib/json";
import type { Pipeline } from "../dsl/pipeline";
import type { JsonValue } from "../dsl/types";
import { buildPipelineSpec } from "./builder";
import { dependencies } from "./dependencies";
import { pipelineHeader } from "./header";
import type { PipelineSpec } from "./ir";
import { validatePipeline } from "./validate";
import { compareCodePoints, dumpYaml } from "./yaml";

export type * from "./ir";
export { encodeParameterValues, type EncodeResult, type ParameterValueError } from "./parameter-values";

/** Written as `sdkVersion`, the SDK release whose output this compiler reproduces. */
export const SDK_VERSION = "kfp-2.14.3";

export interface CompileOptions {
  /**
   * Accept images referenced by tag. Only the SDK-parity fixtures need this: their reference
   * output uses tags like `python:3.11`. @default false
   */
  readonly allowUnpinnedImages?: boolean;
}

/**
 * The pipeline's `PipelineSpec` as a proto3-JSON object with sorted keys. Throws a
 * `PipelineDefinitionError` listing every problem when the pipeline cannot be compiled.
 */
export function compile(pipeline: Pipeline, options: CompileOptions = {}): PipelineSpec {
  const validation = validatePipeline(pipeline, { allowUnpinnedImages: options.allowUnpinnedImages ?? false });
  const graph = dependencies(pipeline);
  throwIfProblems(`Pipeline "${pipeline.name}"`, [...validation, ...graph.problems]);
  const spec = buildPipelineSpec(pipeline, {
    sdkVersion: SDK_VERSION,
    dependencies: graph.dependencies,
    buildNested: (nested) => compile(nested, options),
  });
  return sortKeys(spec as unknown as JsonValue, compareCodePoints) as unknown as PipelineSpec;
}

/** The pipeline as the SDK writes it: the `# PIPELINE DEFINITION` header, then one YAML document. */
export function compileToYaml(pipeline: Pipeline, options: CompileOptions = {}): string {
  const spec = compile(pipeline, options);
  return pipelineHeader(spec, pipeline.description) + dumpYaml(spec as unknown as JsonValue, isInt32Field);
}

/**
 * Numbers in a PipelineSpec are doubles (`google.protobuf.Value`, and the `Struct` holding the
 * deployment spec) except the int32 fields of the proto itself, which PyYAML prints without `.0`.
 */
function isInt32Field(path: readonly (string | number)[]): boolean {
  const key = path[path.length - 1];
  if (key !== "maxRetryCount" && key !== "parallelismLimit") return false;
  return path[0] !== "deploymentSpec" && !path.some((part) => part === "defaultValue" || part === "constant" || part === "metadata");
}

