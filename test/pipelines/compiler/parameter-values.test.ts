/** Run parameters are checked against a pipeline's typed inputs and encoded for Vertex AI. */
import { describe, expect, it } from "vitest";
import { encodeParameterValues, PIPELINES } from "../../../pipelines/llmops";

const tuneAndEvaluate = PIPELINES["tune-and-evaluate"];
const batchPrediction = PIPELINES["batch-prediction"];

const required = { train_data_uri: "gs://d/train.jsonl", eval_data_uri: "gs://d/eval.jsonl", tuned_model_display_name: "reviews", model_bucket_uri: "gs://m" };

describe("encodeParameterValues", () => {
  it("encodes values as the declared JSON types and leaves defaults unwritten", () => {
    expect(encodeParameterValues(tuneAndEvaluate, { ...required, epochs: 5, min_eval_score: 0.7, tuning_method: "gemma-lora" })).toEqual({
      ok: true,
      values: { ...required, epochs: 5, min_eval_score: 0.7, tuning_method: "gemma-lora" },
    });
  });

  it("converts the string forms configuration files produce", () => {
    const result = encodeParameterValues(tuneAndEvaluate, { ...required, epochs: "5", min_eval_score: "0.75", accelerator_count: " 2 " });
    expect(result).toEqual({ ok: true, values: { ...required, epochs: 5, min_eval_score: 0.75, accelerator_count: 2 } });
  });

  it("reads LIST and STRUCT values, or their JSON text", async () => {
    const values = { model_name: "projects/p/locations/l/models/m", output_bucket_uri: "gs://out" };
    expect(encodeParameterValues(batchPrediction, { ...values, input_uris: ["gs://a/*.jsonl"] })).toEqual({ ok: true, values: { ...values, input_uris: ["gs://a/*.jsonl"] } });
    expect(encodeParameterValues(batchPrediction, { ...values, input_uris: '["gs://a/*.jsonl"]' })).toEqual({ ok: true, values: { ...values, input_uris: ["gs://a/*.jsonl"] } });
    expect(encodeParameterValues(batchPrediction, { ...values, input_uris: "gs://a/*.jsonl" })).toEqual({
      ok: false,
      errors: [{ param: "input_uris", message: '"gs://a/*.jsonl" is not a list (LIST); allowed: a list such as ["a", "b"] (or its JSON text)' }],
    });
  });

  it("reports unknown names, missing required values, wrong types and disallowed choices, all at once", () => {
    const result = encodeParameterValues(tuneAndEvaluate, {
      train_data_uri: "gs://d/train.jsonl",
      epochs: 2.5,
      min_score: 0.9,
      tuning_method: "gemma",
      accelerator_type: "nvidia-l4",
      learning_rate_multiplier: true,
    });
    expect(result).toEqual({
      ok: false,
      errors: [
        { param: "accelerator_type", message: expect.stringMatching(/^"nvidia-l4" is not one of the allowed values; allowed: "NVIDIA_TESLA_P100", .*"TPU_V5_LITEPOD"$/) },
        { param: "epochs", message: "2.5 is not an integer (NUMBER_INTEGER); allowed: a whole number such as 3" },
        { param: "learning_rate_multiplier", message: "true is not a number (NUMBER_DOUBLE); allowed: a number such as 0.75" },
        { param: "min_score", message: 'unknown parameter "min_score" (did you mean "min_eval_score"?); allowed: accelerator_count, accelerator_type, base_model, epochs, eval_data_uri, eval_metric, judge_model, learning_rate_multiplier, lora_rank, machine_type, min_eval_score, model_bucket_uri, parent_model, serving_image_uri, status_topic, train_data_uri, tuned_model_display_name, tuning_method' },
        { param: "tuning_method", message: '"gemma" is not one of the allowed values; allowed: "gemini-sft", "gemma-lora"' },
        { param: "eval_data_uri", message: "missing required parameter (it has no default); allowed: a string (STRING)" },
        { param: "model_bucket_uri", message: "missing required parameter (it has no default); allowed: a string (STRING)" },
        { param: "tuned_model_display_name", message: "missing required parameter (it has no default); allowed: a string (STRING)" },
      ],
    });
  });

  it("exposes each pipeline's root inputs with type, default and whether they are optional", () => {
    expect(tuneAndEvaluate.parameters.find((p) => p.name === "min_eval_score")).toEqual({ name: "min_eval_score", type: "NUMBER_DOUBLE", optional: true, default: 0.6 });
    expect(tuneAndEvaluate.parameters.find((p) => p.name === "train_data_uri")).toMatchObject({ name: "train_data_uri", type: "STRING", optional: false });
    expect(tuneAndEvaluate.parameters.map((p) => p.name)).toEqual([...tuneAndEvaluate.parameters.map((p) => p.name)].sort());
  });
});
