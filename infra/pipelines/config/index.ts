/** Pipelines' configuration, Pulumi-free: schedules, their parameters and runs. */
export { pipelinesSchema, checkPipelines, type ScheduleConfig, type PipelinesConfig } from "./schema";
export { checkScheduleModels, type ScheduleModelsSlice } from "./model-references";
export { cronProblem } from "./cron";
export { scheduledRun, type ScheduledRun } from "./parameters";
export { type ResolvedSchedule, type PipelinesSettings, resolvePipelines } from "./settings";
