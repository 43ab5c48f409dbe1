/** The mission pipelines: the structure that makes each one do its job, asserted on the compiled IR. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compile, compileToYaml, type PipelineSpec, type TaskSpec } from "../../../pipelines/compiler";
import { PINNED_IMAGE_PATTERN } from "../../../pipelines/dsl";
import { createHash } from "node:crypto";
import { LOCAL_IMAGES, missionPipelines, pipelineNamed, PIPELINES, type MissionImages } from "../../../pipelines/llmops";

// What a stack's image builds report: computed here, so no digest is written down (none is real).
const digest = (name: string) => createHash("sha256").update(name).digest("hex");
const BUILT: MissionImages = {
  steps: `us-central1-docker.pkg.dev/p/images/llmops-steps@sha256:${digest("steps")}`,
  gpuSteps: `us-central1-docker.pkg.dev/p/images/llmops-steps-gpu@sha256:${digest("gpu")}`,
};
const STACK = missionPipelines(BUILT);

function task(spec: PipelineSpec, component: string | undefined, name: string): TaskSpec {
  const dag = component === undefined ? spec.root.dag : spec.components?.[component].dag;
  const found = dag?.tasks[name];
  if (found === undefined) throw new Error(`no task ${name} in ${component ?? "root"}`);
  return found;
}

describe("registry", () => {
  it("lists the three mission pipelines by name", () => {
    expect(Object.keys(PIPELINES).sort()).toEqual(["batch-prediction", "data-preparation", "tune-and-evaluate"]);
    expect(pipelineNamed("tune-and-evaluate")).toBe(PIPELINES["tune-and-evaluate"]);
    expect(pipelineNamed("toString")).toBeUndefined();
  });

  it("runs the images a stack built, by digest, in every container and in the LoRA worker", () => {
    const used = new Set<string>();
    for (const pipeline of Object.values(STACK)) {
      for (const executor of Object.values(compile(pipeline).deploymentSpec?.executors ?? {})) {
        if (!executor.container) continue;
        expect(executor.container.image).toMatch(PINNED_IMAGE_PATTERN);
        used.add(executor.container.image);
      }
    }
    expect([...used].sort()).toEqual([BUILT.steps, BUILT.gpuSteps].sort());
    const lora = compile(STACK["tune-and-evaluate"]).deploymentSpec?.executors["exec-run-lora-job"].container?.args ?? [];
    expect(lora[lora.indexOf("--trainer-image") + 1]).toBe(BUILT.gpuSteps);
  });

  it("does not compile the locally named images for Vertex AI: only the local runner accepts them", () => {
    expect(() => compile(PIPELINES["data-preparation"])).toThrow(/llmops-local\/llmops-steps/);
    expect(LOCAL_IMAGES.steps).not.toMatch(PINNED_IMAGE_PATTERN);
  });
});

describe("compiled YAML", () => {
  it.each(Object.keys(PIPELINES))("%s parses as YAML to exactly the compiled spec, header comment included", (name) => {
    const text = compileToYaml(STACK[name as keyof typeof STACK]);
    // A multi-line default (batch-prediction's prompt template) must stay inside the header comment.
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(compile(STACK[name as keyof typeof STACK]))));
    const header = text.slice(0, text.indexOf("\ncomponents:"));
    for (const line of header.split("\n")) expect(line.startsWith("#"), line).toBe(true);
  });
});

describe("data-preparation", () => {
  const spec = compile(STACK["data-preparation"]);

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
  const spec = compile(STACK["tune-and-evaluate"]);

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
    const job = task(spec, "comp-condition-4", "run-lora-job");
    expect(job.inputs?.parameters?.machine_type).toEqual({ componentInputParameter: "pipelinechannel--machine_type" });
    expect(job.inputs?.parameters?.accelerator_type).toEqual({ componentInputParameter: "pipelinechannel--accelerator_type" });
    expect(job.inputs?.parameters?.accelerator_count).toEqual({ componentInputParameter: "pipelinechannel--accelerator_count" });
    expect(job.inputs?.parameters?.base_output_directory).toEqual({ taskOutputParameter: { outputParameterKey: "base_output_directory", producerTask: "prepare-lora-job" } });
    expect(task(spec, "comp-condition-4", "publish-lora-model").dependentTasks).toEqual(["prepare-lora-job", "run-lora-job"]);
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
  const spec = compile(STACK["batch-prediction"]);

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
