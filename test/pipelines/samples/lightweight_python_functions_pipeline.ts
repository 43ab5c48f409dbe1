/** `lightweight_python_functions_pipeline.yaml`: parameters of every type and artifacts passed between two tasks. */
import { artifact, param, pipeline } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

const preprocess = lightweightPython({
  functionName: "preprocess",
  kfpVersion: "2.14.3",
  source: "def preprocess(\n    # An input parameter of type string.\n    message: str,\n    # An input parameter of type dict.\n    input_dict_parameter: Dict[str, int],\n    # An input parameter of type list.\n    input_list_parameter: List[str],\n    # Use Output[T] to get a metadata-rich handle to the output artifact\n    # of type `Dataset`.\n    output_dataset_one: Output[Dataset],\n    # A locally accessible filepath for another output artifact of type\n    # `Dataset`.\n    output_dataset_two_path: OutputPath('Dataset'),\n    # A locally accessible filepath for an output parameter of type string.\n    output_parameter_path: OutputPath(str),\n    # A locally accessible filepath for an output parameter of type bool.\n    output_bool_parameter_path: OutputPath(bool),\n    # A locally accessible filepath for an output parameter of type dict.\n    output_dict_parameter_path: OutputPath(Dict[str, int]),\n    # A locally accessible filepath for an output parameter of type list.\n    output_list_parameter_path: OutputPath(List[str]),\n):\n    \"\"\"Dummy preprocessing step.\"\"\"\n\n    # Use Dataset.path to access a local file path for writing.\n    # One can also use Dataset.uri to access the actual URI file path.\n    with open(output_dataset_one.path, 'w') as f:\n        f.write(message)\n\n    # OutputPath is used to just pass the local file path of the output artifact\n    # to the function.\n    with open(output_dataset_two_path, 'w') as f:\n        f.write(message)\n\n    with open(output_parameter_path, 'w') as f:\n        f.write(message)\n\n    with open(output_bool_parameter_path, 'w') as f:\n        f.write(\n            str(True))  # use either `str()` or `json.dumps()` for bool values.\n\n    import json\n    with open(output_dict_parameter_path, 'w') as f:\n        f.write(json.dumps(input_dict_parameter))\n\n    with open(output_list_parameter_path, 'w') as f:\n        f.write(json.dumps(input_list_parameter))\n\n",
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

const train = lightweightPython({
  functionName: "train",
  kfpVersion: "2.14.3",
  source: "def train(\n    # Use InputPath to get a locally accessible path for the input artifact\n    # of type `Dataset`.\n    dataset_one_path: InputPath('Dataset'),\n    # Use Input[T] to get a metadata-rich handle to the input artifact\n    # of type `Dataset`.\n    dataset_two: Input[Dataset],\n    # An input parameter of type string.\n    message: str,\n    # Use Output[T] to get a metadata-rich handle to the output artifact\n    # of type `Dataset`.\n    model: Output[Model],\n    # An input parameter of type bool.\n    input_bool: bool,\n    # An input parameter of type dict.\n    input_dict: Dict[str, int],\n    # An input parameter of type List[str].\n    input_list: List[str],\n    # An input parameter of type int with a default value.\n    num_steps: int = 100,\n):\n    \"\"\"Dummy Training step.\"\"\"\n    with open(dataset_one_path) as input_file:\n        dataset_one_contents = input_file.read()\n\n    with open(dataset_two.path) as input_file:\n        dataset_two_contents = input_file.read()\n\n    line = (f'dataset_one_contents: {dataset_one_contents} || '\n            f'dataset_two_contents: {dataset_two_contents} || '\n            f'message: {message} || '\n            f'input_bool: {input_bool}, type {type(input_bool)} || '\n            f'input_dict: {input_dict}, type {type(input_dict)} || '\n            f'input_list: {input_list}, type {type(input_list)} \\n')\n\n    with open(model.path, 'w') as output_file:\n        for i in range(num_steps):\n            output_file.write(f'Step {i}\\n{line}\\n=====\\n')\n\n    # model is an instance of Model artifact, which has a .metadata dictionary\n    # to store arbitrary metadata for the output artifact.\n    model.metadata['accuracy'] = 0.9\n\n",
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
