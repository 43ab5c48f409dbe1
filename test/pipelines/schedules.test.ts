import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/config";
import { scheduleParameterValues } from "../../infra/pipelines/parameters";
import { PIPELINES } from "../../pipelines/llmops";
import { ofType, type Plan } from "../../infra/testing/plan";
import { renderCommitted } from "../helpers/render";

const BATCH = { model_name: "projects/p/locations/us-central1/models/m@v1-2-0", input_uris: ["gs://b/in/*.jsonl"], output_bucket_uri: "gs://b/out" };

function problems(schedule: Record<string, unknown>) {
  const result = parseStackConfig(
    {
      "gcp:project": "acme-llmops-dev",
      "llmops:environment": "dev",
      "llmops:regions": '["us-central1"]',
      "llmops:pipelines": JSON.stringify({ schedules: { nightly: { pipeline: "batch-prediction", cron: "0 2 * * *", parameters: BATCH, ...schedule } } }),
    },
    "dev",
  );
  return result.ok ? [] : result.problems;
}

describe("schedule configuration", () => {
  it("accepts a valid schedule", () => {
    expect(problems({})).toEqual([]);
  });

  it.each([
    ["a cron with six fields", { cron: "0 0 2 * * *" }, "llmops:pipelines.schedules.nightly.cron", /not a five-field cron/],
    ["an out-of-range cron", { cron: "61 2 * * *" }, "llmops:pipelines.schedules.nightly.cron", /not a valid cron/],
    ["an unknown time zone", { timeZone: "Europe/Amsterdm" }, "llmops:pipelines.schedules.nightly.timeZone", /did you mean "Europe\/Amsterdam"/],
    ["an unknown pipeline", { pipeline: "batch-predictions" }, "llmops:pipelines.schedules.nightly.pipeline", /did you mean "batch-prediction"/],
    ["a parameter the pipeline does not have", { parameters: { ...BATCH, max_replicas: 2 } }, "llmops:pipelines.schedules.nightly.parameters.max_replicas", /max_replica_count/],
    ["a parameter of the wrong type", { parameters: { ...BATCH, max_replica_count: "many" } }, "llmops:pipelines.schedules.nightly.parameters.max_replica_count", /allowed/],
    ["a missing required parameter", { parameters: { input_uris: ["gs://b/x"], output_bucket_uri: "gs://b/o" } }, "llmops:pipelines.schedules.nightly.parameters.model_name", /required|missing/],
  ])("rejects %s, naming the file and key", (_what, schedule, key, message) => {
    const found = problems(schedule).find((p) => p.key === key);
    expect(found, JSON.stringify(problems(schedule), null, 1)).toBeDefined();
    expect(found!.file).toBe("Pulumi.dev.yaml");
    expect(found!.message).toMatch(message);
  });
});

describe("schedule parameter encoding", () => {
  it("sends each value as the JSON text of its declared type, strings verbatim", () => {
    const values = scheduleParameterValues(PIPELINES["batch-prediction"], { ...BATCH, max_replica_count: "3", machine_type: "g2-standard-24" });
    expect(values).toEqual({
      input_uris: '["gs://b/in/*.jsonl"]',
      machine_type: "g2-standard-24",
      max_replica_count: "3",
      model_name: BATCH.model_name,
      output_bucket_uri: "gs://b/out",
    });
    expect(JSON.parse(values.max_replica_count)).toBe(3);
    expect(JSON.parse(values.input_uris)).toEqual(["gs://b/in/*.jsonl"]);
  });

  it("encodes doubles and booleans so Vertex AI parses them as numbers and booleans", () => {
    const values = scheduleParameterValues(PIPELINES["tune-and-evaluate"], {
      eval_data_uri: "gs://b/e",
      train_data_uri: "gs://b/t",
      model_bucket_uri: "gs://b/m",
      tuned_model_display_name: "m",
      min_eval_score: 0.42,
    });
    expect(values.min_eval_score).toBe("0.42");
    expect(typeof JSON.parse(values.min_eval_score)).toBe("number");
  });
});

describe("published templates and schedules in the plans", () => {
  let plans: Record<string, Plan>;
  beforeAll(async () => {
    plans = await renderCommitted("dev", "prod");
  });

  it("publishes every mission pipeline's compiled spec to the KFP repository", () => {
    for (const plan of Object.values(plans)) {
      const templates = ofType(plan, "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate");
      expect(templates.map((t) => t.name).sort()).toEqual(["pipelines-batch-prediction", "pipelines-data-preparation", "pipelines-tune-and-evaluate"]);
      for (const t of templates) {
        expect(t.inputs.repository).toBe(`llmops-pipelines-${plan.stack}`);
        expect(String(t.inputs.content)).toMatch(/^# PIPELINE DEFINITION\n/);
        expect(String(t.inputs.content)).toContain("schemaVersion: 2.1.0");
      }
    }
  });

  it("schedules prod's weekly re-tuning with its cron, time zone, typed parameters, pipeline root and runner", () => {
    const [retune] = ofType(plans.prod, "gcp:colab/schedule:Schedule").filter((s) => s.name === "schedules-weekly-retune");
    expect(retune.inputs.cron).toBe("TZ=Europe/Amsterdam 0 3 * * MON");
    expect(retune.inputs.maxConcurrentRunCount).toBe("1");
    const job = (retune.inputs.createPipelineJobRequest as { pipelineJob: Record<string, any> }).pipelineJob;
    expect(job.templateUri).toMatch(/^https:\/\/us-central1-kfp\.pkg\.dev\/acme-llmops-prod\/llmops-pipelines-prod\/tune-and-evaluate\/sha256:[a-f0-9]{64}$/);
    expect(job.serviceAccount).toBe("llmops-pipelines-prod@acme-llmops-prod.iam.gserviceaccount.com");
    expect(job.runtimeConfig.gcsOutputDirectory).toBe("gs://acme-llmops-prod-prod-pipeline-root/schedules/weekly-retune");
    expect(job.runtimeConfig.parameterValues).toMatchObject({ tuning_method: "gemma-lora", min_eval_score: "0.42" });
  });

  it("schedules dev's nightly batch prediction", () => {
    expect(ofType(plans.dev, "gcp:colab/schedule:Schedule").map((s) => s.inputs.cron)).toEqual(["TZ=Europe/Amsterdam 30 2 * * *"]);
  });
});
