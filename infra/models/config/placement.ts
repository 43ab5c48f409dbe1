import { type GkeConfig, type ResolvedPool, catalog, resolvePool } from "../../gke/config";

const { GPU_TYPES, TPUS } = catalog;

/**
 * Where a GKE-served model runs in a region: the serving pool of that region's cluster whose
 * accelerator, accelerators per node and machine type fit the model's `serving` block. Pure: the
 * configuration rules report a model that fits nowhere, and the component places it with the
 * same function, so what validation accepts is what gets deployed.
 */

/**
 * Vertex AI's accelerator names, accepted for GKE too so that moving a model between platforms
 * is a change of `platform` only. GKE's own names (`nvidia-l4`, `tpu-v5-lite-podslice`) are
 * accepted as they are.
 */
export const VERTEX_TO_GKE: Readonly<Record<string, string>> = {
  NVIDIA_TESLA_T4: "nvidia-tesla-t4",
  NVIDIA_L4: "nvidia-l4",
  NVIDIA_TESLA_A100: "nvidia-tesla-a100",
  NVIDIA_A100_80GB: "nvidia-a100-80gb",
  NVIDIA_H100_80GB: "nvidia-h100-80gb",
  NVIDIA_H100_MEGA_80GB: "nvidia-h100-mega-80gb",
  NVIDIA_H200_141GB: "nvidia-h200-141gb",
  TPU_V5_LITEPOD: TPUS.v5e.gkeAccelerator,
  TPU_V6E: TPUS.v6e.gkeAccelerator,
};

/** Every accelerator name a GKE-served model may give, GKE's first. */
export const GKE_ACCELERATOR_NAMES: readonly string[] = [...GPU_TYPES, ...Object.values(TPUS).map((t) => t.gkeAccelerator), ...Object.keys(VERTEX_TO_GKE)];

/** The GKE name of an accelerator, or undefined when GKE pools cannot carry it. */
export function gkeAccelerator(type: string): string | undefined {
  if (Object.hasOwn(VERTEX_TO_GKE, type)) return VERTEX_TO_GKE[type];
  return GKE_ACCELERATOR_NAMES.includes(type) ? type : undefined;
}

/** The pools of a region's cluster, every default applied, in name order. */
export function regionPools(gke: GkeConfig, region: string): ResolvedPool[] {
  const cluster = Object.hasOwn(gke.clusters, region) ? gke.clusters[region] : undefined;
  if (!cluster) return [];
  return Object.entries(cluster.pools)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, pool]) => resolvePool(region, name, pool))
    .filter((p): p is ResolvedPool => p !== undefined);
}

export interface PlacementQuery {
  readonly region: string;
  /** GKE name (`gkeAccelerator`). */
  readonly accelerator: string;
  /** Accelerators one replica needs. */
  readonly count: number;
  readonly machineType: string;
}

/** The key under `serving` a placement problem is about. */
export type PlacementField = "accelerator.type" | "accelerator.count" | "machineType";

export type Placement = { readonly ok: true; readonly pool: ResolvedPool } | { readonly ok: false; readonly field: PlacementField; readonly message: string };

const describe = (p: ResolvedPool) => `${p.name} (${p.scheduling.perNode} × ${p.accelerator} on ${p.machineType})`;

/**
 * The serving pool for one replica: same accelerator, enough of them per node (a TPU server takes
 * every chip of its host, and only single-host slices: a multi-host replica needs a
 * LeaderWorkerSet), and the model's machine type, which also sizes the server's CPU and memory.
 * Among equals the smallest node wins, then the name.
 */
export function choosePool(pools: readonly ResolvedPool[], q: PlacementQuery): Placement {
  const serving = pools.filter((p) => p.workload === "serving");
  const same = serving.filter((p) => p.accelerator === q.accelerator);
  if (same.length === 0) {
    const offered = serving.length ? serving.map(describe).join(", ") : "none (the cluster has no serving pools)";
    return { ok: false, field: "accelerator.type", message: `no serving pool in ${q.region} has ${q.accelerator}; allowed: an accelerator of a serving pool there: ${offered}; or add a pool with ${q.accelerator} to llmops:gke.clusters.${q.region}.pools` };
  }
  const fits = same.filter((p) => (p.kind === "tpu" ? p.tpu?.multiHost !== true && p.scheduling.perNode === q.count : p.scheduling.perNode >= q.count));
  if (fits.length === 0) {
    const tpu = same[0].kind === "tpu";
    const why = tpu ? "a TPU server takes every chip of one host, and a replica cannot span hosts" : "a replica runs on one node";
    const allowed = tpu ? `count ${[...new Set(same.filter((p) => !p.tpu?.multiHost).map((p) => p.scheduling.perNode))].join(" or ") || "of a single-host slice (no pool has one)"}` : `at most ${Math.max(...same.map((p) => p.scheduling.perNode))}`;
    return { ok: false, field: "accelerator.count", message: `${q.count} × ${q.accelerator} per replica fits no pool in ${q.region} (${why}): ${same.map(describe).join(", ")}; allowed: ${allowed}, or a pool with ${q.count} per node` };
  }
  const chosen = fits.filter((p) => p.machineType === q.machineType).sort((a, b) => a.scheduling.perNode - b.scheduling.perNode || a.name.localeCompare(b.name))[0];
  if (!chosen) {
    return { ok: false, field: "machineType", message: `no pool in ${q.region} with ${q.count} × ${q.accelerator} runs ${q.machineType}; allowed: ${fits.map((p) => `${p.machineType} (pool ${p.name})`).join(", ")}` };
  }
  return { ok: true, pool: chosen };
}
