/** `input_artifact.yaml` (samples-next): a pipeline whose input is an artifact (`data: Input[Dataset]`). */
import { artifact, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const inputArtifact = sdkComponent("input_artifact", "input_artifact", { kfpVersion: "2.14.3", inputs: { data: artifact("system.Dataset") } });

export default pipeline({ name: "input-artifact", inputs: { data: artifact("system.Dataset") } }, (dag, inputs) => void dag.task(inputArtifact, { data: inputs.data }));
