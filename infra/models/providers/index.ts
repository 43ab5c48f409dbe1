export { ModelVersion, modelVersionProvider } from "./model-version";
export type { ModelVersionArgs } from "./model-version";
export { versionAliasFor } from "./model-version-types";
export type { ContainerSpec, ModelVersionInputs, ModelVersionOutputs } from "./model-version-types";
export { EndpointDeployment, endpointDeploymentProvider, summarizeEndpoint } from "./endpoint-deployment";
export type { EndpointDeploymentArgs } from "./endpoint-deployment";
export { AUTOSCALING_METRIC_NAMES } from "./endpoint-deployment-types";
export type {
  AutoscalingMetric,
  AutoscalingTarget,
  DeploymentSpec,
  EndpointDeploymentInputs,
  EndpointDeploymentOutputs,
  Environment,
  LiveEndpoint,
} from "./endpoint-deployment-types";
export { diffEndpointDeployment } from "./endpoint-diff";
export type { EndpointDeploymentDiff } from "./endpoint-diff";
export { applyStep, normalizeSplit, planEndpoint, sameSplit } from "./endpoint-plan";
export type { Step } from "./endpoint-plan";
export { deployedModelId, deploymentShapeKey } from "./deployed-model-id";
export type { DeploymentShape } from "./deployed-model-id";
export type { VertexConnection } from "./connection";
export type { RetryPolicy } from "../../common/providers/retry";
