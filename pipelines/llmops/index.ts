/**
 * The mission pipelines. Each is parameterised by its root inputs (`pipeline.parameters`), so one
 * compiled template serves several use cases; schedules check their parameter values with
 * `encodeParameterValues` and compile them into the pipeline as defaults (`withDefaults`).
 */

import type { Pipeline } from "../dsl";
import { batchPrediction } from "./batch-prediction";
import { dataPreparation } from "./data-preparation";
import { tuneAndEvaluate } from "./tune-and-evaluate";

export { batchPrediction } from "./batch-prediction";
export { dataPreparation, SOURCE_TYPES } from "./data-preparation";
export { IMAGES } from "./images";
export { TUNING_METHODS, tuneAndEvaluate } from "./tune-and-evaluate";
export { encodeParameterValues, type EncodeResult, type ParameterValueError } from "../compiler/parameter-values";
export type { PipelineParameter } from "../dsl";

/** Every mission pipeline, by its `pipelineInfo.name`. */
export const PIPELINES: Readonly<Record<string, Pipeline>> = {
  [dataPreparation.name]: dataPreparation,
  [tuneAndEvaluate.name]: tuneAndEvaluate,
  [batchPrediction.name]: batchPrediction,
};

export function pipelineNamed(name: string): Pipeline | undefined {
  return Object.prototype.hasOwnProperty.call(PIPELINES, name) ? PIPELINES[name] : undefined;
}
