/** Authoring KFP v2 pipelines in TypeScript: components, tasks, control flow. No I/O. */

export { oneOf } from "./branching";
export { ArtifactChannel, collected, LoopField, LoopItem, ParameterChannel, type Channel } from "./channels";
export { loadComponentFromText, type LoadComponentOptions } from "./component-yaml";
export { component, ContainerComponent, PINNED_IMAGE_PATTERN, type ContainerComponentDefinition } from "./component";
export { eq, ge, gt, le, lt, ne, type Comparison, type Operand, type Operator } from "./conditions";
export { Dag, type Branches, type GroupOptions, type IfChain, type ImporterOptions, type LoopOptions } from "./dag";
export { PipelineDefinitionError, type DslProblem } from "./errors";
export { PIPELINE_NAME_PATTERN } from "./names";
export { ArtifactPlaceholders, ConcatPlaceholder, IfPresentPlaceholder, Placeholder, system, type CommandLineElement, type ComponentIo } from "./placeholders";
export { KFP_SDK_VERSION, pythonComponentFromSource, type PythonComponentOptions } from "./python";
export { pipeline, Pipeline, type PipelineDefinition, type PipelineInputs, type PipelineParameter, type PipelineResult } from "./pipeline";
export { VERTEX_ACCELERATORS, type Accelerator, type AcceleratorType, type Resources } from "./resources";
export { ARTIFACT_TYPES, artifact, describeType, isValueOfType, param, taskFinalStatus } from "./specs";
export { Task, type RetryPolicy, type TaskArgs, type TaskOptions, type TaskOutputs } from "./task";
export type {
  ArtifactSpec,
  ComponentLike,
  InputSpec,
  InputSpecs,
  JsonValue,
  OutputSpec,
  OutputSpecs,
  ParameterSpec,
  ParameterType,
  PipelineInputSpecs,
  PrimitiveType,
  TaskFinalStatusSpec,
  ValueOf,
} from "./types";
