import type { Pipeline } from "../../../pipelines/dsl";
import { type ScheduledRun, scheduledRun } from "./parameters";
import type { PipelinesConfig, ScheduleConfig } from "./schema";

/** A schedule with the run it starts decided: its template's pipeline (values as typed defaults) and string parameters. */
export interface ResolvedSchedule {
  readonly config: ScheduleConfig;
  readonly run: ScheduledRun;
}

export interface PipelinesSettings {
  /** By schedule name, in name order. */
  readonly schedules: Readonly<Record<string, ResolvedSchedule>>;
}

/** Every schedule's run, from configuration the rules accepted (known pipeline, valid parameters). */
export function resolvePipelines(config: PipelinesConfig, pipelines: Readonly<Record<string, Pipeline>>): PipelinesSettings {
  const names = Object.keys(config.schedules).sort();
  return { schedules: Object.fromEntries(names.map((name) => [name, { config: config.schedules[name], run: scheduledRun(pipelines[config.schedules[name].pipeline], config.schedules[name].parameters) }])) };
}
