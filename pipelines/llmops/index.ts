/**
 * The mission pipelines. Each is parameterised by its root inputs (`pipeline.parameters`), so one
 * compiled template serves several use cases; schedules check their parameter values with
 * `encodeParameterValues` and compile them into the pipeline as defaults (`withDefaults`).
 *
 * A pipeline is built for a set of images: `missionPipelines(images)` with the digests a stack's
 * image builds report is what that stack publishes; `PIPELINES` names the project's images
 * locally (`LOCAL_IMAGES`), which is what the local runner runs and what configuration checks
 * read (parameters do not depend on images), and does not compile for Vertex AI.
 */

import type { Pipeline } from "../dsl";
import { batchPredictionPipeline } from "./batch-prediction";
import { dataPreparationPipeline } from "./data-preparation";
import { LOCAL_IMAGES, type MissionImages } from "./images";
import { tuneAndEvaluatePipeline } from "./tune-and-evaluate";

export { batchPredictionPipeline } from "./batch-prediction";
export { dataPreparationPipeline, SOURCE_TYPES } from "./data-preparation";
export { BUILT_IMAGES, LOCAL_IMAGES, STEPS_CONTEXT, UPSTREAM_IMAGES, type BuiltImage, type ImageKey, type MissionImages, type UpstreamImage } from "./images";
export { TUNING_METHODS, tuneAndEvaluatePipeline } from "./tune-and-evaluate";
export { EVAL_METRICS } from "./components/evaluation";
export { encodeParameterValues, type EncodeResult, type ParameterValueError } from "../compiler/parameter-values";
export type { PipelineParameter } from "../dsl";

/** The mission pipeline names, in `pipelineInfo.name` order. */
export const PIPELINE_NAMES = ["batch-prediction", "data-preparation", "tune-and-evaluate"] as const;
export type PipelineName = (typeof PIPELINE_NAMES)[number];

/** Every mission pipeline, by its `pipelineInfo.name`, running the given images. */
export function missionPipelines(images: MissionImages): Readonly<Record<PipelineName, Pipeline>> {
  return {
    "batch-prediction": batchPredictionPipeline(images),
    "data-preparation": dataPreparationPipeline(images),
    "tune-and-evaluate": tuneAndEvaluatePipeline(images),
  };
}

/** The mission pipelines with the project's images named locally (see the file comment). */
export const PIPELINES: Readonly<Record<string, Pipeline>> = missionPipelines(LOCAL_IMAGES);

export function pipelineNamed(name: string, pipelines: Readonly<Record<string, Pipeline>> = PIPELINES): Pipeline | undefined {
  return Object.prototype.hasOwnProperty.call(pipelines, name) ? pipelines[name] : undefined;
}
