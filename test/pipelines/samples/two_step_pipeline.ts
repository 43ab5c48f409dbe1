/** `two_step_pipeline.yaml`: an artifact passed between tasks of components loaded from v1 YAML; display names. */
import { artifact, param, pipeline } from "../../../pipelines/dsl";
import { sdkLoadedComponent } from "./sdk";

const SAMPLE = "two_step_pipeline";
// `GCSPath` is no KFP type: the SDK reads it as a generic artifact.
const writeToGcs = sdkLoadedComponent(SAMPLE, 0, { name: "Write to GCS", inputs: { text: param.string() }, outputs: { output_gcs_path: artifact("system.Artifact") } });
const readFromGcs = sdkLoadedComponent(SAMPLE, 1, { name: "Read from GCS", inputs: { input_gcs_path: artifact("system.Artifact") } });

export default pipeline({ name: "simple-two-step-pipeline", inputs: { text: param.string({ default: "Hello KFP!" }) } }, (dag, inputs) => {
  const producer = dag.task(writeToGcs, { text: inputs.text }, { displayName: "Producer" });
  dag.task(readFromGcs, { input_gcs_path: producer.outputs.output_gcs_path }, { displayName: "Consumer" });
});
