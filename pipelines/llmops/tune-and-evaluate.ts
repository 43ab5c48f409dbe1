/**
 * `tune-and-evaluate`: supervised tuning of Gemini (tuning-job API) or of an open model with LoRA
 * on GPUs (a CustomJob), selected by `tuning_method`; evaluation on the held-out split; a gate
 * that registers the model as a new version only when its score reaches `min_eval_score`; and an
 * exit handler that reports how the run ended.
 */

import { eq, ge, oneOf, param, pipeline, system, VERTEX_ACCELERATORS, type Dag, type PipelineInputs } from "../dsl";
import { EVAL_METRICS, evaluationComponents } from "./components/evaluation";
import { reportRunStatusComponent } from "./components/notify";
import { tuningComponents } from "./components/tuning";
import type { MissionImages } from "./images";

export const TUNING_METHODS = ["gemini-sft", "gemma-lora"] as const;

const INPUTS = {
  tuning_method: param.string({ default: "gemini-sft", choices: TUNING_METHODS }),
  base_model: param.string({ default: "gemini-2.0-flash-001", description: "A Gemini model id, or a Hugging Face id such as google/gemma-2-9b-it." }),
  train_data_uri: param.string({ description: "JSONL written by data-preparation." }),
  eval_data_uri: param.string({ description: "Held-out JSONL written by data-preparation." }),
  tuned_model_display_name: param.string(),
  model_bucket_uri: param.string({ description: "gs://<project>-models, where LoRA runs write their weights." }),
  parent_model: param.string({ default: "", description: "Registry model to add a version to; empty creates a model." }),
  serving_image_uri: param.string({ default: "", description: "Serving container for an open model (e.g. vLLM), pinned by digest." }),
  epochs: param.integer({ default: 3 }),
  learning_rate_multiplier: param.double({ default: 1 }),
  lora_rank: param.integer({ default: 16 }),
  machine_type: param.string({ default: "g2-standard-12" }),
  accelerator_type: param.string({ default: "NVIDIA_L4", choices: VERTEX_ACCELERATORS }),
  accelerator_count: param.integer({ default: 1 }),
  eval_metric: param.string({ default: "rougeLsum", choices: EVAL_METRICS }),
  judge_model: param.string({ default: "", description: "A Gemini model id that judges answers (win_rate); empty: no judge." }),
  min_eval_score: param.double({ default: 0.6 }),
  status_topic: param.string({ default: "" }),
};
type Inputs = PipelineInputs<typeof INPUTS>;
type Tuning = ReturnType<typeof tuningComponents>;

export function tuneAndEvaluatePipeline(images: MissionImages) {
  const tuning = tuningComponents(images);
  const { evaluateModel, registerModelVersion } = evaluationComponents(images);
  const reportRunStatus = reportRunStatusComponent(images);
  return pipeline(
    {
      name: "tune-and-evaluate",
      description: "Tunes Gemini or an open model (LoRA), evaluates it on held-out data, and registers it when it clears the threshold.",
      inputs: INPUTS,
    },
    (dag, inputs) => {
      const report = dag.task(reportRunStatus, { pipeline_name: "tune-and-evaluate", topic: inputs.status_topic }, { caching: false });
      dag.exitHandler(report, (run) => {
        const evalData = run.importer({ artifactUri: inputs.eval_data_uri, schemaTitle: "system.Dataset", name: "import-eval-data" });
        const [geminiModel, openModel] = run
          .if(eq(inputs.tuning_method, "gemini-sft"), (branch) => tuneGeminiModel(branch, inputs, tuning), { displayName: "gemini-supervised-tuning" })
          .else((branch) => tuneOpenModel(branch, inputs, tuning), { displayName: "open-model-lora-tuning" }).results;
        const modelUri = oneOf(geminiModel, openModel);
        const evaluation = run.task(evaluateModel, { model_uri: modelUri, tuning_method: inputs.tuning_method, eval_data: evalData.outputs.artifact, metric: inputs.eval_metric, judge_model: inputs.judge_model });
        run.if(
          ge(evaluation.outputs.score, inputs.min_eval_score),
          (gate) =>
            void gate.task(
              registerModelVersion,
              {
                model_uri: modelUri,
                tuning_method: inputs.tuning_method,
                display_name: inputs.tuned_model_display_name,
                parent_model: inputs.parent_model,
                serving_image_uri: inputs.serving_image_uri,
                eval_score: evaluation.outputs.score,
                metrics: evaluation.outputs.metrics,
              },
              // Registration has side effects: never skip it as a cache hit.
              { caching: false, retry: { maxRetries: 3, backoffSeconds: 30 } },
            ),
          { displayName: "eval-gate" },
        );
      });
    },
  );
}

/** The tuned Gemini model's endpoint. The tuning-job API fails transiently under load, hence retries. */
function tuneGeminiModel(branch: Dag, inputs: Inputs, { tuneGemini }: Tuning) {
  const tuned = branch.task(
    tuneGemini,
    {
      base_model: inputs.base_model,
      train_data_uri: inputs.train_data_uri,
      eval_data_uri: inputs.eval_data_uri,
      tuned_model_display_name: inputs.tuned_model_display_name,
      epochs: inputs.epochs,
      learning_rate_multiplier: inputs.learning_rate_multiplier,
    },
    { retry: { maxRetries: 2, backoffSeconds: 60 } },
  );
  return tuned.outputs.model_uri;
}

/** The directory of the LoRA-tuned open model's weights. */
function tuneOpenModel(branch: Dag, inputs: Inputs, { prepareLoraJob, runLoraJob, publishLoraModel }: Tuning) {
  const plan = branch.task(prepareLoraJob, {
    model_bucket_uri: inputs.model_bucket_uri,
    tuned_model_display_name: inputs.tuned_model_display_name,
    job_name: system.pipelineJobName,
  });
  // The machine comes from the run's parameters; the job's worker runs the GPU steps image.
  const training = branch.task(runLoraJob, {
    display_name: `${inputs.tuned_model_display_name}-lora`,
    base_model: inputs.base_model,
    train_data_uri: inputs.train_data_uri,
    eval_data_uri: inputs.eval_data_uri,
    epochs: inputs.epochs,
    lora_rank: inputs.lora_rank,
    machine_type: inputs.machine_type,
    accelerator_type: inputs.accelerator_type,
    accelerator_count: inputs.accelerator_count,
    base_output_directory: plan.outputs.base_output_directory,
  });
  const published = branch.task(publishLoraModel, {
    gcp_resources: training.outputs.gcp_resources,
    base_output_directory: plan.outputs.base_output_directory,
    base_model: inputs.base_model,
  });
  return published.outputs.model_uri;
}
