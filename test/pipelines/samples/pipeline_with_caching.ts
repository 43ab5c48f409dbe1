/** `pipeline_with_caching.yaml`: an integer input with a default, and a pipeline output. */
import { param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_caching";

export const addOne = sdkComponent(SAMPLE, "add_one", {
  kfpVersion: "2.15.2",
  inputs: { x: param.integer() },
  outputs: { Output: param.integer() },
});

export default pipeline({ name: "pipeline-with-caching", inputs: { x: param.integer({ default: 1 }) }, outputs: { Output: param.integer() } }, (dag, inputs) => ({
  Output: dag.task(addOne, { x: inputs.x }).outputs.Output,
}));
