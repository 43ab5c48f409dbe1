import { CronExpressionParser } from "cron-parser";
import { z } from "zod";
import { encodeParameterValues } from "../../../pipelines/compiler/parameter-values";
import { PIPELINES } from "../../../pipelines/llmops";
import type { SliceCheck } from "../../common/config";
import { didYouMean } from "../../../lib/suggest";

const SCHEDULE_NAME = /^[a-z][a-z0-9-]{0,62}$/;
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
  /** Five-field cron, e.g. `0 3 * * MON`. */
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
    if (s.cron.trim().split(/\s+/).length !== 5) {
      ctx.addIssue({ code: "custom", path: at("cron"), message: `"${s.cron}" is not a five-field cron; allowed: minute hour day-of-month month day-of-week, e.g. "0 3 * * MON" (the time zone goes in timeZone)` });
    } else {
      try {
        CronExpressionParser.parse(s.cron);
      } catch (err) {
        ctx.addIssue({ code: "custom", path: at("cron"), message: `"${s.cron}" is not a valid cron: ${(err as Error).message}; allowed: five fields such as "0 3 * * MON"` });
      }
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
  }
};
