/**
 * `llmops pipelines run <pipeline> --local`: a mission pipeline compiled with the project's images
 * named locally, its parameters checked and typed, run against the Google fakes.
 *
 * Every step sees: `LLMOPS_GOOGLE=fake` (Google APIs answered by the fakes in
 * `pipelines/steps/llmops_common/google/fake.py`, their state in `<work>/fake-google`),
 * `LLMOPS_GCS_ROOT=<work>/gcs` (so `gs://BUCKET/…` is `<work>/gcs/BUCKET/…`), and optionally
 * `LLMOPS_FAKE_BIGQUERY_DIR` (BigQuery tables as `PROJECT.DATASET.TABLE.jsonl`) and
 * `LLMOPS_FAKE_FAIL` (make a Google call fail, to see how the run reports it).
 */

import * as path from "node:path";
import { compile } from "../compiler";
import { encodeParameterValues } from "../compiler/parameter-values";
import { pipelineNamed, PIPELINES } from "../llmops";
import { didYouMean } from "../../lib/suggest";
import { runLocally, RunFailure, type LocalRunResult } from "./run";

export interface FakeSettings {
  /** A folder of BigQuery tables as `PROJECT.DATASET.TABLE.jsonl`. @default `<work>/fake-google/bigquery` */
  readonly bigqueryDir?: string;
  /** Google calls to fail: `tuningJobs`, `customJobs`, `batchPredictionJobs`, `models.upload`, `pubsub`. */
  readonly fail?: readonly string[];
}

/** `pipelines/steps`, the package every step imports. */
export function defaultStepsDir(): string {
  return path.resolve(__dirname, "..", "steps");
}

/** The environment every step of a local run gets (see the file comment). */
export function localRunEnvironment(workDir: string, fakes: FakeSettings = {}): Record<string, string> {
  const work = path.resolve(workDir);
  return {
    LLMOPS_GOOGLE: "fake",
    LLMOPS_FAKE_DIR: path.join(work, "fake-google"),
    LLMOPS_GCS_ROOT: path.join(work, "gcs"),
    LLMOPS_FAKE_FAIL: (fakes.fail ?? []).join(","),
    PYTHONDONTWRITEBYTECODE: "1",
    ...(fakes.bigqueryDir ? { LLMOPS_FAKE_BIGQUERY_DIR: path.resolve(fakes.bigqueryDir) } : {}),
  };
}

export interface MissionRunOptions {
  readonly pipeline: string;
  /** `name=value` pairs, as typed on the command line; converted to the inputs' types. */
  readonly params: readonly string[];
  readonly workDir: string;
  /** @default `<pipeline>-local-<UTC time>` */
  readonly runId?: string;
  readonly fakes?: FakeSettings;
  readonly python?: string;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

/** Parses `name=value` pairs; the first `=` splits, so values may contain `=`. */
export function parseParams(pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) problems.push(`${JSON.stringify(pair)} is not name=value`);
    else if (Object.prototype.hasOwnProperty.call(values, pair.slice(0, at))) problems.push(`${pair.slice(0, at)} is given twice`);
    else values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (problems.length > 0) throw new RunFailure(`--param: ${problems.join("; ")}`);
  return values;
}

export function defaultRunId(pipeline: string, now: Date): string {
  return `${pipeline}-local-${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-").toLowerCase()}`;
}

/** Runs a mission pipeline locally. Parameter problems throw `RunFailure` before any task runs. */
export async function runMissionPipeline(options: MissionRunOptions): Promise<LocalRunResult> {
  const pipeline = pipelineNamed(options.pipeline);
  if (!pipeline) {
    const known = Object.keys(PIPELINES).sort();
    throw new RunFailure(`unknown pipeline "${options.pipeline}"${didYouMean(options.pipeline, known)}; allowed: ${known.join(", ")}`);
  }
  const encoded = encodeParameterValues(pipeline, parseParams(options.params));
  if (!encoded.ok) throw new RunFailure(`pipeline ${options.pipeline}: ${encoded.errors.map((e) => `--param ${e.param}: ${e.message}`).join("\n  ")}`);
  // The local images are names, not digests: only the local runner compiles with them.
  const spec = compile(pipeline, { allowUnpinnedImages: true });
  const now = options.now ?? (() => new Date());
  return runLocally(spec, {
    parameters: encoded.values,
    workDir: options.workDir,
    runId: options.runId ?? defaultRunId(options.pipeline, now()),
    stepsDir: defaultStepsDir(),
    python: options.python,
    env: localRunEnvironment(options.workDir, options.fakes),
    log: options.log,
    now,
  });
}
