import type { CoreSettings } from "../common/config";
import { MANAGED_BY } from "../common/labels";
import { type GkeSettings, resolveGke } from "../gke/config";
import { type ModelsSettings, resolveModels } from "../models/config";
import { type MonitoringSettings, resolveMonitoring } from "../monitoring/config";
import { type PipelinesSettings, resolvePipelines } from "../pipelines/config";
import { type PlatformSettings, imageReference, resolvePlatform } from "../platform/config";
import { PIPELINES } from "../../pipelines/llmops";
import type { ConfigProblem } from "./errors";
import type { LlmopsConfig } from "./schema";

/**
 * The validated stack configuration, resolved once into a slice per capability with every
 * default, derived name and placement decided. Components read only their slice; nothing reads
 * the raw configuration after this.
 */
export interface StackSettings extends CoreSettings {
  readonly platform: PlatformSettings;
  /** Undefined when the stack configures no GKE. */
  readonly gke?: GkeSettings;
  readonly models: ModelsSettings;
  readonly monitoring: MonitoringSettings;
  readonly pipelines: PipelinesSettings;
}

/**
 * Resolves every capability in dependency order (platform → GKE → models → monitoring,
 * pipelines) and gathers the problems only resolution can find, so they join the schema's.
 */
export function resolveSettings(cfg: LlmopsConfig, project: string, stack: string, file: string): { settings: StackSettings; problems: ConfigProblem[] } {
  const core: CoreSettings = {
    project,
    stack,
    environment: cfg.environment,
    isProd: cfg.environment === "prod",
    regions: cfg.regions,
    primaryRegion: cfg.regions[0],
    labels: { ...cfg.labels, environment: cfg.environment, "managed-by": MANAGED_BY },
  };
  const platform = resolvePlatform(core, { storage: cfg.storage, ci: cfg.ci });
  const image = (name: string) => imageReference(platform.settings.registries.imagesUri, name);
  const gke = resolveGke(core, cfg.gke, { resolve: image });
  const settings: StackSettings = {
    ...core,
    platform: platform.settings,
    gke,
    models: resolveModels(core, cfg.models, { modelsBucket: platform.settings.buckets.models.name, servingEmail: platform.settings.accounts.serving, image }, gke),
    monitoring: resolveMonitoring(cfg.monitoring, cfg.models),
    pipelines: resolvePipelines(cfg.pipelines, PIPELINES),
  };
  return { settings, problems: platform.problems.map((p) => ({ file, ...p })) };
}
