/**
 * `data-preparation`: turns a source table or files into the JSONL train and evaluation splits
 * the tuning pipeline reads, under `<dataset_bucket_uri>/<dataset_name>/<run>/`, with every
 * prompt formatted by the model version's template (`prompt_template`).
 */

import { eq, oneOf, param, pipeline, system, type Dag } from "../dsl";
import { dataComponents } from "./components/data";
import type { MissionImages } from "./images";

export const SOURCE_TYPES = ["bigquery", "gcs"] as const;

export function dataPreparationPipeline(images: MissionImages) {
  const { exportBigQuery, splitDataset } = dataComponents(images);
  return pipeline(
    {
      name: "data-preparation",
      description:
        "Exports a BigQuery table or imports JSONL files from Cloud Storage, then writes train and evaluation splits to the dataset bucket.",
      inputs: {
        source_type: param.string({ default: "bigquery", choices: SOURCE_TYPES }),
        source_uri: param.string({ description: "bq://project.dataset.table, or gs://bucket/path/*.jsonl" }),
        dataset_bucket_uri: param.string({ description: "gs://<project>-datasets" }),
        dataset_name: param.string({ description: "Folder for this dataset, e.g. customer-reviews." }),
        text_field: param.string({ default: "text" }),
        target_field: param.string({ default: "target" }),
        prompt_template: param.string({ default: "{text}", description: "The model version's promptTemplate: the instruction the model is tuned and served with." }),
        eval_fraction: param.double({ default: 0.1 }),
        seed: param.integer({ default: 42 }),
        max_examples: param.integer({ default: 0, description: "0 keeps every example." }),
      },
      outputs: { train_uri: param.string(), eval_uri: param.string() },
    },
    (dag, inputs) => {
      const fromBigQuery = (branch: Dag) =>
        branch.task(
          exportBigQuery,
          { source_uri: inputs.source_uri, text_field: inputs.text_field, target_field: inputs.target_field, max_examples: inputs.max_examples },
          // A table changes between runs under the same name, so a cached export would be stale.
          { caching: false },
        ).outputs.dataset;
      const fromCloudStorage = (branch: Dag) =>
        branch.importer({ artifactUri: inputs.source_uri, schemaTitle: "system.Dataset", reimport: true, name: "import-gcs-files" }).outputs.artifact;
      const [exported, imported] = dag
        .if(eq(inputs.source_type, "bigquery"), fromBigQuery, { displayName: "from-bigquery" })
        .else(fromCloudStorage, { displayName: "from-gcs" }).results;
      const split = dag.task(splitDataset, {
        dataset: oneOf(exported, imported),
        output_prefix: `${inputs.dataset_bucket_uri}/${inputs.dataset_name}`,
        run_id: system.pipelineJobName,
        text_field: inputs.text_field,
        target_field: inputs.target_field,
        prompt_template: inputs.prompt_template,
        eval_fraction: inputs.eval_fraction,
        seed: inputs.seed,
        max_examples: inputs.max_examples,
      });
      return { train_uri: split.outputs.train_uri, eval_uri: split.outputs.eval_uri };
    },
  );
}
