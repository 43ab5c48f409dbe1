export { ConfigError, type ConfigProblem, formatProblems } from "./errors";
export { loadStackConfig, parseStackConfig, namespacesFromFlatConfig, type ParseResult } from "./load";
export type { StackSettings, ResolvedBucket, LifecycleRule } from "./resolve";
export { ENVIRONMENTS, type Environment, type LlmopsConfig, llmopsSchema, stackConfigSchema, LLMOPS_KEYS, CROSS_KEY_CHECKS, type CrossKeyCheck } from "./schema";
export { BUCKET_ROLES, type BucketRole } from "../platform/config/storage";
export { GCP_REGIONS, REGIONS_CHECKED, isRegion } from "../common/regions";
export { MANAGED_BY, toLabelValue } from "../common/labels";
