/** `pipeline_with_importer.yaml`: importers with a constant URI and with a pipeline input, one inside a condition. */
import { artifact, eq, param, pipeline } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

const train = lightweightPython({
  functionName: "train",
  kfpVersion: "2.14.3",
  source:
    "def train(\n    dataset: Input[Dataset]\n) -> NamedTuple('Outputs', [\n    ('scalar', str),\n    ('model', Model),\n]):\n    \"\"\"Dummy Training step.\"\"\"\n    with open(dataset.path) as f:\n        data = f.read()\n    print('Dataset:', data)\n\n    scalar = '123'\n    model = f'My model trained using data: {data}'\n\n    from collections import namedtuple\n    output = namedtuple('Outputs', ['scalar', 'model'])\n    return output(scalar, model)\n\n",
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
