/** Pipelines' configuration, Pulumi-free: schedules, their parameters and runs. */
export { pipelinesSchema, checkPipelines, type ScheduleConfig, type PipelinesConfig } from "./schema";
export { scheduledRun, type ScheduledRun } from "./parameters";
export { type ResolvedSchedule, type PipelinesSettings, resolvePipelines } from "./settings";
