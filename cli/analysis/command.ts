import * as fs from "node:fs";
import * as path from "node:path";
import { UserError } from "../project";
import { StackFileEdit } from "../stack-edit";
import { modelKeys } from "../model-state";
import { type Analysis, analyze } from "./analyze";
import { parseWindow, queriesFor, readLive } from "./live";
import type { RecordedMetrics } from "./timeseries";

export interface AnalyzeOptions {
  readonly dir: string;
  readonly stack: string;
  readonly model: string;
  readonly window?: string;
  /** Recorded `projects.timeSeries.list` responses by metric type (offline, tests). */
  readonly fromFile?: string;
  /** Write what a live run read, for a later `--from-file`. */
  readonly record?: string;
}

/** Reads a `--from-file` evidence file, or a `UserError` that says what is wrong with it. */
export function readRecorded(file: string): RecordedMetrics {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`cannot read recorded metrics from ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new UserError(`${file} is not recorded metrics: expected an object whose keys are metric types and whose values are projects.timeSeries.list responses`);
  for (const [key, value] of Object.entries(parsed)) {
    const pages = Array.isArray(value) ? value : [value];
    if (!key.includes("/") || pages.some((p) => typeof p !== "object" || p === null || ("timeSeries" in p && !Array.isArray((p as { timeSeries: unknown }).timeSeries)))) {
      throw new UserError(`${file}: "${key}" is not a metric type with projects.timeSeries.list responses (expected e.g. "aiplatform.googleapis.com/prediction/online/prediction_count": { "timeSeries": [...] })`);
    }
  }
  return parsed as RecordedMetrics;
}

/** Loads the stack, reads the evidence (recorded or live) and analyzes the model's rollout. */
export async function rolloutAnalyze(options: AnalyzeOptions): Promise<Analysis> {
  const edit = new StackFileEdit(options.dir, options.stack);
  modelKeys(edit, options.model);
  const settings = edit.validate("analyzing its rollout");
  const model = settings.models[options.model];
  let metrics: RecordedMetrics;
  if (options.fromFile) {
    if (options.record) throw new UserError("--record writes what a live run read; it cannot be combined with --from-file");
    metrics = readRecorded(path.resolve(options.fromFile));
  } else {
    metrics = await readLive(settings.project, queriesFor(settings.project, settings.environment, model), parseWindow(options.window ?? "1h"));
    if (options.record) fs.writeFileSync(options.record, JSON.stringify(metrics, null, 2) + "\n");
  }
  return analyze({ project: settings.project, stack: options.stack, environment: settings.environment, model, metrics, projectDir: options.dir });
}
