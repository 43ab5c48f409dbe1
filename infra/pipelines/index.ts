export { PipelineTemplates, type PipelineTemplatesArgs } from "./templates";
export { PipelineSchedules, type PipelineSchedulesArgs } from "./schedules";
export { pipelinesSchema, checkPipelines, type ScheduleConfig, type PipelinesConfig } from "./config/schema";
export { scheduledRun, type ScheduledRun } from "./config/parameters";
