/** Evaluation on the held-out split (`llmops_eval`), and registration of a model that passed the gate (`llmops_registry`). */

import { ARTIFACT_TYPES, artifact, component, param, system } from "../../dsl";
import type { MissionImages } from "../images";

/** The metrics `evaluate_model` can gate on (`win_rate` needs `judge_model`). */
export const EVAL_METRICS = ["rougeLsum", "exact_match", "bleu", "win_rate"] as const;

export function evaluationComponents(images: MissionImages) {
  /**
   * Generates an answer for every evaluation example and scores it. Open models run on the task's
   * GPU (vLLM, in the GPU steps image); a tuned Gemini model is called through its endpoint. With
   * `judge_model`, a Gemini judge also compares each answer with the reference (win rate).
   */
  const evaluateModel = component({
    name: "evaluate_model",
    description: "Scores a tuned model on the held-out evaluation split.",
    image: images.gpuSteps,
    inputs: {
      model_uri: param.string({ description: "A Vertex AI endpoint (Gemini) or a gs:// model directory (open model)." }),
      tuning_method: param.string(),
      eval_data: artifact(ARTIFACT_TYPES.Dataset),
      metric: param.string({ default: "rougeLsum", choices: EVAL_METRICS }),
      max_examples: param.integer({ default: 1000 }),
      judge_model: param.string({ default: "", description: "A Gemini model id that judges answers against the references; empty: no win rate." }),
      project: param.string({ default: system.projectId }),
      location: param.string({ default: system.location }),
    },
    outputs: {
      /** The gated metric, in [0, 1]. */
      score: param.double(),
      metrics: artifact(ARTIFACT_TYPES.Metrics),
    },
    command: ["python3", "-m", "llmops_eval.evaluate"],
    // The executor input tells the step where to report the metrics' values (artifact metadata).
    args: ({ inputs, outputs, executorInput }) => [
      "--model-uri", inputs.model_uri,
      "--tuning-method", inputs.tuning_method,
      "--eval-data", inputs.eval_data.uri,
      "--metric", inputs.metric,
      "--max-examples", inputs.max_examples,
      "--judge-model", inputs.judge_model,
      "--project", inputs.project,
      "--location", inputs.location,
      "--score-file", outputs.score,
      "--metrics", outputs.metrics.path,
      "--executor-input", executorInput,
    ],
    resources: { cpuLimit: 8, memoryLimit: "32G", accelerator: { type: "NVIDIA_L4", count: 1 } },
  });

  /**
   * Registers the tuned model as a new version in the Vertex AI Model Registry: an open model is
   * uploaded (`models.upload` with `parent_model`, served by `serving_image_uri`); a tuned Gemini
   * model, which its tuning job already registered, gets the `candidate` alias on that version.
   */
  const registerModelVersion = component({
    name: "register_model_version",
    description: "Uploads the tuned model as a new version of the parent model.",
    image: images.steps,
    inputs: {
      model_uri: param.string(),
      tuning_method: param.string(),
      display_name: param.string(),
      parent_model: param.string({ default: "", description: "projects/…/models/…; empty registers a new model." }),
      serving_image_uri: param.string({ default: "" }),
      eval_score: param.double(),
      metrics: artifact(ARTIFACT_TYPES.Metrics),
      version_aliases: param.list({ default: ["candidate"] }),
      project: param.string({ default: system.projectId }),
      location: param.string({ default: system.location }),
    },
    outputs: {
      model: artifact(ARTIFACT_TYPES.VertexModel),
      model_version_name: param.string(),
    },
    command: ["python3", "-m", "llmops_registry.register"],
    // The executor input tells the client where to record the Vertex model's resourceName.
    args: ({ inputs, outputs, executorInput }) => [
      "--model-uri", inputs.model_uri,
      "--tuning-method", inputs.tuning_method,
      "--display-name", inputs.display_name,
      "--parent-model", inputs.parent_model,
      "--serving-image", inputs.serving_image_uri,
      "--eval-score", inputs.eval_score,
      "--metrics", inputs.metrics.uri,
      "--version-aliases", inputs.version_aliases,
      "--project", inputs.project,
      "--location", inputs.location,
      "--executor-input", executorInput,
      "--version-name-file", outputs.model_version_name,
    ],
  });

  return { evaluateModel, registerModelVersion };
}
