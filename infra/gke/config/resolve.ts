import { type CapacityOption, GPUS, type GpuType, TPUS, type TpuSlice, type TpuVersion, countsForMachine, defaultMachineType, gpuCounts, gpuShape, offeredZones, tpuSlice } from "./catalog";
import { orderedCapacity } from "./rules/capacity";
import type { PoolConfig, Workload } from "./shapes";

/**
 * A pool as GKE will run it: every default applied, machine type and node counts derived, and
 * one node pool per capacity option (and per slice for multi-host TPUs). Pure: the components
 * render it, the rules check its totals, and other capabilities read its scheduling.
 */

/** Node label keys the project sets on accelerator nodes. */
export const NODE_LABELS = { workload: "workload", pool: "llmops-pool", capacity: "llmops-capacity", computeClass: "cloud.google.com/compute-class" } as const;

export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NO_SCHEDULE";
}

/** A Kubernetes toleration, as a pod spec writes it. */
export interface Toleration {
  readonly key: string;
  readonly operator: "Equal";
  readonly value: string;
  readonly effect: "NoSchedule";
}

/** What a workload needs to land on a pool: selectors, tolerations, the resource to request. */
export interface Scheduling {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** The extended resource a container requests. */
  readonly resource: "nvidia.com/gpu" | "google.com/tpu";
  /** Physical accelerators per node (GPUs, or TPU chips). */
  readonly perNode: number;
}

/** One GKE node pool. */
export interface NodePoolSpec {
  /** The GKE node pool name: `<pool>-<capacity>`, plus `-s<i>` per multi-host TPU slice. */
  readonly name: string;
  readonly capacity: CapacityOption;
  /** Zones of this node pool: the pool's, or the reservation's zone for the reservation option. */
  readonly zones: readonly string[];
  /** Multi-host TPU slice index. */
  readonly slice?: number;
  /** Autoscaling bounds across all zones (`totalMin/MaxNodeCount`). */
  readonly minNodes: number;
  readonly maxNodes: number;
  /** Nodes per zone at creation. */
  readonly initialNodeCount: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** False for flex-start: GKE requires it, since a repaired node would be a new flex-start request. */
  readonly autoRepair: boolean;
  readonly placement?: { readonly type: "COMPACT"; readonly tpuTopology?: string };
}

export interface ResolvedPool {
  readonly region: string;
  /** The pool's name in config; also its ComputeClass name. */
  readonly name: string;
  readonly workload: Workload;
  readonly kind: "gpu" | "tpu";
  /** The guest accelerator type, or the TPU's `cloud.google.com/gke-tpu-accelerator` value. */
  readonly accelerator: string;
  /** For people: `nvidia-l4`, `tpu-v5e 2x4`. */
  readonly label: string;
  readonly machineType: string;
  readonly zones: readonly string[];
  /** In the order the ComputeClass tries them. */
  readonly capacity: readonly CapacityOption[];
  readonly gpu?: {
    readonly type: GpuType;
    readonly count: number;
    readonly driver: "DEFAULT" | "LATEST";
    readonly sharing?: { readonly strategy: "TIME_SHARING" | "MPS"; readonly maxClientsPerGpu: number };
    readonly partition?: string;
    readonly memoryGb: number;
  };
  readonly tpu?: TpuSlice;
  /** Bounds as configured: nodes for GPUs, slices for TPUs. */
  readonly autoscaling: { readonly min: number; readonly max: number };
  readonly reservation?: { readonly name: string; readonly project?: string; readonly zone: string };
  readonly flexStart?: { readonly maxRunHours?: number; readonly queued: boolean };
  /** Set when the pool has several capacity options. */
  readonly computeClass?: string;
  readonly nodePools: readonly NodePoolSpec[];
  readonly scheduling: Scheduling;
  /** Accelerators running at the autoscaling minimum. */
  readonly baseline: number;
  /** Accelerators if every node pool reached its maximum: what the per-region cap bounds. */
  readonly maximum: number;
}

interface Shape {
  readonly kind: "gpu" | "tpu";
  readonly accelerator: string;
  readonly label: string;
  readonly machineType: string;
  readonly perNode: number;
  readonly zones: readonly string[];
}

function gpuShapeOf(region: string, pool: PoolConfig, type: GpuType): Shape | undefined {
  const count = pool.count ?? (pool.machineType ? countsForMachine(type, pool.machineType)[0] : gpuCounts(type)[0]);
  const machineType = pool.machineType ?? (count === undefined ? undefined : defaultMachineType(type, count));
  if (count === undefined || machineType === undefined || !gpuShape(type, machineType, count)) return undefined;
  const zones = pool.zones ?? offeredZones(type, region);
  return zones.length ? { kind: "gpu", accelerator: type, label: type, machineType, perNode: count, zones } : undefined;
}

/**
 * A TPU slice lives in one zone: by default the first offering the version, and for a pool that
 * may use flex-start, the first offering flex-start TPUs of that version.
 */
export function defaultTpuZone(version: TpuVersion, region: string, capacity: readonly CapacityOption[]): string | undefined {
  const offered = offeredZones(`tpu-${version}`, region);
  const flex = capacity.includes("flex-start") ? offered.filter((z) => TPUS[version].flexStartZones.includes(z)) : [];
  return flex[0] ?? offered[0];
}

function tpuShapeOf(region: string, pool: PoolConfig, slice: TpuSlice): Shape | undefined {
  const zone = defaultTpuZone(slice.version, region, pool.capacity);
  const zones = pool.zones ?? (zone ? [zone] : []);
  const label = `tpu-${slice.version} ${slice.topology}`;
  return zones.length ? { kind: "tpu", accelerator: TPUS[slice.version].gkeAccelerator, label, machineType: slice.machineType, perNode: slice.chipsPerNode, zones } : undefined;
}

/**
 * Nodes per zone at creation (GKE's `initialNodeCount` is per zone): as many as fit under the
 * baseline in every zone, never more. Rounding up would start min 1 over three zones as three
 * accelerator nodes, beyond a quota sized to the baseline; the autoscaler adds the remainder
 * when the model's pods ask for it.
 */
function initialPerZone(min: number, max: number, zones: number): number {
  return Math.min(Math.floor(min / zones), Math.floor(max / zones));
}

/** The pool with every default applied, or undefined when the config does not determine one. */
export function resolvePool(region: string, name: string, pool: PoolConfig): ResolvedPool | undefined {
  const slice = pool.tpu ? tpuSlice(pool.tpu.version, pool.tpu.topology, pool.tpu.chipsPerNode) : undefined;
  const shape = pool.accelerator ? gpuShapeOf(region, pool, pool.accelerator) : slice ? tpuShapeOf(region, pool, slice) : undefined;
  if (!shape) return undefined;
  const capacity = orderedCapacity(pool.capacity);
  const computeClass = capacity.length > 1 ? name : undefined;
  const taint: Taint = shape.kind === "gpu" ? { key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" } : { key: "google.com/tpu", value: "present", effect: "NO_SCHEDULE" };
  // GKE steers pods of a ComputeClass to manually created pools by this label and taint.
  const taints: Taint[] = computeClass ? [taint, { key: NODE_LABELS.computeClass, value: computeClass, effect: "NO_SCHEDULE" }] : [taint];
  const { min, max } = pool.autoscaling;
  const multiHost = slice?.multiHost === true;
  const nodesPerUnit = multiHost ? slice.nodes : 1;

  const nodePools: NodePoolSpec[] = [];
  capacity.forEach((option, k) => {
    const floor = k === 0 ? min : 0; // the most preferred option holds the baseline
    const labels = {
      [NODE_LABELS.workload]: pool.workload,
      [NODE_LABELS.pool]: name,
      [NODE_LABELS.capacity]: option,
      ...(computeClass ? { [NODE_LABELS.computeClass]: computeClass } : {}),
    };
    // A reservation is zonal: its node pool lives where the reservation is.
    const zones = option === "reservation" && pool.reservation ? [pool.reservation.zone] : shape.zones;
    const common = { capacity: option, zones, labels, taints, autoRepair: option !== "flex-start" };
    if (multiHost) {
      // GKE scales a multi-host slice atomically and a node pool holds exactly one slice, so
      // `max` slices are `max` node pools of `nodes` hosts; the first `min` stay full.
      for (let i = 0; i < max; i++) {
        const full = i < floor ? slice.nodes : 0;
        nodePools.push({ ...common, name: `${name}-${option}-s${i}`, slice: i, minNodes: full, maxNodes: slice.nodes, initialNodeCount: full, placement: { type: "COMPACT", tpuTopology: slice.topology } });
      }
    } else {
      nodePools.push({
        ...common,
        name: `${name}-${option}`,
        minNodes: floor,
        maxNodes: max,
        initialNodeCount: initialPerZone(floor, max, zones.length),
        placement: pool.compactPlacement ? { type: "COMPACT" } : undefined,
      });
    }
  });

  const gpu = pool.accelerator
    ? {
        type: pool.accelerator,
        count: shape.perNode,
        driver: pool.gpuDriver === "default" ? ("DEFAULT" as const) : ("LATEST" as const),
        sharing: pool.sharing?.strategy
          ? { strategy: pool.sharing.strategy === "mps" ? ("MPS" as const) : ("TIME_SHARING" as const), maxClientsPerGpu: pool.sharing.maxClientsPerGpu ?? 2 }
          : undefined,
        partition: pool.sharing?.partition,
        memoryGb: GPUS[pool.accelerator].memoryGb,
      }
    : undefined;

  return {
    region,
    name,
    workload: pool.workload,
    kind: shape.kind,
    accelerator: shape.accelerator,
    label: shape.label,
    machineType: shape.machineType,
    zones: shape.zones,
    capacity,
    gpu,
    tpu: slice,
    autoscaling: { min, max },
    reservation: pool.reservation,
    flexStart: capacity.includes("flex-start") ? { maxRunHours: pool.flexStart?.maxRunHours, queued: pool.flexStart?.queued === true } : undefined,
    computeClass,
    nodePools,
    scheduling: scheduling(shape, name, computeClass, taints, gpu, slice),
    baseline: min * nodesPerUnit * shape.perNode,
    maximum: nodePools.reduce((sum, p) => sum + p.maxNodes * shape.perNode, 0),
  };
}

function scheduling(shape: Shape, name: string, computeClass: string | undefined, taints: readonly Taint[], gpu: ResolvedPool["gpu"], slice: TpuSlice | undefined): Scheduling {
  const nodeSelector: Record<string, string> = computeClass ? { [NODE_LABELS.computeClass]: computeClass } : { [NODE_LABELS.pool]: name };
  if (gpu) {
    nodeSelector["cloud.google.com/gke-accelerator"] = gpu.type;
    if (gpu.sharing) {
      nodeSelector["cloud.google.com/gke-gpu-sharing-strategy"] = gpu.sharing.strategy === "MPS" ? "mps" : "time-sharing";
      nodeSelector["cloud.google.com/gke-max-shared-clients-per-gpu"] = String(gpu.sharing.maxClientsPerGpu);
    }
    if (gpu.partition) nodeSelector["cloud.google.com/gke-gpu-partition-size"] = gpu.partition;
  }
  // GKE's TPU webhook configures the TPU runtime only for pods selecting both labels.
  if (slice) {
    nodeSelector["cloud.google.com/gke-tpu-accelerator"] = shape.accelerator;
    nodeSelector["cloud.google.com/gke-tpu-topology"] = slice.topology;
  }
  return {
    nodeSelector,
    tolerations: taints.map((t) => ({ key: t.key, operator: "Equal", value: t.value, effect: "NoSchedule" })),
    resource: shape.kind === "gpu" ? "nvidia.com/gpu" : "google.com/tpu",
    perNode: shape.perNode,
  };
}
