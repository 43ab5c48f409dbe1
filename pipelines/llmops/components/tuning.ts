/**
 * Supervised tuning, two ways (`llmops_tuning`): Gemini through the Vertex AI tuning-job API, or an
 * open model (Gemma) fine-tuned with LoRA on GPUs as a Vertex AI CustomJob whose machine comes
 * from the run's parameters and whose worker runs the project's GPU image.
 */

import { ARTIFACT_TYPES, artifact, component, param, system, VERTEX_ACCELERATORS } from "../../dsl";
import type { MissionImages } from "../images";

export function tuningComponents(images: MissionImages) {
  /** Creates a `tuningJobs` resource for a Gemini base model, waits for it, reports the tuned model. */
  const tuneGemini = component({
    name: "tune_gemini",
    description: "Supervised fine-tuning of a Gemini model with the Vertex AI tuning-job API.",
    image: images.steps,
    inputs: {
      base_model: param.string(),
      train_data_uri: param.string(),
      eval_data_uri: param.string(),
      tuned_model_display_name: param.string(),
      epochs: param.integer({ default: 3 }),
      learning_rate_multiplier: param.double({ default: 1 }),
      project: param.string({ default: system.projectId }),
      location: param.string({ default: system.location }),
    },
    outputs: {
      /** The tuned model's endpoint, which evaluation and serving call. */
      model_uri: param.string(),
      gcp_resources: param.string(),
    },
    command: ["python3", "-m", "llmops_tuning.gemini_sft"],
    args: ({ inputs, outputs }) => [
      "--base-model", inputs.base_model,
      "--train-data", inputs.train_data_uri,
      "--eval-data", inputs.eval_data_uri,
      "--display-name", inputs.tuned_model_display_name,
      "--epochs", inputs.epochs,
      "--learning-rate-multiplier", inputs.learning_rate_multiplier,
      "--project", inputs.project,
      "--location", inputs.location,
      "--model-uri-file", outputs.model_uri,
      "--gcp-resources", outputs.gcp_resources,
    ],
  });

  /**
   * Picks a fresh output directory for one LoRA run under the models bucket. The CustomJob writes
   * there, so concurrent or repeated runs never overwrite each other's weights.
   */
  const prepareLoraJob = component({
    name: "prepare_lora_job",
    image: images.steps,
    inputs: {
      model_bucket_uri: param.string(),
      tuned_model_display_name: param.string(),
      job_name: param.string({ description: "The pipeline job name, unique per run." }),
    },
    outputs: { base_output_directory: param.string() },
    command: ["python3", "-m", "llmops_tuning.plan_lora"],
    args: ({ inputs, outputs }) => [
      "--model-bucket", inputs.model_bucket_uri,
      "--display-name", inputs.tuned_model_display_name,
      "--job-name", inputs.job_name,
      "--output-dir-file", outputs.base_output_directory,
    ],
  });

  /**
   * Creates the LoRA CustomJob (`customJobs.create`): one worker on the run's machine and
   * accelerators, running `python3 -m llmops_lora.train` in the GPU steps image, as the account
   * this task runs as; waits for it. `gcp_resources` tracks the job, as Google Cloud Pipeline
   * Components' launcher records it.
   */
  const runLoraJob = component({
    name: "run_lora_job",
    description: "LoRA fine-tuning of an open model as a Vertex AI CustomJob on GPUs.",
    image: images.steps,
    inputs: {
      display_name: param.string(),
      base_model: param.string(),
      train_data_uri: param.string(),
      eval_data_uri: param.string(),
      epochs: param.integer({ default: 3 }),
      lora_rank: param.integer({ default: 16 }),
      machine_type: param.string({ default: "g2-standard-12" }),
      accelerator_type: param.string({ default: "NVIDIA_L4", choices: VERTEX_ACCELERATORS }),
      accelerator_count: param.integer({ default: 1 }),
      base_output_directory: param.string(),
      project: param.string({ default: system.projectId }),
      location: param.string({ default: system.location }),
    },
    outputs: { gcp_resources: param.string() },
    command: ["python3", "-m", "llmops_tuning.lora_job"],
    args: ({ inputs, outputs }) => [
      "--display-name", inputs.display_name,
      "--trainer-image", images.gpuSteps,
      "--base-model", inputs.base_model,
      "--train-data", inputs.train_data_uri,
      "--eval-data", inputs.eval_data_uri,
      "--epochs", inputs.epochs,
      "--lora-rank", inputs.lora_rank,
      "--machine-type", inputs.machine_type,
      "--accelerator-type", inputs.accelerator_type,
      "--accelerator-count", inputs.accelerator_count,
      "--base-output-dir", inputs.base_output_directory,
      "--project", inputs.project,
      "--location", inputs.location,
      "--gcp-resources", outputs.gcp_resources,
    ],
  });

  /**
   * Checks that the CustomJob succeeded and left merged weights in `<base_output_directory>/model`
   * (Vertex AI's `AIP_MODEL_DIR`), and publishes them as the branch's model.
   */
  const publishLoraModel = component({
    name: "publish_lora_model",
    image: images.steps,
    inputs: {
      gcp_resources: param.string({ description: "The CustomJob to check." }),
      base_output_directory: param.string(),
      base_model: param.string(),
    },
    outputs: {
      model_uri: param.string(),
      model: artifact(ARTIFACT_TYPES.Model),
    },
    command: ["python3", "-m", "llmops_tuning.publish_lora"],
    args: ({ inputs, outputs }) => [
      "--gcp-resources", inputs.gcp_resources,
      "--job-output-dir", inputs.base_output_directory,
      "--base-model", inputs.base_model,
      "--model-uri-file", outputs.model_uri,
      "--model-card", outputs.model.path,
    ],
  });

  return { tuneGemini, prepareLoraJob, runLoraJob, publishLoraModel };
}
