/**
 * Machine resources of a container task. Vertex AI runs each container task as a CustomJob and
 * picks the closest machine type for the CPU, memory and accelerator asked for.
 */

/**
 * Vertex AI `AcceleratorType` enum names: the values a Vertex pipeline task accepts as accelerator
 * type (`nvidia.com/gpu` is Kubernetes-only). Source: googleapis
 * `google/cloud/aiplatform/v1/accelerator_type.proto` and the v1 REST reference, as recorded in
 * `shared/notes/kfp-ir.md` §8; checked 2026-08-21. `NVIDIA_TESLA_K80` is deprecated and left out.
 */
export const VERTEX_ACCELERATORS = [
  "NVIDIA_TESLA_P100",
  "NVIDIA_TESLA_V100",
  "NVIDIA_TESLA_P4",
  "NVIDIA_TESLA_T4",
  "NVIDIA_TESLA_A100",
  "NVIDIA_A100_80GB",
  "NVIDIA_L4",
  "NVIDIA_H100_80GB",
  "NVIDIA_H100_MEGA_80GB",
  "NVIDIA_H200_141GB",
  "NVIDIA_B200",
  "NVIDIA_GB200",
  "TPU_V2",
  "TPU_V3",
  "TPU_V4_POD",
  "TPU_V5_LITEPOD",
] as const;
export type AcceleratorType = (typeof VERTEX_ACCELERATORS)[number];

/** Vertex AI's documented ceilings for a pipeline step ("Specify the machine configuration"). */
const MAX_CPU = 96;
const MAX_MEMORY_GB = 624;

export interface Accelerator {
  readonly type: AcceleratorType;
  /** @default 1 */
  readonly count?: number;
}

export interface Resources {
  /** vCPUs: a number, or a Kubernetes quantity such as `"500m"` or `"4"`. */
  readonly cpuLimit?: string | number;
  readonly cpuRequest?: string | number;
  /** A Kubernetes quantity such as `"16G"` or `"512Mi"`. */
  readonly memoryLimit?: string;
  readonly memoryRequest?: string;
  readonly accelerator?: Accelerator;
}

const CPU_PATTERN = /^([0-9]*[.])?[0-9]+m?$/;
const MEMORY_PATTERN = /^([0-9]+)(E|Ei|P|Pi|T|Ti|G|Gi|M|Mi|K|Ki)?$/;
const MEMORY_UNITS: Readonly<Record<string, number>> = {
  "": 1,
  K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** `_cpu_to_float`: `"500m"` → 0.5, `"4"` → 4. */
export function cpuToNumber(cpu: string): number {
  return cpu.endsWith("m") ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
}

/** `_memory_to_float`: the quantity in (decimal) GB, computed in the SDK's order of operations. */
export function memoryToGigabytes(memory: string): number {
  const match = MEMORY_PATTERN.exec(memory);
  if (!match) return Number.NaN;
  return (Number(match[1]) * MEMORY_UNITS[match[2] ?? ""]) / 1e9;
}

export function cpuText(cpu: string | number): string {
  return typeof cpu === "number" ? String(cpu) : cpu;
}

/** Every problem with `resources`, as messages that say what is allowed. */
export function resourceProblems(resources: Resources): string[] {
  const problems: string[] = [];
  for (const key of ["cpuLimit", "cpuRequest"] as const) {
    const value = resources[key];
    if (value === undefined) continue;
    const text = cpuText(value);
    if (!CPU_PATTERN.test(text) || cpuToNumber(text) <= 0 || cpuToNumber(text) > MAX_CPU) {
      problems.push(`${key} ${JSON.stringify(value)} is not a CPU amount; allowed: a number of vCPUs up to ${MAX_CPU}, or millicores such as "500m"`);
    }
  }
  for (const key of ["memoryLimit", "memoryRequest"] as const) {
    const value = resources[key];
    if (value === undefined) continue;
    const gigabytes = memoryToGigabytes(value);
    if (!(gigabytes > 0 && gigabytes <= MAX_MEMORY_GB)) {
      problems.push(`${key} ${JSON.stringify(value)} is not a memory amount; allowed: an integer with an optional K, M, G, T, Ki, Mi, Gi or Ti suffix, up to ${MAX_MEMORY_GB}G`);
    }
  }
  const accelerator = resources.accelerator;
  if (accelerator !== undefined) {
    if (!(VERTEX_ACCELERATORS as readonly string[]).includes(accelerator.type)) {
      problems.push(`unknown accelerator type ${JSON.stringify(accelerator.type)}; allowed: ${VERTEX_ACCELERATORS.join(", ")}`);
    }
    if (accelerator.count !== undefined && !(Number.isSafeInteger(accelerator.count) && accelerator.count > 0)) {
      problems.push(`accelerator count ${JSON.stringify(accelerator.count)} is not a positive integer; allowed: 1, 2, 4, 8, …`);
    }
  }
  return problems;
}
