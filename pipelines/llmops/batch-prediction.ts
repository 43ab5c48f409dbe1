/**
 * `batch-prediction`: runs a registered model over a day of input (e.g. customer reviews), one
 * Vertex AI batch job per input source, writing to the batch-output bucket; a manifest follows.
 */

import { param, pipeline, system } from "../dsl";
import { batchComponents } from "./components/batch";
import type { MissionImages } from "./images";

export function batchPredictionPipeline(images: MissionImages) {
  const { batchPredict, preparePrompts, resolveModel, writeRunManifest } = batchComponents(images);
  return pipeline(
    {
      name: "batch-prediction",
      description: "Batch prediction over a day of input data into the batch-output bucket.",
      inputs: {
        model_name: param.string({ description: "projects/…/models/…[@version|alias]" }),
        input_uris: param.list({ items: "STRING", description: "gs://…/*.jsonl globs or bq:// tables, one batch job each; {date} becomes the prediction date." }),
        output_bucket_uri: param.string({ description: "gs://<project>-batch-output" }),
        prediction_date: param.string({ default: "", description: "YYYY-MM-DD; empty uses the schedule date." }),
        prompt_template: param.string({ default: "Classify the sentiment of this customer review as positive, negative or neutral.\n\nReview: {text}" }),
        text_field: param.string({ default: "text" }),
        machine_type: param.string({ default: "g2-standard-12" }),
        accelerator_type: param.string({ default: "NVIDIA_L4" }),
        accelerator_count: param.integer({ default: 1 }),
        max_replica_count: param.integer({ default: 2 }),
      },
    },
    (dag, inputs) => {
      const model = dag.task(resolveModel, { model_name: inputs.model_name });
      const outputPrefix = `${inputs.output_bucket_uri}/predictions`;
      const predict = dag.parallelFor(
        inputs.input_uris,
        (loop, inputUri) => {
          const prompts = loop.task(preparePrompts, {
            input_uri: inputUri,
            prompt_template: inputs.prompt_template,
            prediction_date: inputs.prediction_date,
            schedule_time: system.pipelineJobScheduleTimeUtc,
            text_field: inputs.text_field,
          });
          // A job's result depends on data outside the pipeline (the model version, the day's files).
          return loop.task(
            batchPredict,
            {
              model: model.outputs.model,
              instances: prompts.outputs.instances,
              output_uri_prefix: outputPrefix,
              job_display_name: system.pipelineJobName,
              machine_type: inputs.machine_type,
              accelerator_type: inputs.accelerator_type,
              accelerator_count: inputs.accelerator_count,
              max_replica_count: inputs.max_replica_count,
            },
            { caching: false, retry: { maxRetries: 2, backoffSeconds: 120 } },
          );
        },
        { parallelism: 4 },
      );
      // After every iteration of the loop: ordering on a task inside it waits for the whole loop.
      dag.task(writeRunManifest, { output_uri_prefix: outputPrefix, model_name: inputs.model_name, input_uris: inputs.input_uris, job_name: system.pipelineJobName }).after(predict);
    },
  );
}
