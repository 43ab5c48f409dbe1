/** `pipeline_with_caching.yaml`: an integer input with a default, and a pipeline output. */
import { param, pipeline } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

export const addOne = lightweightPython({
  functionName: "add_one",
  kfpVersion: "2.15.2",
  source: "def add_one(x: int) -> int:\n    return x + 1\n\n",
  inputs: { x: param.integer() },
  outputs: { Output: param.integer() },
});

export default pipeline({ name: "pipeline-with-caching", inputs: { x: param.integer({ default: 1 }) }, outputs: { Output: param.integer() } }, (dag, inputs) => ({
  Output: dag.task(addOne, { x: inputs.x }).outputs.Output,
}));
