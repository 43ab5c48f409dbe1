/** `pythonic_artifacts_with_list_of_artifacts.yaml` (samples-next): artifacts returned by Python components, collected from a loop into a list input. */
import { artifact, collected, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pythonic_artifacts_with_list_of_artifacts";
const makeDataset = sdkComponent(SAMPLE, "make_dataset", { kfpVersion: "2.14.3", inputs: { text: param.string() }, outputs: { Output: artifact("system.Dataset") } });
const joinDatasets = sdkComponent(SAMPLE, "join_datasets", {
  kfpVersion: "2.14.3",
  inputs: { datasets: artifact("system.Dataset", { list: true }) },
  outputs: { Output: artifact("system.Dataset") },
});

export default pipeline(
  { name: "make-and-join-datasets", inputs: { texts: param.list({ default: ["Hello", ",", " ", "world!"] }) }, outputs: { Output: artifact("system.Dataset") } },
  (dag, inputs) => {
    const made = dag.parallelFor(inputs.texts, (loop, text) => loop.task(makeDataset, { text }));
    return { Output: dag.task(joinDatasets, { datasets: collected(made.outputs.Output) }).outputs.Output };
  },
);
