/**
 * The settings layer: a stack's configuration loaded, validated in full and resolved into one
 * typed slice per capability, before any resource is registered.
 */
export { ConfigError, type ConfigProblem, formatProblems } from "./errors";
export { loadStackConfig, parseStackConfig, namespacesFromFlatConfig, type ParseResult } from "./load";
export type { StackSettings } from "./resolve";
export { type LlmopsConfig, llmopsSchema, stackConfigSchema, LLMOPS_KEYS } from "./schema";
