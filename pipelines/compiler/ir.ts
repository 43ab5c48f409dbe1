/**
 * The compiled pipeline: `ml_pipelines.PipelineSpec` in proto3 JSON form (lowerCamelCase keys,
 * defaults omitted, int64 as strings), covering the fields this compiler emits.
 * Source: `shared/kfp/proto/pipeline_spec.proto`.
 */

import type { JsonValue } from "../dsl/types";

export interface PipelineSpec {
  components?: Record<string, ComponentSpec>;
  defaultPipelineRoot?: string;
  /** A `Struct` in the proto, holding a `PipelineDeploymentConfig`. */
  deploymentSpec?: { executors: Record<string, ExecutorSpec> };
  pipelineInfo: { name: string; displayName?: string; description?: string };
  root: ComponentSpec;
  schemaVersion: string;
  sdkVersion: string;
}

export interface ComponentSpec {
  executorLabel?: string;
  dag?: DagSpec;
  inputDefinitions?: InputDefinitions;
  outputDefinitions?: OutputDefinitions;
}

export interface ArtifactType {
  schemaTitle: string;
  schemaVersion: string;
}

export interface ParameterDefinition {
  parameterType: string;
  defaultValue?: JsonValue;
  isOptional?: true;
  description?: string;
}

export interface ArtifactDefinition {
  artifactType: ArtifactType;
  isArtifactList?: true;
  isOptional?: true;
  description?: string;
}

export interface InputDefinitions {
  parameters?: Record<string, ParameterDefinition>;
  artifacts?: Record<string, ArtifactDefinition>;
}

export interface OutputDefinitions {
  parameters?: Record<string, { parameterType: string; description?: string }>;
  artifacts?: Record<string, { artifactType: ArtifactType; isArtifactList?: true; description?: string }>;
}

export interface DagSpec {
  outputs?: DagOutputs;
  tasks: Record<string, TaskSpec>;
}

export interface ParameterSelector {
  producerSubtask: string;
  outputParameterKey: string;
}

export interface ArtifactSelector {
  producerSubtask: string;
  outputArtifactKey: string;
}

export interface DagOutputs {
  parameters?: Record<string, { valueFromParameter: ParameterSelector } | { valueFromOneof: { parameterSelectors: ParameterSelector[] } }>;
  artifacts?: Record<string, { artifactSelectors: ArtifactSelector[] }>;
}

export interface TaskSpec {
  cachingOptions?: { enableCache?: true };
  componentRef: { name: string };
  dependentTasks?: string[];
  inputs?: TaskInputs;
  iteratorPolicy?: { parallelismLimit: number };
  parameterIterator?: { itemInput: string; items: { inputParameter: string } | { raw: string } };
  retryPolicy?: RetryPolicySpec;
  taskInfo: { name: string };
  triggerPolicy?: { condition?: string; strategy?: "ALL_UPSTREAM_TASKS_COMPLETED" };
}

export interface RetryPolicySpec {
  maxRetryCount: number;
  /** `google.protobuf.Duration` strings, e.g. `0s`. */
  backoffDuration: string;
  backoffFactor: number;
  backoffMaxDuration: string;
}

export type ParameterInput =
  | { componentInputParameter: string; parameterExpressionSelector?: string }
  | { taskOutputParameter: { producerTask: string; outputParameterKey: string } }
  | { runtimeValue: { constant: JsonValue } }
  | { taskFinalStatus: { producerTask: string } };

export type ArtifactInput = { componentInputArtifact: string } | { taskOutputArtifact: { producerTask: string; outputArtifactKey: string } };

export interface TaskInputs {
  parameters?: Record<string, ParameterInput>;
  artifacts?: Record<string, ArtifactInput>;
}

export interface ExecutorSpec {
  container?: ContainerSpec;
  importer?: ImporterSpec;
}

export interface ContainerSpec {
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value: string }[];
  resources?: ResourceSpec;
}

/** The SDK writes both the `resource*` strings and, for static values, the deprecated numbers. */
export interface ResourceSpec {
  cpuLimit?: number;
  cpuRequest?: number;
  memoryLimit?: number;
  memoryRequest?: number;
  resourceCpuLimit?: string;
  resourceCpuRequest?: string;
  resourceMemoryLimit?: string;
  resourceMemoryRequest?: string;
  accelerator?: { type: string; count: string; resourceType: string; resourceCount: string };
}

export interface ImporterSpec {
  artifactUri: { constant: string } | { runtimeParameter: string };
  typeSchema: ArtifactType;
  reimport?: true;
  metadata?: Record<string, JsonValue>;
}
