/** Models' configuration, Pulumi-free: schema, rollout arithmetic, rules and resolution. */
export { modelsSchema, checkModels, type ModelConfig, type VersionConfig, type RolloutConfig, type SafetyConfig, ROLLBACK, DEFAULT_STAGES } from "./schema";
export { versionSplit, deployedVersions, describeStage, rolloutRecord, type RolloutRecord, type VersionSplit } from "./rollout";
export { checkGkeServing } from "./gke-rules";
export { GKE_ACCELERATOR_NAMES, VERTEX_TO_GKE, choosePool, gkeAccelerator, regionPools, type Placement, type PlacementQuery } from "./placement";
export { machineShape, serverRequests, type MachineShape, MACHINES_CHECKED } from "./machines";
export { versionDigest } from "./digest";
export { compareVersions, inReleaseOrder } from "./semver";
export { endpointId, registryModelId, templateId } from "./ids";
export { namespaceOf, serverName, SERVER_ACCOUNT } from "./names";
export { DEFAULT_QUEUE, type ResolvedModel, type ResolvedVersion, type ModelsSettings, type ModelsPlatform, artifactUri, resolveModels } from "./resolve";
