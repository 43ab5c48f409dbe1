import type { CoreSettings } from "../../common/config";
import type { GkeSettings, ResolvedPool } from "../../gke/config";
import { choosePool, gkeAccelerator } from "./placement";
import { type RolloutRecord, type VersionSplit, deployedVersions, rolloutRecord, versionSplit } from "./rollout";
import type { ModelConfig, VersionConfig } from "./schema";

/** What the autoscaler keeps per replica when `serving.queue` is not set: vLLM's waiting requests. */
export const DEFAULT_QUEUE = { metric: "vllm:num_requests_waiting", target: 5 } as const;

/** A version with its references resolved against the stack: the same definition serves every stack. */
export interface ResolvedVersion extends VersionConfig {
  /** The serving image's full reference, pinned by digest. */
  readonly imageUri: string;
  /** `gs://` URI of its weights in the stack's models bucket (or as given). */
  readonly artifactUri: string;
}

/** One model as its serving components build it: every default and placement decided once, here. */
export interface ResolvedModel {
  readonly name: string;
  /** The validated `llmops:models.<name>` block. */
  readonly config: ModelConfig;
  readonly versions: Readonly<Record<string, ResolvedVersion>>;
  /** Stable, and the candidate while it is in flight. */
  readonly deployed: readonly string[];
  readonly split: VersionSplit;
  /** The rollout state the stack exports. */
  readonly rollout: RolloutRecord;
  /** The serving account's email. */
  readonly servingEmail: string;
  /** Served on GKE: per serving region the pool a replica runs on, and the queue its autoscaler keeps. */
  readonly gke?: { readonly pools: Readonly<Record<string, ResolvedPool>>; readonly queue: { readonly metric: string; readonly target: number } };
}

export type ModelsSettings = Readonly<Record<string, ResolvedModel>>;

/** What a model's resolution reads from the platform. */
export interface ModelsPlatform {
  readonly modelsBucket: string;
  readonly servingEmail: string;
  /** An image name → its full reference (relative names are in the stack's images repository). */
  readonly image: (image: string) => string;
}

/** The `gs://` URI of a version's artifacts: paths are inside the stack's models bucket. */
export function artifactUri(modelsBucket: string, version: Pick<VersionConfig, "artifactUri">): string {
  return version.artifactUri.startsWith("gs://") ? version.artifactUri : `gs://${modelsBucket}/${version.artifactUri}`;
}

/**
 * Resolves every model against the platform and the GKE capacity. Expects configuration the rules
 * accepted: a GKE-served model fits a pool in each of its regions (the same `choosePool` decided
 * that), so a miss here is a bug, not a user's mistake.
 */
export function resolveModels(_core: CoreSettings, models: Readonly<Record<string, ModelConfig>>, platform: ModelsPlatform, gke: GkeSettings | undefined): ModelsSettings {
  return Object.fromEntries(
    Object.entries(models).map(([name, config]): [string, ResolvedModel] => {
      const versions = Object.fromEntries(
        Object.entries(config.versions).map(([version, v]) => [version, { ...v, imageUri: platform.image(v.image), artifactUri: artifactUri(platform.modelsBucket, v) }]),
      );
      return [
        name,
        {
          name,
          config,
          versions,
          deployed: deployedVersions(config.rollout),
          split: versionSplit(config.rollout),
          rollout: rolloutRecord(config),
          servingEmail: platform.servingEmail,
          ...(config.serving.platform === "gke" ? { gke: { pools: placeOnGke(name, config, gke), queue: config.serving.queue ?? DEFAULT_QUEUE } } : {}),
        },
      ];
    }),
  );
}

function placeOnGke(model: string, config: ModelConfig, gke: GkeSettings | undefined): Record<string, ResolvedPool> {
  const s = config.serving;
  const accelerator = s.accelerator ? gkeAccelerator(s.accelerator.type) : undefined;
  return Object.fromEntries(
    s.regions.map((region) => {
      const cluster = gke?.clusters.find((c) => c.region === region);
      const placed = cluster && accelerator ? choosePool(cluster.pools, { region, accelerator, count: s.accelerator!.count, machineType: s.machineType }) : undefined;
      if (!placed?.ok) throw new Error(`model ${model} has no GKE pool in ${region}, which the configuration rules accepted (infra/models/config/gke-rules.ts)`);
      return [region, placed.pool];
    }),
  );
}
