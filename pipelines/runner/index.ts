/** Runs compiled pipelines on this machine: `llmops pipelines run <pipeline> --local` (see pipelines/README.md). */
export { runLocally, LocalRun, RunFailure, type LocalRunOptions, type LocalRunResult, type TaskRecord, type TaskState } from "./run";
export { evaluateCel } from "./cel";
export { defaultPython } from "./python";
export { resolveCommandLine, resolveText, type ExecutorInput, type RuntimeArtifact } from "./placeholders";
export { buildExecutorInput, parseOutputParameter, stepError } from "./executor";
export { defaultRunId, defaultStepsDir, localRunEnvironment, parseParams, runMissionPipeline, type FakeSettings, type MissionRunOptions } from "./local";
