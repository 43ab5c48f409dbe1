export { VertexModel, type VertexModelArgs, type RegionalServing, type RolloutRecord, rolloutRecord } from "./vertex-model";
export { ModelSafety, type ModelSafetyArgs, filterConfig, templateId } from "./safety";
export { versionSplit, deployedVersions, describeStage, type VersionSplit } from "./config/rollout";
export { modelsSchema, type ModelConfig, type VersionConfig, type RolloutConfig, ROLLBACK, DEFAULT_STAGES } from "./config/schema";
export { versionDigest } from "./config/digest";
export { compareVersions, inReleaseOrder } from "./config/semver";
export { endpointId } from "./config/ids";
