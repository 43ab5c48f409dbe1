/** The mission pipelines: the structure that makes each one do its job, asserted on the compiled IR. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compile, compileToYaml, type PipelineSpec, type TaskSpec } from "../../../pipelines/compiler";
import { PINNED_IMAGE_PATTERN } from "../../../pipelines/dsl";
import { batchPrediction, dataPreparation, IMAGES, pipelineNamed, PIPELINES, tuneAndEvaluate } from "../../../pipelines/llmops";

function task(spec: PipelineSpec, component: string | undefined, name: string): TaskSpec {
  const dag = component === undefined ? spec.root.dag : spec.components?.[component].dag;
  const found = dag?.tasks[name];
  if (found === undefined) throw new Error(`no task ${name} in ${component ?? "root"}`);
  return found;
}

describe("registry", () => {
  it("lists the three mission pipelines by name", () => {
    expect(Object.keys(PIPELINES).sort()).toEqual(["batch-prediction", "data-preparation", "tune-and-evaluate"]);
    expect(pipelineNamed("tune-and-evaluate")).toBe(tuneAndEvaluate);
    expect(pipelineNamed("toString")).toBeUndefined();
  });

  it("pins every image by digest, including the LoRA trainer inside the worker pool spec", () => {
    for (const image of Object.values(IMAGES)) expect(image).toMatch(PINNED_IMAGE_PATTERN);
    for (const pipeline of Object.values(PIPELINES)) {
      for (const executor of Object.values(compile(pipeline).deploymentSpec?.executors ?? {})) {
        if (executor.container) expect(executor.container.image).toMatch(PINNED_IMAGE_PATTERN);
      }
    }
  });
});

describe("compiled YAML", () => {
  it.each(Object.keys(PIPELINES))("%s parses as YAML to exactly the compiled spec, header comment included", (name) => {
    const text = compileToYaml(PIPELINES[name]);
    // A multi-line default (batch-prediction's prompt template) must stay inside the header comment.
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(compile(PIPELINES[name]))));
    const header = text.slice(0, text.indexOf("\ncomponents:"));
    for (const line of header.split("\n")) expect(line.startsWith("#"), line).toBe(true);
  });
});

describe("data-preparation", () => {
  const spec = compile(dataPreparation);

  it("exports from BigQuery (uncached) or imports files from Cloud Storage, by source_type", () => {
    const branches = spec.components?.["comp-condition-branches-1"].dag?.tasks ?? {};
    expect(branches["condition-2"].triggerPolicy?.condition).toBe("inputs.parameter_values['pipelinechannel--source_type'] == 'bigquery'");
    expect(branches["condition-2"].taskInfo.name).toBe("from-bigquery");
    expect(branches["condition-3"].triggerPolicy?.condition).toBe("!(inputs.parameter_values['pipelinechannel--source_type'] == 'bigquery')");
    expect(task(spec, "comp-condition-2", "export-bigquery").cachingOptions).toEqual({});
    expect(task(spec, "comp-condition-3", "import-gcs-files").inputs?.parameters?.uri).toEqual({ componentInputParameter: "pipelinechannel--source_uri" });
    expect(spec.deploymentSpec?.executors["exec-import-gcs-files"].importer).toEqual({
      artifactUri: { runtimeParameter: "uri" },
      reimport: true,
      typeSchema: { schemaTitle: "system.Dataset", schemaVersion: "0.0.1" },
    });
  });

  it("splits whichever dataset was produced into the dataset bucket and returns the split URIs", () => {
    const split = task(spec, undefined, "split-dataset");
    expect(split.dependentTasks).toEqual(["condition-branches-1"]);
    expect(split.inputs?.artifacts?.dataset).toEqual({
      taskOutputArtifact: { outputArtifactKey: "pipelinechannel--condition-branches-1-oneof-1", producerTask: "condition-branches-1" },
    });
    expect(split.inputs?.parameters?.output_prefix).toEqual({
      runtimeValue: { constant: "{{$.inputs.parameters['pipelinechannel--dataset_bucket_uri']}}/{{$.inputs.parameters['pipelinechannel--dataset_name']}}" },
    });
    expect(split.inputs?.parameters?.run_id).toEqual({ runtimeValue: { constant: "{{$.pipeline_job_name}}" } });
    expect(spec.root.dag?.outputs?.parameters).toEqual({
      eval_uri: { valueFromParameter: { outputParameterKey: "eval_uri", producerSubtask: "split-dataset" } },
      train_uri: { valueFromParameter: { outputParameterKey: "train_uri", producerSubtask: "split-dataset" } },
    });
  });
});

describe("tune-and-evaluate", () => {
  const spec = compile(tuneAndEvaluate);

  it("reports the run's final status from an exit handler around everything else", () => {
    expect(Object.keys(spec.root.dag?.tasks ?? {}).sort()).toEqual(["exit-handler-1", "report-run-status"]);
    expect(task(spec, undefined, "report-run-status")).toMatchObject({
      dependentTasks: ["exit-handler-1"],
      triggerPolicy: { strategy: "ALL_UPSTREAM_TASKS_COMPLETED" },
      cachingOptions: {},
      inputs: { parameters: { status: { taskFinalStatus: { producerTask: "exit-handler-1" } }, topic: { componentInputParameter: "status_topic" } } },
    });
  });

  it("tunes Gemini through the tuning-job API or an open model with LoRA on a GPU CustomJob, by tuning_method", () => {
    const branches = spec.components?.["comp-condition-branches-2"].dag?.tasks ?? {};
    expect(branches["condition-3"]).toMatchObject({
      taskInfo: { name: "gemini-supervised-tuning" },
      triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--tuning_method'] == 'gemini-sft'" },
    });
    expect(task(spec, "comp-condition-3", "tune-gemini").retryPolicy).toEqual({ backoffDuration: "60s", backoffFactor: 2, backoffMaxDuration: "3600s", maxRetryCount: 2 });
    expect(branches["condition-4"].taskInfo.name).toBe("open-model-lora-tuning");
    const job = task(spec, "comp-condition-4", "custom-training-job");
    const [pool] = (job.inputs?.parameters?.worker_pool_specs as { runtimeValue: { constant: [Record<string, Record<string, unknown>>] } }).runtimeValue.constant;
    expect(pool.machine_spec).toEqual({
      accelerator_count: "{{$.inputs.parameters['pipelinechannel--accelerator_count']}}",
      accelerator_type: "{{$.inputs.parameters['pipelinechannel--accelerator_type']}}",
      machine_type: "{{$.inputs.parameters['pipelinechannel--machine_type']}}",
    });
    expect(pool.container_spec.image_uri).toBe(IMAGES.loraTrainer);
    expect(job.inputs?.parameters?.base_output_directory).toEqual({ taskOutputParameter: { outputParameterKey: "base_output_directory", producerTask: "prepare-lora-job" } });
    expect(task(spec, "comp-condition-4", "publish-lora-model").dependentTasks).toEqual(["custom-training-job", "prepare-lora-job"]);
  });

  it("evaluates whichever model was tuned, on a GPU, against the imported held-out split", () => {
    const evaluate = task(spec, "comp-exit-handler-1", "evaluate-model");
    expect(evaluate.dependentTasks).toEqual(["condition-branches-2", "import-eval-data"]);
    expect(evaluate.inputs?.parameters?.model_uri).toEqual({
      taskOutputParameter: { outputParameterKey: "pipelinechannel--condition-branches-2-oneof-1", producerTask: "condition-branches-2" },
    });
    expect(spec.deploymentSpec?.executors["exec-evaluate-model"].container?.resources?.accelerator).toEqual({ count: "1", resourceCount: "1", resourceType: "NVIDIA_L4", type: "NVIDIA_L4" });
    expect(spec.root.outputDefinitions?.artifacts?.["evaluate-model-metrics"]).toEqual({ artifactType: { schemaTitle: "system.Metrics", schemaVersion: "0.0.1" } });
  });

  it("registers a new model version only when the score reaches min_eval_score", () => {
    const gate = task(spec, "comp-exit-handler-1", "condition-5");
    expect(gate).toMatchObject({
      taskInfo: { name: "eval-gate" },
      dependentTasks: ["condition-branches-2", "evaluate-model"],
      triggerPolicy: { condition: "inputs.parameter_values['pipelinechannel--evaluate-model-score'] >= inputs.parameter_values['pipelinechannel--min_eval_score']" },
    });
    const register = task(spec, "comp-condition-5", "register-model-version");
    expect(register.cachingOptions).toEqual({});
    expect(register.inputs?.parameters?.parent_model).toEqual({ componentInputParameter: "pipelinechannel--parent_model" });
    expect(register.inputs?.artifacts?.metrics).toEqual({ componentInputArtifact: "pipelinechannel--evaluate-model-metrics" });
  });
});

describe("batch-prediction", () => {
  const spec = compile(batchPrediction);

  it("runs one uncached, retried batch job per input, at most four at a time", () => {
    expect(task(spec, undefined, "for-loop-1")).toMatchObject({
      dependentTasks: ["resolve-model"],
      iteratorPolicy: { parallelismLimit: 4 },
      parameterIterator: { itemInput: "pipelinechannel--input_uris-loop-item", items: { inputParameter: "pipelinechannel--input_uris" } },
    });
    const predict = task(spec, "comp-for-loop-1", "batch-predict");
    expect(predict.cachingOptions).toEqual({});
    expect(predict.retryPolicy?.maxRetryCount).toBe(2);
    expect(predict.inputs?.artifacts?.model).toEqual({ componentInputArtifact: "pipelinechannel--resolve-model-model" });
    expect(task(spec, "comp-for-loop-1", "prepare-prompts").inputs?.parameters?.input_uri).toEqual({ componentInputParameter: "pipelinechannel--input_uris-loop-item" });
  });

  it("writes the manifest after every batch job, through .after() on the loop", () => {
    expect(task(spec, undefined, "write-run-manifest").dependentTasks).toEqual(["for-loop-1"]);
  });
});
