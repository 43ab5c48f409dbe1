import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { encodeParameterValues } from "../../../pipelines/compiler/parameter-values";
import { PIPELINES } from "../../../pipelines/llmops";
import type { SliceCheck } from "../../common/config";
import { VERTEX_DISPLAY_NAME, charCount, displayNameProblem } from "../../common/api-limits";
import { didYouMean } from "../../../lib/suggest";
import { cronProblem } from "./cron";

/**
 * At most 63 characters, so that every name derived from a schedule name fits its API: the
 * `schedule` label value (63), the schedule's display name `<name> (<pipeline>)` and the run's
 * display name `<name>` (Vertex AI display names, 128), the template's tag `schedule-<name>`
 * (Artifact Registry tags, 128). `checkPipelines` checks the display name anyway, pipeline
 * names being code.
 */
const SCHEDULE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * Parameters that become Vertex AI display names inside a pipeline, with what the pipeline
 * appends (pipelines/llmops/tune-and-evaluate.ts names the tuned model `<name>` and its adapter
 * `<name>-lora`).
 */
const DISPLAY_NAME_PARAMETERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "tune-and-evaluate": { tuned_model_display_name: "-lora" },
};
const TIME_ZONES: readonly string[] = Intl.supportedValuesOf("timeZone");

// The canonical list omits aliases such as UTC that every IANA database (and Vertex AI) accepts.
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const scheduleSchema = z.strictObject({
  /** The pipeline to run: one of `pipelines/llmops` (data-preparation, tune-and-evaluate, batch-prediction). */
  pipeline: z.string(),
  /** Five-field unix-cron, e.g. `0 3 * * MON` (./cron.ts: exactly the syntax Vertex AI documents). */
  cron: z.string(),
  /** IANA time zone of the cron. @default UTC */
  timeZone: z.string().default("UTC"),
  /** Runs that may be active at once; a run due while the limit is reached is queued. @default 1 */
  maxConcurrentRuns: z.number().int().min(1).max(100).default(1),
  /** Values for the pipeline's typed inputs; checked against them. @default {} */
  parameters: z.record(z.string(), z.unknown()).default({}),
  /** Keep the schedule but start no runs. @default false */
  paused: z.boolean().default(false),
});

export const pipelinesSchema = z
  .strictObject({
    /** Scheduled runs by name. @default none */
    schedules: z.record(z.string(), scheduleSchema).default({}),
  })
  .default({ schedules: {} });

export type ScheduleConfig = z.output<typeof scheduleSchema>;
export type PipelinesConfig = z.output<typeof pipelinesSchema>;

/** Cron, time zone, pipeline and parameters of every schedule, checked against the compiled pipelines. */
export const checkPipelines: SliceCheck<{ readonly pipelines: PipelinesConfig }> = (cfg, ctx) => {
  const known = Object.keys(PIPELINES);
  for (const [name, s] of Object.entries(cfg.pipelines.schedules)) {
    const at = (...path: string[]) => ["pipelines", "schedules", name, ...path];
    if (!SCHEDULE_NAME.test(name)) ctx.addIssue({ code: "custom", path: at(), message: `schedule name "${name}" is invalid; allowed: lowercase letters, digits and '-', starting with a letter` });
    const cron = cronProblem(s.cron);
    if (cron) {
      ctx.addIssue({ code: "custom", path: at("cron"), message: `${JSON.stringify(s.cron)} is not a unix-cron schedule Vertex AI accepts: ${cron}; allowed: five fields such as "0 3 * * MON" (infra/pipelines/config/cron.ts)` });
    } else {
      try {
        // A second opinion on what the syntax allows but no calendar has (February 30th).
        CronExpressionParser.parse(s.cron);
      } catch (err) {
        ctx.addIssue({ code: "custom", path: at("cron"), message: `${JSON.stringify(s.cron)} is not a valid cron: ${(err as Error).message}; allowed: five fields such as "0 3 * * MON"` });
      }
    }
    const display = `${name} (${s.pipeline})`;
    if (charCount(display) > VERTEX_DISPLAY_NAME.max) {
      ctx.addIssue({ code: "custom", path: at(), message: `the schedule's display name "${display}" is ${charCount(display)} characters; allowed: at most ${VERTEX_DISPLAY_NAME.max} (${VERTEX_DISPLAY_NAME.what})` });
    }
    if (!isTimeZone(s.timeZone)) ctx.addIssue({ code: "custom", path: at("timeZone"), message: `unknown time zone "${s.timeZone}"${didYouMean(s.timeZone, TIME_ZONES)}; allowed: an IANA zone such as Europe/Amsterdam or UTC` });
    const pipeline = PIPELINES[s.pipeline];
    if (!pipeline) {
      ctx.addIssue({ code: "custom", path: at("pipeline"), message: `unknown pipeline "${s.pipeline}"${didYouMean(s.pipeline, known)}; allowed: ${known.join(", ")}` });
      continue;
    }
    const encoded = encodeParameterValues(pipeline, s.parameters);
    if (!encoded.ok) {
      for (const e of encoded.errors) ctx.addIssue({ code: "custom", path: at("parameters", e.param), message: e.message });
    }
    for (const [param, suffix] of Object.entries(DISPLAY_NAME_PARAMETERS[s.pipeline] ?? {})) {
      const value = s.parameters[param];
      if (typeof value !== "string") continue;
      const problem = displayNameProblem(`${value}${suffix}`, VERTEX_DISPLAY_NAME);
      if (problem) ctx.addIssue({ code: "custom", path: at("parameters", param), message: `the pipeline names a model "${value}${suffix}", which ${problem}` });
    }
  }
};
