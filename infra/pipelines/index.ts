export { PipelineImages, type PipelineImagesArgs, ContainerImageBuild, contextHash, contextFiles, type ContainerImageBuildInputs, type ContainerImageBuildOutputs } from "./images";
export { PipelineTemplates, type PipelineTemplatesArgs } from "./templates";
export { PipelineSchedules, type PipelineSchedulesArgs } from "./schedules";
export type { PipelinesSettings, ResolvedSchedule, ScheduleConfig } from "./config";
