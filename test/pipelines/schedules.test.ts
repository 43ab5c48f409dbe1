import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/settings";
import { scheduledRun } from "../../infra/pipelines/config/parameters";
import { pipelinesSummary } from "../../infra/pipelines/summary";
import { compile, compileToYaml } from "../../pipelines/compiler";
import { missionPipelines, PIPELINES, type MissionImages } from "../../pipelines/llmops";
import { ofType, type Plan, type PlannedResource } from "../../lib/plan";
import { committedConfig } from "../helpers/project";
import { renderCommitted } from "../helpers/render";
import { parseFirstDocument } from "./helpers/samples";

// The locally named images: these unit checks are about parameters, not images.
const LOCAL = { allowUnpinnedImages: true };
const IMAGE_BUILD = "pulumi-nodejs:dynamic/cloudbuild:ContainerImageBuild";
const KFP_TEMPLATE = "pulumi-nodejs:dynamic/artifactregistry:KfpTemplate";
const SCHEDULE = "gcp:colab/schedule:Schedule";

const BATCH = { model_name: "projects/p/locations/us-central1/models/m@v1-2-0", input_uris: ["gs://b/in/*.jsonl"], output_bucket_uri: "gs://b/out" };
const TUNE = { train_data_uri: "gs://b/t", eval_data_uri: "gs://b/e", model_bucket_uri: "gs://b/m", tuned_model_display_name: "m" };

/** A committed stack's parameters for one schedule, as the config file gives them. */
function parseStackConfigured(stack: string, schedule: string): Record<string, unknown> {
  const pipelines = JSON.parse(committedConfig(stack)["llmops:pipelines"]) as { schedules: Record<string, { parameters: Record<string, unknown> }> };
  return pipelines.schedules[schedule].parameters;
}

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
    ["a cron with six fields", { cron: "0 0 2 * * *" }, "llmops:pipelines.schedules.nightly.cron", /is not a unix-cron schedule Vertex AI accepts: 6 field\(s\); allowed: five/],
    ["an out-of-range cron", { cron: "61 2 * * *" }, "llmops:pipelines.schedules.nightly.cron", /61 is out of range for the minute \(0-59\)/],
    ["an unknown time zone", { timeZone: "Europe/Amsterdm" }, "llmops:pipelines.schedules.nightly.timeZone", /did you mean "Europe\/Amsterdam"/],
    ["an unknown pipeline", { pipeline: "batch-predictions" }, "llmops:pipelines.schedules.nightly.pipeline", /did you mean "batch-prediction"/],
    ["a parameter the pipeline does not have", { parameters: { ...BATCH, max_replicas: 2 } }, "llmops:pipelines.schedules.nightly.parameters.max_replicas", /max_replica_count/],
    ["a word for an integer", { parameters: { ...BATCH, max_replica_count: "many" } }, "llmops:pipelines.schedules.nightly.parameters.max_replica_count", /^"many" is not an integer \(NUMBER_INTEGER\); allowed: a whole number such as 3$/],
    ["a fraction for an integer", { parameters: { ...BATCH, max_replica_count: 2.5 } }, "llmops:pipelines.schedules.nightly.parameters.max_replica_count", /^2\.5 is not an integer \(NUMBER_INTEGER\); allowed: a whole number such as 3$/],
    ["a single string for a list", { parameters: { ...BATCH, input_uris: "gs://b/in/*.jsonl" } }, "llmops:pipelines.schedules.nightly.parameters.input_uris", /^"gs:\/\/b\/in\/\*\.jsonl" is not a list \(LIST\); allowed: a list such as \["a", "b"\]/],
    ["a number for a string", { parameters: { ...BATCH, machine_type: 12 } }, "llmops:pipelines.schedules.nightly.parameters.machine_type", /^12 is not a string \(STRING\)/],
    ["a word for a double", { pipeline: "tune-and-evaluate", parameters: { ...TUNE, min_eval_score: "high" } }, "llmops:pipelines.schedules.nightly.parameters.min_eval_score", /^"high" is not a number \(NUMBER_DOUBLE\); allowed: a number such as 0\.75$/],
    ["a missing required parameter", { parameters: { input_uris: ["gs://b/x"], output_bucket_uri: "gs://b/o" } }, "llmops:pipelines.schedules.nightly.parameters.model_name", /required|missing/],
  ])("rejects %s, naming the file and key", (_what, schedule, key, message) => {
    const found = problems(schedule).find((p) => p.key === key);
    expect(found, JSON.stringify(problems(schedule), null, 1)).toBeDefined();
    expect(found!.file).toBe("Pulumi.dev.yaml");
    expect(found!.message).toMatch(message);
  });
});

describe("a schedule's run: typed values as template defaults, STRING values as parameterValues", () => {
  const run = scheduledRun(PIPELINES["batch-prediction"], { ...BATCH, max_replica_count: "3", machine_type: "g2-standard-24" });
  const inputs = compile(run.pipeline, LOCAL).root.inputDefinitions!.parameters!;

  it("bakes every value into the pipeline as the typed default of its input, coercing config strings", () => {
    expect(inputs.max_replica_count).toEqual({ parameterType: "NUMBER_INTEGER", defaultValue: 3, isOptional: true });
    expect(inputs.input_uris).toMatchObject({ parameterType: "LIST", defaultValue: ["gs://b/in/*.jsonl"], isOptional: true });
    expect(inputs.model_name).toMatchObject({ parameterType: "STRING", defaultValue: BATCH.model_name, isOptional: true });
    // Inputs the schedule leaves out keep the pipeline's own defaults.
    expect(inputs.accelerator_count).toEqual({ parameterType: "NUMBER_INTEGER", defaultValue: 1, isOptional: true });
    const yaml = compileToYaml(run.pipeline, LOCAL);
    expect(yaml).toContain("#    max_replica_count: int [Default: 3.0]\n");
    expect(yaml).toContain("      max_replica_count:\n        defaultValue: 3.0\n        isOptional: true\n        parameterType: NUMBER_INTEGER\n");
  });

  it("sends only the STRING values, verbatim", () => {
    expect(run.parameterValues).toEqual({ machine_type: "g2-standard-24", model_name: BATCH.model_name, output_bucket_uri: "gs://b/out" });
  });

  it("keeps doubles typed: 0.42 is a number default, never text", () => {
    const retune = scheduledRun(PIPELINES["tune-and-evaluate"], { ...TUNE, min_eval_score: "0.42" });
    expect(compile(retune.pipeline, LOCAL).root.inputDefinitions!.parameters!.min_eval_score).toMatchObject({ parameterType: "NUMBER_DOUBLE", defaultValue: 0.42, isOptional: true });
    expect(retune.parameterValues).not.toHaveProperty("min_eval_score");
  });

  it("refuses values the config check would have rejected", () => {
    expect(() => scheduledRun(PIPELINES["batch-prediction"], { ...BATCH, max_replica_count: "many" })).toThrow(
      /^schedule parameters of pipeline "batch-prediction" were not validated with the config: max_replica_count: "many" is not an integer/,
    );
  });

  // The provider keeps a parameterValues map left out of the program at its last value, so a
  // schedule must always send a non-empty one to replace what older versions stored.
  it.each(Object.keys(PIPELINES))("%s has a required STRING input, so every valid schedule sends a non-empty parameterValues", (name) => {
    expect(PIPELINES[name].parameters.some((p) => p.type === "STRING" && !p.optional)).toBe(true);
  });
});

describe("published templates and schedules in the plans", () => {
  let plans: Record<string, Plan>;
  beforeAll(async () => {
    plans = await renderCommitted("dev", "prod");
  });

  const scheduleNamed = (plan: Plan, name: string) => ofType(plan, SCHEDULE).find((s) => s.name === `schedules-${name}`)!;
  /** The stack output: each project image by the digest its build reported (a stand-in under the mock runtime). */
  const imagesOf = (plan: Plan) => (plan.outputs.pipelines as { images: MissionImages }).images;
  const jobOf = (schedule: PlannedResource) => (schedule.inputs.createPipelineJobRequest as { pipelineJob: Record<string, any> }).pipelineJob;

  it("publishes every mission pipeline's compiled spec to the KFP repository", () => {
    for (const plan of Object.values(plans)) {
      const templates = ofType(plan, KFP_TEMPLATE).filter((t) => t.parent?.endsWith("llmops:pipelines:Templates::pipelines"));
      expect(templates.map((t) => t.name).sort()).toEqual(["pipelines-batch-prediction", "pipelines-data-preparation", "pipelines-tune-and-evaluate"]);
      for (const t of templates) {
        expect(t.inputs.repository).toBe(`llmops-pipelines-${plan.stack}`);
        expect(String(t.inputs.content)).toMatch(/^# PIPELINE DEFINITION\n/);
        expect(String(t.inputs.content)).toContain("schemaVersion: 2.1.0");
        const name = t.name.replace(/^pipelines-/, "") as keyof ReturnType<typeof missionPipelines>;
        expect(t.inputs.content).toBe(compileToYaml(missionPipelines(imagesOf(plan))[name]));
      }
    }
  });

  it("builds both step images in the stack's project from pipelines/steps, and the templates run what the builds report", () => {
    for (const plan of Object.values(plans)) {
      const builds = ofType(plan, IMAGE_BUILD);
      expect(builds.map((b) => b.inputs.name).sort()).toEqual(["llmops-steps", "llmops-steps-gpu"]);
      for (const build of builds) {
        expect(build.inputs).toMatchObject({ project: `acme-llmops-${plan.stack}`, region: "us-central1", context: "pipelines/steps", repositoryUri: expect.stringMatching(/^us-central1-docker\.pkg\.dev\/acme-llmops-/) });
        expect(build.inputs.sourceHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      }
      // One source, one hash: both images rebuild together when a step changes.
      expect(new Set(builds.map((b) => b.inputs.sourceHash)).size).toBe(1);
      const images = imagesOf(plan);
      expect(images.steps).toMatch(/\/llmops-steps@sha256:[0-9a-f]{64}$/);
      expect(images.gpuSteps).toMatch(/\/llmops-steps-gpu@sha256:[0-9a-f]{64}$/);
      for (const t of ofType(plan, KFP_TEMPLATE)) expect(String(t.inputs.content)).toContain(images.steps);
    }
  });

  it("schedules prod's weekly re-tuning with its cron, time zone, pipeline root and runner", () => {
    const retune = scheduleNamed(plans.prod, "weekly-retune");
    expect(retune.inputs.cron).toBe("TZ=Europe/Amsterdam 0 3 * * MON");
    expect(retune.inputs.maxConcurrentRunCount).toBe("1");
    const job = jobOf(retune);
    expect(job.templateUri).toMatch(/^https:\/\/us-central1-kfp\.pkg\.dev\/acme-llmops-prod\/llmops-pipelines-prod\/tune-and-evaluate\/sha256:[a-f0-9]{64}$/);
    expect(job.serviceAccount).toBe("llmops-pipelines-prod@acme-llmops-prod.iam.gserviceaccount.com");
    expect(job.runtimeConfig.gcsOutputDirectory).toBe("gs://acme-llmops-prod-prod-pipeline-root/schedules/weekly-retune");
  });

  // Vertex AI rejects a string Value for a non-STRING input, and the schedule resource can only
  // send strings: typed values must travel in the template the schedule runs.
  it.each([
    ["prod", "weekly-retune", "tune-and-evaluate", { min_eval_score: ["NUMBER_DOUBLE", 0.42], tuning_method: ["STRING", "gemma-lora"], machine_type: ["STRING", "a2-ultragpu-1g"] }],
    ["prod", "nightly-review-sentiment", "batch-prediction", { max_replica_count: ["NUMBER_INTEGER", 4], input_uris: ["LIST", ["gs://acme-llmops-prod-prod-datasets/reviews/latest/*.jsonl"]] }],
    ["dev", "nightly-review-sentiment", "batch-prediction", { max_replica_count: ["NUMBER_INTEGER", 1], input_uris: ["LIST", ["gs://acme-llmops-dev-dev-datasets/reviews/latest/*.jsonl"]] }],
  ] as const)("runs %s's %s on its own template, the parameter values baked in as typed defaults", (stack, name, pipeline, defaults) => {
    const plan = plans[stack];
    const schedule = scheduleNamed(plan, name);
    const template = ofType(plan, KFP_TEMPLATE).find((t) => t.name === `schedules-${name}-template`);
    expect(template, `no KfpTemplate schedules-${name}-template`).toBeDefined();
    expect(template!.parent).toBe(schedule.parent);
    expect(template!.inputs).toMatchObject({ repository: `llmops-pipelines-${stack}`, region: "us-central1", versionName: `schedule-${name}` });

    const content = String(template!.inputs.content);
    const spec = parseFirstDocument(content) as { pipelineInfo: { name: string }; root: { inputDefinitions: { parameters: Record<string, Record<string, unknown>> } } };
    expect(spec.pipelineInfo.name).toBe(pipeline);
    for (const [parameter, [type, value]] of Object.entries(defaults)) {
      expect(spec.root.inputDefinitions.parameters[parameter], parameter).toMatchObject({ parameterType: type, defaultValue: value, isOptional: true });
    }

    // The run reads exactly these bytes: the mock registry names a version by the SHA-256 of the upload.
    const digest = createHash("sha256").update(content).digest("hex");
    const job = jobOf(schedule);
    expect(job.templateUri).toBe(`https://us-central1-kfp.pkg.dev/acme-llmops-${stack}/llmops-pipelines-${stack}/${pipeline}/sha256:${digest}`);
    // Only STRING inputs are sent, as the strings they are; every typed value is left to the template.
    const configured = parseStackConfigured(stack, name);
    const strings = Object.fromEntries(Object.entries(configured).filter(([key]) => PIPELINES[pipeline].parameters.find((p) => p.name === key)?.type === "STRING"));
    expect(Object.keys(strings).length).toBeGreaterThan(0);
    expect(job.runtimeConfig.parameterValues).toEqual(strings);
    for (const parameter of Object.keys(defaults)) if (defaults[parameter as keyof typeof defaults][0] !== "STRING") expect(job.runtimeConfig.parameterValues).not.toHaveProperty(parameter);
    // The template is the compiler's output for the pipeline with the schedule's values as defaults.
    expect(content).toBe(compileToYaml(scheduledRun(missionPipelines(imagesOf(plan))[pipeline], configured).pipeline));
    const base = ofType(plan, KFP_TEMPLATE).find((t) => t.name === `pipelines-${pipeline}`)!;
    expect(content).not.toBe(base.inputs.content);
  });

  it("schedules dev's nightly batch prediction", () => {
    expect(ofType(plans.dev, SCHEDULE).map((s) => s.inputs.cron)).toEqual(["TZ=Europe/Amsterdam 30 2 * * *"]);
  });

  it("summarises the templates apart from the schedules' own, and names the template each schedule runs", () => {
    const lines = pipelinesSummary(plans.prod);
    expect(lines[0]).toBe("pipelines: 3 templates published, 2 schedule(s) on their own templates");
    const retune = ofType(plans.prod, KFP_TEMPLATE).find((t) => t.name === "schedules-weekly-retune-template")!;
    const hash = createHash("sha256").update(String(retune.inputs.content)).digest("hex").slice(0, 16);
    expect(lines).toContain(`  weekly-retune: tune-and-evaluate at "TZ=Europe/Amsterdam 0 3 * * MON" on template sha256-${hash}`);
  });
});
