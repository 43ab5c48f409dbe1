/**
 * `llmops pipelines run <pipeline> --local`: the mission pipelines run end to end on the fixtures,
 * every step a real process of the steps package, Google Cloud answered by the local fakes.
 * Slow by nature (each step starts Python), hence the generous per-test limits; nothing is timed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunFailure, runMissionPipeline, type LocalRunResult, type MissionRunOptions } from "../../../pipelines/runner";
import { hasPython } from "../../helpers/python";

const FIXTURES = path.resolve(__dirname, "..", "steps", "fixtures");
// A ceiling against hangs, above the config's default: a run starts several Python processes.
const LIMIT = 300_000;

let work: string;
const run = (options: Omit<MissionRunOptions, "workDir">): Promise<LocalRunResult> => runMissionPipeline({ workDir: work, ...options });
const gcs = (uri: string) => path.join(work, "gcs", uri.replace(/^gs:\/\//, ""));
const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Record<string, unknown>);
const task = (result: LocalRunResult, suffix: string) => {
  const found = result.tasks.find((t) => t.path === suffix || t.path.endsWith(`/${suffix}`));
  if (!found) throw new Error(`no task ${suffix} in ${result.tasks.map((t) => t.path).join(", ")}`);
  return found;
};
/**
 * Model Registry versions the gate let through: those with the `candidate` alias, in the Vertex AI
 * fake's state (llmops_common/google/fake.py). A Gemini tuning job registers its tuned model
 * itself; registration is what gives that version the alias.
 */
const candidates = (): string[] => {
  const file = path.join(work, "fake-google", "vertex", "state.json");
  if (!fs.existsSync(file)) return [];
  const models = (JSON.parse(fs.readFileSync(file, "utf8")) as { models: Record<string, { name: string; versions: { versionId: string; versionAliases: string[] }[] }> }).models;
  return Object.values(models).flatMap((m) => m.versions.filter((v) => v.versionAliases.includes("candidate")).map((v) => `${m.name}@${v.versionId}`));
};
const published = (topic: string) => lines(path.join(work, "fake-google", "pubsub", `${topic.replace(/\//g, "_")}.jsonl`)).map((m) => JSON.parse(String(m.data)) as Record<string, unknown>);

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-local-run-"));
  // Raw files a data scientist would have in Cloud Storage: gs://raw/… is <work>/gcs/raw/….
  fs.mkdirSync(gcs("gs://raw"), { recursive: true });
  for (const name of ["reviews.jsonl", "bad-json.jsonl"]) fs.copyFileSync(path.join(FIXTURES, name), path.join(gcs("gs://raw"), name));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe("parameters are checked before any task runs", () => {
  it("names an unknown pipeline with a suggestion and the allowed ones", async () => {
    await expect(run({ pipeline: "data-prep", params: [] })).rejects.toThrow(/unknown pipeline "data-prep".*allowed: batch-prediction, data-preparation, tune-and-evaluate/);
  });

  it("names every bad --param: not name=value, twice, wrong type, unknown", async () => {
    await expect(run({ pipeline: "data-preparation", params: ["oops", "seed=1", "seed=2"] })).rejects.toThrow('--param: "oops" is not name=value; seed is given twice');
    const bad = run({ pipeline: "data-preparation", params: ["source_uri=bq://p.d.t", "dataset_bucket_uri=gs://d", "dataset_name=n", "seed=many", "eval_fractoin=0.2"] });
    await expect(bad).rejects.toBeInstanceOf(RunFailure);
    await expect(bad).rejects.toThrow(/--param eval_fractoin: unknown parameter "eval_fractoin" \(did you mean "eval_fraction"\?\)[\s\S]*--param seed: "many" is not an integer/);
    expect(fs.existsSync(path.join(work, "runs"))).toBe(false);
  });
});

describe.skipIf(!hasPython)("local runs on the fixtures (skipped: python3 not found on PATH)", () => {
  const template = "Classify the review.\nReview: {text}";

  it(
    "data-preparation exports the BigQuery table, formats every prompt with the template and splits it by hash",
    async () => {
      const log: string[] = [];
      const result = await run({
        pipeline: "data-preparation",
        params: ["source_uri=bq://fixture-project.support.reviews", "dataset_bucket_uri=gs://datasets", "dataset_name=reviews", `prompt_template=${template}`, "eval_fraction=0.3"],
        runId: "prep-bq",
        fakes: { bigqueryDir: path.join(FIXTURES, "bigquery") },
        log: (line) => log.push(line),
      });
      expect(result.state).toBe("SUCCEEDED");
      expect(result.outputs.parameters).toEqual({ train_uri: "gs://datasets/reviews/prep-bq/train.jsonl", eval_uri: "gs://datasets/reviews/prep-bq/evaluation.jsonl" });
      expect(task(result, "condition-3").state).toBe("SKIPPED");
      const train = lines(gcs("gs://datasets/reviews/prep-bq/train.jsonl"));
      const evaluation = lines(gcs("gs://datasets/reviews/prep-bq/evaluation.jsonl"));
      expect(train.length + evaluation.length).toBe(46);
      expect(evaluation.length).toBeGreaterThan(0);
      expect(JSON.stringify([...train, ...evaluation])).toContain("Classify the review.\\nReview: ");
      const stats = task(result, "split-dataset").artifacts?.stats;
      expect(stats?.metadata).toMatchObject({ rows_read: 46, examples: 46, train_examples: train.length, eval_examples: evaluation.length });
      // The run log names each task and its state; run.json records the same.
      expect(log).toContain("  [skipped] condition-branches-1/condition-3: condition is false: !(inputs.parameter_values['pipelinechannel--source_type'] == 'bigquery')");
      expect(log.some((l) => l.startsWith("  [ok]      split-dataset "))).toBe(true);
      expect(JSON.parse(fs.readFileSync(path.join(work, "runs", "prep-bq", "run.json"), "utf8"))).toMatchObject({ state: "SUCCEEDED", pipeline: "data-preparation" });
      // The step received the executor input the KFP driver would build.
      const input = JSON.parse(fs.readFileSync(path.join(work, "runs", "prep-bq", "tasks", "split-dataset", "executor_input.json"), "utf8"));
      expect(input.inputs.parameterValues).toMatchObject({ run_id: "prep-bq", output_prefix: "gs://datasets/reviews", eval_fraction: 0.3 });
      expect(input.inputs.artifacts.dataset.artifacts[0].uri).toBe(task(result, "export-bigquery").artifacts?.dataset.uri);
    },
    LIMIT,
  );

  it(
    "data-preparation fails on bad data with the task, the file and the line",
    async () => {
      const result = await run({ pipeline: "data-preparation", params: ["source_type=gcs", "source_uri=gs://raw/bad-json.jsonl", "dataset_bucket_uri=gs://datasets", "dataset_name=bad"], runId: "prep-bad" });
      expect(result.state).toBe("FAILED");
      expect(result.error).toMatch(/^task split-dataset failed: .*bad-json\.jsonl:\d+: /);
      expect(task(result, "split-dataset").state).toBe("FAILED");
    },
    LIMIT,
  );

  describe("tune-and-evaluate with the fake tuner, on data prepared from gs://", () => {
    const data = { train: "gs://datasets/gcs-reviews/prep-gcs/train.jsonl", eval: "gs://datasets/gcs-reviews/prep-gcs/evaluation.jsonl" };
    const tune = (runId: string, params: string[], fail?: string[]) =>
      run({
        pipeline: "tune-and-evaluate",
        params: [`train_data_uri=${data.train}`, `eval_data_uri=${data.eval}`, "tuned_model_display_name=reviews-sft", "model_bucket_uri=gs://models", "eval_metric=exact_match", `status_topic=projects/local-project/topics/${runId}`, ...params],
        runId,
        fakes: { fail },
      });

    beforeAll(async () => {
      const prepared = await run({
        pipeline: "data-preparation",
        params: ["source_type=gcs", "source_uri=gs://raw/reviews.jsonl", "dataset_bucket_uri=gs://datasets", "dataset_name=gcs-reviews", "eval_fraction=0.5"],
        runId: "prep-gcs",
      });
      if (prepared.state !== "SUCCEEDED") throw new Error(`data preparation failed: ${prepared.error}`);
    }, LIMIT);

    let score: number;
    it(
      "registers a model version when the score reaches min_eval_score, and reports the run",
      async () => {
        const result = await tune("tune-pass", ["min_eval_score=0.8"]);
        expect(result.state).toBe("SUCCEEDED");
        score = task(result, "evaluate-model").parameters?.score as number;
        // The fake tuner answers with the nearest training example: a score from the data, not a constant.
        expect(score).toBeGreaterThanOrEqual(0.8);
        expect(score).toBeLessThan(1);
        expect(task(result, "evaluate-model").artifacts?.metrics.metadata).toMatchObject({ exact_match: score, examples: expect.any(Number) });
        expect(task(result, "condition-4").state).toBe("SKIPPED");
        const registered = task(result, "register-model-version");
        expect(registered.state).toBe("SUCCEEDED");
        expect(registered.parameters?.model_version_name).toMatch(/^projects\/local-project\/locations\/us-central1\/models\/\d+@1$/);
        expect(candidates()).toContain(registered.parameters?.model_version_name);
        expect(task(result, "report-run-status").state).toBe("SUCCEEDED");
        expect(published("projects/local-project/topics/tune-pass")).toEqual([expect.objectContaining({ state: "SUCCEEDED", pipeline: "tune-and-evaluate" })]);
      },
      LIMIT,
    );

    it(
      "registers nothing when the score is below min_eval_score: the gate's other branch",
      async () => {
        const before = candidates();
        const result = await tune("tune-gated", ["min_eval_score=0.95"]);
        expect(result.state).toBe("SUCCEEDED");
        expect(task(result, "evaluate-model").parameters?.score).toBe(score);
        expect(task(result, "exit-handler-1/condition-5")).toMatchObject({ state: "SKIPPED", reason: expect.stringContaining(">= inputs.parameter_values['pipelinechannel--min_eval_score']") });
        expect(result.tasks.some((t) => t.path.endsWith("register-model-version"))).toBe(false);
        expect(candidates()).toEqual(before);
      },
      LIMIT,
    );

    it(
      "fails the run with the failing task and the step's error, and the exit handler still reports it",
      async () => {
        const result = await tune("tune-fail", [], ["tuningJobs"]);
        expect(result.state).toBe("FAILED");
        expect(result.error).toMatch(/^task exit-handler-1\/condition-branches-2\/condition-3\/tune-gemini failed: tuning job projects\/local-project\/locations\/us-central1\/tuningJobs\/\d+ ended JOB_STATE_FAILED: injected by LLMOPS_FAKE_FAIL/);
        // The task's retry policy (2 retries) reran it before giving up.
        expect(task(result, "tune-gemini")).toMatchObject({ state: "FAILED", attempts: 3 });
        expect(task(result, "evaluate-model").state).toBe("NOT_TRIGGERED");
        expect(task(result, "report-run-status").state).toBe("SUCCEEDED");
        const [status] = published("projects/local-project/topics/tune-fail");
        expect(status).toMatchObject({ state: "FAILED", job: "projects/local-project/locations/us-central1/pipelineJobs/tune-fail" });
        expect(JSON.stringify(status.error)).toContain("tune-gemini failed");
      },
      LIMIT,
    );
  });
});
