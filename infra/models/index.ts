export { VertexModel, type VertexModelArgs, type RegionalServing, type RolloutRecord, rolloutRecord } from "./vertex-model";
export { ModelSafety, type ModelSafetyArgs, filterConfig, templateId } from "./safety";
export { versionSplit, deployedVersions, describeStage, type VersionSplit } from "./rollout";
export { modelsSchema, type ModelConfig, type VersionConfig, type RolloutConfig, ROLLBACK, DEFAULT_STAGES } from "./schema";
export { versionDigest } from "./digest";
export { compareVersions, inReleaseOrder } from "./semver";
export { endpointId } from "./ids";
