/**
 * Cloud TPU versions GKE node pools can run, their machine types and slice topologies.
 * Compiled 2026-11-26 from:
 * - https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus (machine types, topologies,
 *   single- and multi-host slices, GKE accelerator names)
 * - https://cloud.google.com/tpu/docs/v5e, https://cloud.google.com/tpu/docs/v5p,
 *   https://cloud.google.com/tpu/docs/v6e (slice shapes)
 * - https://cloud.google.com/kubernetes-engine/docs/concepts/dws and
 *   https://cloud.google.com/tpu/docs/request-using-flex-start (zones with flex-start TPUs)
 * A topology not listed is rejected; GKE would refuse it at node pool creation.
 */

export const TPU_CATALOG_CHECKED = "2026-11-26";

export const TPU_VERSIONS = ["v5e", "v5p", "v6e"] as const;
export type TpuVersion = (typeof TPU_VERSIONS)[number];

export interface TpuSpec {
  readonly version: TpuVersion;
  /** The `cloud.google.com/gke-tpu-accelerator` node label GKE sets, which workloads select. */
  readonly gkeAccelerator: string;
  /** Topologies are AxB (v5e, v6e: 2-D torus) or AxBxC (v5p: 3-D torus). */
  readonly dimensions: 2 | 3;
  /** Machine type by chips per node. */
  readonly machines: Readonly<Record<number, string>>;
  /** Chips per node each topology can be built from; the first is the default. */
  readonly topologies: Readonly<Record<string, readonly number[]>>;
  /** The few zones where flex-start (Dynamic Workload Scheduler) offers this version. */
  readonly flexStartZones: readonly string[];
}

// v5e and v6e share their slice shapes: 1, 4 or 8 chips per host; 2x4 is either one 8-chip host
// (single-host, the serving shape: no cross-host traffic) or two 4-chip hosts.
const TWO_D: Readonly<Record<string, readonly number[]>> = {
  "1x1": [1],
  "2x2": [4],
  "2x4": [8, 4],
  "4x4": [4],
  "4x8": [4],
  "8x8": [4],
  "8x16": [4],
  "16x16": [4],
};

// v5p hosts always carry 4 chips; slices grow in cubes of 4 hosts.
const THREE_D = Object.fromEntries(
  ["2x2x1", "2x2x2", "2x2x4", "2x4x4", "4x4x4", "4x4x8", "4x8x8", "8x8x8", "8x8x16", "8x16x16", "16x16x16", "16x16x24"].map((t) => [t, [4]]),
);

export const TPUS: Readonly<Record<TpuVersion, TpuSpec>> = {
  v5e: {
    version: "v5e",
    gkeAccelerator: "tpu-v5-lite-podslice",
    dimensions: 2,
    machines: { 1: "ct5lp-hightpu-1t", 4: "ct5lp-hightpu-4t", 8: "ct5lp-hightpu-8t" },
    topologies: TWO_D,
    flexStartZones: ["us-central1-a", "us-west4-a"],
  },
  v5p: {
    version: "v5p",
    gkeAccelerator: "tpu-v5p-slice",
    dimensions: 3,
    machines: { 4: "ct5p-hightpu-4t" },
    topologies: THREE_D,
    flexStartZones: ["us-east5-a"],
  },
  v6e: {
    version: "v6e",
    gkeAccelerator: "tpu-v6e-slice",
    dimensions: 2,
    machines: { 1: "ct6e-standard-1t", 4: "ct6e-standard-4t", 8: "ct6e-standard-8t" },
    topologies: TWO_D,
    flexStartZones: ["asia-northeast1-b", "us-east5-a", "us-east5-b"],
  },
};

/** What a topology and host size imply: chips, hosts per slice, the machine type. */
export interface TpuSlice {
  readonly version: TpuVersion;
  readonly topology: string;
  readonly chips: number;
  readonly chipsPerNode: number;
  readonly nodes: number;
  readonly machineType: string;
  /** More than one host: GKE places the hosts with a compact policy and scales the slice atomically. */
  readonly multiHost: boolean;
}

/** Chips in a topology: the product of its dimensions. */
export function topologyChips(topology: string): number {
  return topology.split("x").reduce((product, d) => product * Number(d), 1);
}

/** The slice for a version, topology and host size, or undefined when GKE offers no such slice. */
export function tpuSlice(version: TpuVersion, topology: string, chipsPerNode?: number): TpuSlice | undefined {
  const spec = TPUS[version];
  const options = Object.hasOwn(spec.topologies, topology) ? spec.topologies[topology] : undefined;
  const perNode = chipsPerNode ?? options?.[0];
  if (!options || perNode === undefined || !options.includes(perNode)) return undefined;
  const chips = topologyChips(topology);
  const nodes = chips / perNode;
  return { version, topology, chips, chipsPerNode: perNode, nodes, machineType: spec.machines[perNode], multiHost: nodes > 1 };
}

/** Chips per node of a TPU machine type (for reading plans), or undefined for other machines. */
export function tpuChipsOfMachine(machineType: string): { version: TpuVersion; chips: number } | undefined {
  for (const spec of Object.values(TPUS)) {
    for (const [chips, machine] of Object.entries(spec.machines)) if (machine === machineType) return { version: spec.version, chips: Number(chips) };
  }
  return undefined;
}
