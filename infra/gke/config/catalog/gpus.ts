/**
 * NVIDIA GPUs that GKE node pools can attach, the machine shapes each comes in, and how each
 * shape may be obtained. Compiled 2026-11-26 from:
 * - https://cloud.google.com/compute/docs/gpus (GPU machine types, GPUs per shape)
 * - https://cloud.google.com/compute/docs/accelerator-optimized-machines (A2, A3, G2 shapes)
 * - https://cloud.google.com/compute/docs/instances/provisioning-models (which shapes are spot,
 *   flex-start or reservation only)
 * - https://cloud.google.com/kubernetes-engine/docs/concepts/timesharing-gpus (sharing; MIG)
 * - https://cloud.google.com/compute/docs/instances/placement-policies-overview (compact placement)
 * A shape or option missing here is rejected, which is the safer failure: Google adds shapes
 * more often than it removes them, and a rejected config costs a pull request, not a failed
 * `pulumi up` halfway through a node pool.
 */

export const GPU_CATALOG_CHECKED = "2026-11-26";

/**
 * Ways to obtain accelerators, in the order a ComputeClass tries them: capacity already paid
 * for first, then on-demand, then Dynamic Workload Scheduler, then preemptible spot.
 */
export const CAPACITY_OPTIONS = ["reservation", "on-demand", "flex-start", "spot"] as const;
export type CapacityOption = (typeof CAPACITY_OPTIONS)[number];

export const GPU_TYPES = [
  "nvidia-tesla-t4",
  "nvidia-l4",
  "nvidia-tesla-a100",
  "nvidia-a100-80gb",
  "nvidia-h100-80gb",
  "nvidia-h100-mega-80gb",
  "nvidia-h200-141gb",
] as const;
export type GpuType = (typeof GPU_TYPES)[number];

export type GpuSharingStrategy = "time-sharing" | "mps";

/** One machine shape: a machine type and the GPUs it carries. */
export interface GpuShape {
  readonly machineType: string;
  readonly gpus: number;
  /** How the shape may be obtained; anything else is refused by Compute Engine. */
  readonly capacity: readonly CapacityOption[];
}

export interface GpuSpec {
  readonly type: GpuType;
  /** Memory per GPU, for sizing models against pools. */
  readonly memoryGb: number;
  /** The machine series the GPU comes in (N1 attaches GPUs; the others have them built in). */
  readonly series: "n1" | "g2" | "a2" | "a3";
  /** Fixed shapes; for each GPU count the first listed shape is the default machine type. */
  readonly shapes: readonly GpuShape[];
  /**
   * N1 takes T4s as attached GPUs on any predefined N1 machine up to a vCPU limit per GPU count;
   * `shapes` then holds only the defaults.
   */
  readonly attached?: { readonly pattern: RegExp; readonly maxVcpus: Readonly<Record<number, number>>; readonly capacity: readonly CapacityOption[] };
  /** Multi-instance GPU partition sizes; empty when the GPU has no MIG. */
  readonly migPartitions: readonly string[];
  /** Compact placement policies exist for the series (not for N1). */
  readonly compactPlacement: boolean;
}

const ALL: readonly CapacityOption[] = CAPACITY_OPTIONS;
// Flex-start VMs exist for the accelerator-optimized series only (A2, A3, G2), not for N1.
const NO_FLEX: readonly CapacityOption[] = ["reservation", "on-demand", "spot"];
// The 1-, 2- and 4-GPU A3 High shapes come only as spot or flex-start VMs.
const SPOT_OR_FLEX: readonly CapacityOption[] = ["flex-start", "spot"];
// A3 Ultra (H200) has no on-demand capacity: a reservation, flex-start or spot.
const NO_ON_DEMAND: readonly CapacityOption[] = ["reservation", "flex-start", "spot"];

const shapes = (capacity: readonly CapacityOption[], list: readonly [string, number][]): GpuShape[] => list.map(([machineType, gpus]) => ({ machineType, gpus, capacity }));

export const GPUS: Readonly<Record<GpuType, GpuSpec>> = {
  "nvidia-tesla-t4": {
    type: "nvidia-tesla-t4",
    memoryGb: 16,
    series: "n1",
    shapes: shapes(NO_FLEX, [
      ["n1-standard-8", 1],
      ["n1-standard-16", 2],
      ["n1-standard-32", 4],
    ]),
    attached: { pattern: /^n1-(standard|highmem|highcpu)-(\d+)$/, maxVcpus: { 1: 48, 2: 48, 4: 96 }, capacity: NO_FLEX },
    migPartitions: [],
    compactPlacement: false,
  },
  "nvidia-l4": {
    type: "nvidia-l4",
    memoryGb: 24,
    series: "g2",
    // g2-standard-8 before g2-standard-4 as the 1-GPU default: 32 GB of host memory stages the
    // weights of a 7-8B model at 16-bit; 16 GB does not.
    shapes: shapes(ALL, [
      ["g2-standard-8", 1],
      ["g2-standard-4", 1],
      ["g2-standard-12", 1],
      ["g2-standard-16", 1],
      ["g2-standard-32", 1],
      ["g2-standard-24", 2],
      ["g2-standard-48", 4],
      ["g2-standard-96", 8],
    ]),
    migPartitions: [],
    compactPlacement: true,
  },
  "nvidia-tesla-a100": {
    type: "nvidia-tesla-a100",
    memoryGb: 40,
    series: "a2",
    shapes: shapes(ALL, [
      ["a2-highgpu-1g", 1],
      ["a2-highgpu-2g", 2],
      ["a2-highgpu-4g", 4],
      ["a2-highgpu-8g", 8],
      ["a2-megagpu-16g", 16],
    ]),
    migPartitions: ["1g.5gb", "2g.10gb", "3g.20gb", "7g.40gb"],
    compactPlacement: true,
  },
  "nvidia-a100-80gb": {
    type: "nvidia-a100-80gb",
    memoryGb: 80,
    series: "a2",
    shapes: shapes(ALL, [
      ["a2-ultragpu-1g", 1],
      ["a2-ultragpu-2g", 2],
      ["a2-ultragpu-4g", 4],
      ["a2-ultragpu-8g", 8],
    ]),
    migPartitions: ["1g.10gb", "2g.20gb", "3g.40gb", "7g.80gb"],
    compactPlacement: true,
  },
  "nvidia-h100-80gb": {
    type: "nvidia-h100-80gb",
    memoryGb: 80,
    series: "a3",
    shapes: [
      ...shapes(SPOT_OR_FLEX, [
        ["a3-highgpu-1g", 1],
        ["a3-highgpu-2g", 2],
        ["a3-highgpu-4g", 4],
      ]),
      ...shapes(ALL, [["a3-highgpu-8g", 8]]),
    ],
    migPartitions: ["1g.10gb", "1g.20gb", "2g.20gb", "3g.40gb", "7g.80gb"],
    compactPlacement: true,
  },
  // H100 Mega and H200 come only as whole 8-GPU machines.
  "nvidia-h100-mega-80gb": {
    type: "nvidia-h100-mega-80gb",
    memoryGb: 80,
    series: "a3",
    shapes: shapes(ALL, [["a3-megagpu-8g", 8]]),
    migPartitions: [],
    compactPlacement: true,
  },
  "nvidia-h200-141gb": {
    type: "nvidia-h200-141gb",
    memoryGb: 141,
    series: "a3",
    shapes: shapes(NO_ON_DEMAND, [["a3-ultragpu-8g", 8]]),
    migPartitions: [],
    compactPlacement: true,
  },
};

/** GPU counts per node the accelerator comes in, ascending. */
export function gpuCounts(type: GpuType): number[] {
  return [...new Set(GPUS[type].shapes.map((s) => s.gpus))].sort((a, b) => a - b);
}

/** The machine type used when a pool names none: the first shape listed for that count. */
export function defaultMachineType(type: GpuType, gpus: number): string | undefined {
  return GPUS[type].shapes.find((s) => s.gpus === gpus)?.machineType;
}

/**
 * The shape of `machineType` carrying `gpus` GPUs of `type`, or undefined when Compute Engine
 * has no such combination. N1 machines are checked against the vCPU limit per GPU count.
 */
export function gpuShape(type: GpuType, machineType: string, gpus: number): GpuShape | undefined {
  const spec = GPUS[type];
  const fixed = spec.shapes.find((s) => s.machineType === machineType && s.gpus === gpus);
  if (fixed) return fixed;
  const vcpus = spec.attached ? Number(spec.attached.pattern.exec(machineType)?.[2]) : NaN;
  const limit = spec.attached?.maxVcpus[gpus];
  return spec.attached && limit !== undefined && vcpus <= limit ? { machineType, gpus, capacity: spec.attached.capacity } : undefined;
}

/** The GPU counts `machineType` can carry, ascending (one for built-in shapes, several for N1). */
export function countsForMachine(type: GpuType, machineType: string): number[] {
  return gpuCounts(type).filter((n) => gpuShape(type, machineType, n) !== undefined);
}

export function isGpuType(value: string): value is GpuType {
  return (GPU_TYPES as readonly string[]).includes(value);
}
