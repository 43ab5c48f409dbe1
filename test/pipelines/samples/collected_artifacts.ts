/**
 * `collected_artifacts.yaml` (samples-next): artifacts collected from nested loops, including the
 * output of a pipeline run inside a loop, read inside the outer loop, and returned as a list from
 * a pipeline that another pipeline runs.
 */
import { artifact, collected, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "collected_artifacts";
const KFP = "2.14.3";
const NO_CACHE = { caching: false };

const splitIds = sdkComponent(SAMPLE, "split_ids", { kfpVersion: KFP, inputs: { model_ids: param.string() }, outputs: { Output: param.list() } });
const splitChars = sdkComponent(SAMPLE, "split_chars", { kfpVersion: KFP, inputs: { model_ids: param.string() }, outputs: { Output: param.list() } });
const createFile = sdkComponent(SAMPLE, "create_file", { kfpVersion: KFP, inputs: { content: param.string() }, outputs: { file: artifact("system.Artifact") } });
const readSingleFile = sdkComponent(SAMPLE, "read_single_file", { kfpVersion: KFP, inputs: { file: artifact("system.Artifact") }, outputs: { Output: param.string() } });
const createDataset = sdkComponent(SAMPLE, "create_dataset", { kfpVersion: KFP, inputs: { content: param.string() }, outputs: { data: artifact("system.Dataset") } });
const readDatasets = sdkComponent(SAMPLE, "read_datasets", { kfpVersion: KFP, inputs: { data: artifact("system.Dataset", { list: true }) }, outputs: { Output: param.string() } });
const readModels = sdkComponent(SAMPLE, "read_models", { kfpVersion: KFP, inputs: { models: artifact("system.Model", { list: true }) }, outputs: { Output: param.string() } });
const generateModel = sdkComponent(SAMPLE, "read_single_dataset_generate_model", {
  kfpVersion: KFP,
  inputs: { data: artifact("system.Dataset"), id: param.string() },
  outputs: { results: artifact("system.Model") },
});

const singleNodeDag = pipeline({ name: "single-node-dag", inputs: { char: param.string() }, outputs: { Output: artifact("system.Dataset") } }, (dag, inputs) => ({
  Output: dag.task(createDataset, { content: inputs.char }, NO_CACHE).outputs.data,
}));

const collectingArtifacts = pipeline(
  {
    name: "collecting-artifacts",
    inputs: { model_ids: param.string({ default: "" }), model_chars: param.string({ default: "" }) },
    outputs: { Output: artifact("system.Model", { list: true }) },
  },
  (dag, inputs) => {
    const ids = dag.task(splitIds, { model_ids: inputs.model_ids }, NO_CACHE);
    const chars = dag.task(splitChars, { model_ids: inputs.model_chars }, NO_CACHE);
    const generated = dag.parallelFor(ids.outputs.Output, (loop, modelId) => {
      const file = loop.task(createFile, { content: modelId }, NO_CACHE);
      loop.task(readSingleFile, { file: file.outputs.file }, NO_CACHE);
      const [single, model] = loop.parallelFor(chars.outputs.Output, (inner, modelChar) => {
        const dataset = inner.task(singleNodeDag, { char: modelChar }, NO_CACHE);
        return [dataset, inner.task(generateModel, { data: dataset.outputs.Output, id: modelId }, NO_CACHE)] as const;
      });
      loop.task(readModels, { models: collected(model.outputs.results) }, NO_CACHE);
      loop.task(readDatasets, { data: collected(single.outputs.Output) }, NO_CACHE);
      return model;
    });
    return { Output: collected(generated.outputs.results) };
  },
);

export default pipeline({ name: "collected-artifact-pipeline" }, (dag) => {
  const models = dag.task(collectingArtifacts, { model_ids: "s1,s2,s3", model_chars: "x,y,z" }, NO_CACHE);
  dag.task(readModels, { models: models.outputs.Output }, NO_CACHE);
});
