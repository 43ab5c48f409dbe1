import type { CoreSettings } from "../../common/config";
import { type ResolvedCluster, resolveClusters } from "./resolve-cluster";
import type { GkeConfig } from "./schema";

/** `llmops:gke` resolved: what the capacity and the GKE-served models are built from. */
export interface GkeSettings {
  /** In `llmops:regions` order (primary first). */
  readonly clusters: readonly ResolvedCluster[];
  /** The metrics adapter's full image reference, pinned by digest. */
  readonly metricsAdapterImage?: string;
  readonly frontDoor?: GkeConfig["frontDoor"];
}

/**
 * Every cluster and pool with its defaults, and the adapter image resolved against the images
 * repository (whose name the platform owns). Undefined when the stack configures no GKE.
 */
export function resolveGke(core: CoreSettings, gke: GkeConfig | undefined, images: { readonly resolve: (image: string) => string }): GkeSettings | undefined {
  if (!gke) return undefined;
  return {
    clusters: resolveClusters(gke, core),
    metricsAdapterImage: gke.metricsAdapter ? images.resolve(gke.metricsAdapter.image) : undefined,
    frontDoor: gke.frontDoor,
  };
}
