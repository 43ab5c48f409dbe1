/** `pipeline_with_importer.yaml`: importers with a constant URI and with a pipeline input, one inside a condition. */
import { artifact, eq, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_importer";

const train = sdkComponent(SAMPLE, "train", {
  kfpVersion: "2.14.3",
  inputs: { dataset: artifact("system.Dataset") },
  outputs: { scalar: param.string(), model: artifact("system.Model") },
});

export default pipeline(
  { name: "pipeline-with-importer", inputs: { dataset2: param.string({ default: "gs://ml-pipeline-playground/shakespeare2.txt" }) } },
  (dag, inputs) => {
    const importer1 = dag.importer({
      artifactUri: "gs://ml-pipeline-playground/shakespeare1.txt",
      schemaTitle: "system.Dataset",
      metadata: { key: "value" },
    });
    const train1 = dag.task(train, { dataset: importer1.outputs.artifact });
    dag.if(eq(train1.outputs.scalar, "123"), (branch) => {
      const importer2 = branch.importer({ artifactUri: inputs.dataset2, schemaTitle: "system.Dataset", reimport: true });
      branch.task(train, { dataset: importer2.outputs.artifact });
    });
  },
);
