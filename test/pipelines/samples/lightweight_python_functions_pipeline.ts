/** `lightweight_python_functions_pipeline.yaml`: parameters of every type and artifacts passed between two tasks. */
import { artifact, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "lightweight_python_functions_pipeline";

const preprocess = sdkComponent(SAMPLE, "preprocess", {
  kfpVersion: "2.14.3",
  inputs: { message: param.string(), input_dict_parameter: param.struct(), input_list_parameter: param.list() },
  outputs: {
    output_dataset_one: artifact("system.Dataset"),
    output_dataset_two_path: artifact("system.Dataset"),
    output_parameter_path: param.string(),
    output_bool_parameter_path: param.boolean(),
    output_dict_parameter_path: param.struct(),
    output_list_parameter_path: param.list(),
  },
});

const train = sdkComponent(SAMPLE, "train", {
  kfpVersion: "2.14.3",
  inputs: {
    dataset_one_path: artifact("system.Dataset"),
    dataset_two: artifact("system.Dataset"),
    message: param.string(),
    input_bool: param.boolean(),
    input_dict: param.struct(),
    input_list: param.list(),
    num_steps: param.integer({ default: 100 }),
  },
  outputs: { model: artifact("system.Model") },
});

export default pipeline(
  { name: "my-test-pipeline-beta", inputs: { message: param.string(), input_dict: param.struct({ default: { A: 1, B: 2 } }) } },
  (dag, inputs) => {
    const pre = dag.task(preprocess, { message: inputs.message, input_dict_parameter: inputs.input_dict, input_list_parameter: ["a", "b", "c"] });
    dag.task(train, {
      dataset_one_path: pre.outputs.output_dataset_one,
      dataset_two: pre.outputs.output_dataset_two_path,
      message: pre.outputs.output_parameter_path,
      input_bool: pre.outputs.output_bool_parameter_path,
      input_dict: pre.outputs.output_dict_parameter_path,
      input_list: pre.outputs.output_list_parameter_path,
    });
  },
);
