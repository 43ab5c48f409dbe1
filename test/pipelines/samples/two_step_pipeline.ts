/** `two_step_pipeline.yaml`: an artifact passed between tasks; display names. */
import { artifact, component, param, pipeline } from "../../../pipelines/dsl";

const writeToGcs = component({
  name: "write_to_gcs",
  image: "google/cloud-sdk:slim",
  inputs: { text: param.string() },
  outputs: { output_gcs_path: artifact("system.Artifact") },
  command: ({ inputs, outputs }) => ["sh", "-c", 'set -e -x\necho "$0" | gsutil cp - "$1"\n', inputs.text, outputs.output_gcs_path.uri],
});

const readFromGcs = component({
  name: "read_from_gcs",
  image: "google/cloud-sdk:slim",
  inputs: { input_gcs_path: artifact("system.Artifact") },
  command: ({ inputs }) => ["sh", "-c", 'set -e -x\ngsutil cat "$0"\n', inputs.input_gcs_path.uri],
});

export default pipeline({ name: "simple-two-step-pipeline", inputs: { text: param.string({ default: "Hello KFP!" }) } }, (dag, inputs) => {
  const producer = dag.task(writeToGcs, { text: inputs.text }, { displayName: "Producer" });
  dag.task(readFromGcs, { input_gcs_path: producer.outputs.output_gcs_path }, { displayName: "Consumer" });
});
