/** Batch prediction (`llmops_batch`, `llmops_registry.resolve`): resolve the model, render prompts for a day of input, run the batch job. */

import { ARTIFACT_TYPES, artifact, component, param, system } from "../../dsl";
import type { MissionImages } from "../images";

export function batchComponents(images: MissionImages) {
  /** Looks the model up in the registry and publishes it as a `google.VertexModel` artifact. */
  const resolveModel = component({
    name: "resolve_model",
    image: images.steps,
    inputs: {
      model_name: param.string({ description: "projects/…/models/…[@version|alias]" }),
      project: param.string({ default: system.projectId }),
      location: param.string({ default: system.location }),
    },
    outputs: { model: artifact(ARTIFACT_TYPES.VertexModel) },
    command: ["python3", "-m", "llmops_registry.resolve"],
    args: ({ inputs, executorInput }) => ["--model-name", inputs.model_name, "--project", inputs.project, "--location", inputs.location, "--executor-input", executorInput],
  });

  /**
   * Reads one input (a `gs://` JSONL glob or a `bq://` table; `{date}` in it becomes the prediction
   * date: `prediction_date`, else the run's schedule date) and renders each row through
   * `prompt_template`, with the code data preparation formatted the tuning data with.
   */
  const preparePrompts = component({
    name: "prepare_prompts",
    image: images.steps,
    inputs: {
      input_uri: param.string(),
      prompt_template: param.string(),
      prediction_date: param.string({ default: "" }),
      schedule_time: param.string({ default: "" }),
      text_field: param.string({ default: "text" }),
    },
    outputs: { instances: artifact(ARTIFACT_TYPES.Dataset), row_count: param.integer() },
    command: ["python3", "-m", "llmops_batch.prepare"],
    args: ({ inputs, outputs }) => [
      "--input-uri", inputs.input_uri,
      "--prompt-template", inputs.prompt_template,
      "--date", inputs.prediction_date,
      "--schedule-time", inputs.schedule_time,
      "--text-field", inputs.text_field,
      "--instances", outputs.instances.path,
      "--row-count-file", outputs.row_count,
    ],
    resources: { cpuLimit: 4, memoryLimit: "16G" },
  });

  /** A Vertex AI batch prediction job over the rendered instances; results go under `<output_uri_prefix>/<job_display_name>/`. */
  const batchPredict = component({
    name: "batch_predict",
    image: images.steps,
    inputs: {
      model: artifact(ARTIFACT_TYPES.VertexModel),
      instances: artifact(ARTIFACT_TYPES.Dataset),
      output_uri_prefix: param.string(),
      job_display_name: param.string(),
      machine_type: param.string({ default: "g2-standard-12" }),
      accelerator_type: param.string({ default: "NVIDIA_L4" }),
      accelerator_count: param.integer({ default: 1 }),
      max_replica_count: param.integer({ default: 2 }),
      project: param.string({ default: system.projectId }),
      location: param.string({ default: system.location }),
    },
    outputs: { predictions_uri: param.string(), gcp_resources: param.string(), batch_job: artifact(ARTIFACT_TYPES.VertexBatchPredictionJob) },
    command: ["python3", "-m", "llmops_batch.predict"],
    args: ({ inputs, outputs, executorInput }) => [
      "--model", inputs.model.metadataField("resourceName"),
      "--instances", inputs.instances.uri,
      "--output-uri-prefix", inputs.output_uri_prefix,
      "--display-name", inputs.job_display_name,
      "--machine-type", inputs.machine_type,
      "--accelerator-type", inputs.accelerator_type,
      "--accelerator-count", inputs.accelerator_count,
      "--max-replica-count", inputs.max_replica_count,
      "--project", inputs.project,
      "--location", inputs.location,
      "--predictions-uri-file", outputs.predictions_uri,
      "--gcp-resources", outputs.gcp_resources,
      "--executor-input", executorInput,
    ],
  });

  /** Writes `<output_uri_prefix>/<job_name>/_MANIFEST.json` (inputs, model, every prediction file with its SHA-256) once every job is done. */
  const writeRunManifest = component({
    name: "write_run_manifest",
    image: images.steps,
    inputs: {
      output_uri_prefix: param.string(),
      model_name: param.string(),
      input_uris: param.list(),
      job_name: param.string(),
    },
    command: ["python3", "-m", "llmops_batch.manifest"],
    args: ({ inputs }) => ["--output-uri-prefix", inputs.output_uri_prefix, "--model", inputs.model_name, "--inputs", inputs.input_uris, "--job-name", inputs.job_name],
  });

  return { resolveModel, preparePrompts, batchPredict, writeRunManifest };
}
