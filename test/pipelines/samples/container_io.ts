/** `container_io.yaml`: input and output parameter placeholders; a pipeline output. */
import { component, param, pipeline } from "../../../pipelines/dsl";

const containerIo = component({
  name: "container_io",
  image: "registry.access.redhat.com/ubi9/python-311:latest",
  inputs: { text: param.string() },
  outputs: { output_path: param.string() },
  command: ({ inputs }) => ["my_program", inputs.text],
  args: ({ outputs }) => ["--output_path", outputs.output_path],
});

export default pipeline({ name: "container-io", inputs: { text: param.string() }, outputs: { output_path: param.string() } }, (dag, inputs) => ({
  output_path: dag.task(containerIo, { text: inputs.text }).outputs.output_path,
}));
