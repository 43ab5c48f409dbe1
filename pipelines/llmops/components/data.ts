/** Data preparation: BigQuery export and the train/evaluation split written as JSONL (`llmops_data`). */

import { ARTIFACT_TYPES, artifact, component, param, system } from "../../dsl";
import type { MissionImages } from "../images";

export function dataComponents(images: MissionImages) {
  /** Exports a BigQuery table to one JSONL file, one object per row with every column. */
  const exportBigQuery = component({
    name: "export_bigquery",
    description: "Exports a BigQuery table to JSONL.",
    image: images.steps,
    inputs: {
      source_uri: param.string({ description: "bq://project.dataset.table" }),
      text_field: param.string({ default: "text" }),
      target_field: param.string({ default: "target" }),
      max_examples: param.integer({ default: 0, description: "0 exports every row." }),
      project: param.string({ default: system.projectId }),
    },
    outputs: { dataset: artifact(ARTIFACT_TYPES.Dataset) },
    command: ["python3", "-m", "llmops_data.export_bigquery"],
    args: ({ inputs, outputs }) => [
      "--source-uri", inputs.source_uri,
      "--text-field", inputs.text_field,
      "--target-field", inputs.target_field,
      "--max-examples", inputs.max_examples,
      "--project", inputs.project,
      "--output", outputs.dataset.path,
    ],
    resources: { cpuLimit: 4, memoryLimit: "16G" },
  });

  /**
   * Validates every record, formats its prompt with the model version's template, drops
   * duplicates and splits by a hash of the seed and the prompt (reruns split identically), writing
   * `train.jsonl` and `evaluation.jsonl` in the supervised-tuning format under
   * `<output_prefix>/<run>/`. The counts are a metrics artifact (set through the executor input).
   */
  const splitDataset = component({
    name: "split_dataset",
    description: "Splits a JSONL dataset into train and evaluation files in the dataset bucket.",
    image: images.steps,
    inputs: {
      dataset: artifact(ARTIFACT_TYPES.Dataset),
      output_prefix: param.string({ description: "gs://<dataset bucket>/<dataset name>" }),
      run_id: param.string(),
      text_field: param.string({ default: "text" }),
      target_field: param.string({ default: "target" }),
      prompt_template: param.string({ default: "{text}", description: "The model version's promptTemplate; {field} slots filled from each record." }),
      eval_fraction: param.double({ default: 0.1 }),
      seed: param.integer({ default: 42 }),
      max_examples: param.integer({ default: 0 }),
    },
    outputs: {
      train_uri: param.string(),
      eval_uri: param.string(),
      stats: artifact(ARTIFACT_TYPES.Metrics),
    },
    command: ["python3", "-m", "llmops_data.split"],
    args: ({ inputs, outputs, executorInput }) => [
      "--input", inputs.dataset.uri,
      "--output-prefix", inputs.output_prefix,
      "--run-id", inputs.run_id,
      "--text-field", inputs.text_field,
      "--target-field", inputs.target_field,
      "--prompt-template", inputs.prompt_template,
      "--eval-fraction", inputs.eval_fraction,
      "--seed", inputs.seed,
      "--max-examples", inputs.max_examples,
      "--train-uri-file", outputs.train_uri,
      "--eval-uri-file", outputs.eval_uri,
      "--stats", outputs.stats.path,
      "--executor-input", executorInput,
    ],
    resources: { cpuLimit: 4, memoryLimit: "16G" },
  });

  return { exportBigQuery, splitDataset };
}
