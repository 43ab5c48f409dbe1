/**
 * vCPUs and memory of the machine types GKE accelerator pools run, so a model server can request
 * its share of a node. Compiled 2026-11-27 from:
 * - https://cloud.google.com/compute/docs/accelerator-optimized-machines (G2, A2, A3)
 * - https://cloud.google.com/compute/docs/general-purpose-machines#n1_machines (N1 with T4s)
 * - https://cloud.google.com/tpu/docs/v5e, /v5p, /v6e (TPU VM shapes)
 * Memory is in GiB, as Compute Engine states it. A machine missing here is reported by the
 * configuration rules, so the catalog grows with `infra/gke/config/catalog`.
 */
export const MACHINES_CHECKED = "2026-11-27";

export interface MachineShape {
  readonly vcpus: number;
  readonly memoryGib: number;
}

const FIXED: Readonly<Record<string, MachineShape>> = {
  "a2-megagpu-16g": { vcpus: 96, memoryGib: 1360 },
  "a3-megagpu-8g": { vcpus: 208, memoryGib: 1872 },
  "a3-ultragpu-8g": { vcpus: 224, memoryGib: 2952 },
  "ct5lp-hightpu-1t": { vcpus: 24, memoryGib: 48 },
  "ct5lp-hightpu-4t": { vcpus: 112, memoryGib: 192 },
  "ct5lp-hightpu-8t": { vcpus: 224, memoryGib: 384 },
  "ct5p-hightpu-4t": { vcpus: 208, memoryGib: 448 },
  "ct6e-standard-1t": { vcpus: 44, memoryGib: 176 },
  "ct6e-standard-4t": { vcpus: 180, memoryGib: 720 },
  "ct6e-standard-8t": { vcpus: 180, memoryGib: 1440 },
};

// Series whose shape follows from the name: vCPUs (or GPUs) times a fixed ratio.
const PATTERNS: readonly { pattern: RegExp; shape: (n: number) => MachineShape }[] = [
  { pattern: /^g2-standard-(\d+)$/, shape: (n) => ({ vcpus: n, memoryGib: 4 * n }) },
  { pattern: /^n1-standard-(\d+)$/, shape: (n) => ({ vcpus: n, memoryGib: 3.75 * n }) },
  { pattern: /^n1-highmem-(\d+)$/, shape: (n) => ({ vcpus: n, memoryGib: 6.5 * n }) },
  { pattern: /^n1-highcpu-(\d+)$/, shape: (n) => ({ vcpus: n, memoryGib: 0.9 * n }) },
  { pattern: /^a2-highgpu-(\d+)g$/, shape: (g) => ({ vcpus: 12 * g, memoryGib: 85 * g }) },
  { pattern: /^a2-ultragpu-(\d+)g$/, shape: (g) => ({ vcpus: 12 * g, memoryGib: 170 * g }) },
  { pattern: /^a3-highgpu-(\d+)g$/, shape: (g) => ({ vcpus: 26 * g, memoryGib: 234 * g }) },
];

export function machineShape(machineType: string): MachineShape | undefined {
  if (Object.hasOwn(FIXED, machineType)) return FIXED[machineType];
  for (const { pattern, shape } of PATTERNS) {
    const m = pattern.exec(machineType);
    if (m) return shape(Number(m[1]));
  }
  return undefined;
}

/**
 * What a replica holding `count` of a node's `perNode` accelerators requests: that share of the
 * node, less what the node keeps for itself. GKE reserves CPU and memory for the kubelet and
 * eviction (about 6-10% of memory on these sizes), DaemonSets (logging, metrics, DCGM, the
 * device plugin) take about half a vCPU and a GiB, and the Cloud Storage FUSE sidecar asks for
 * 250m and 256Mi. Requests that do not fit the node would leave the pod Pending on a node
 * bought for it; requests far below its share would let another pod crowd the server's host
 * memory, which vLLM uses to stage weights and swap KV cache.
 */
export function serverRequests(shape: MachineShape, count: number, perNode: number): { cpu: string; memory: string } {
  const share = count / perNode;
  const cpu = Math.max(0.5, Math.floor(share * (shape.vcpus - 1.5) * 10) / 10);
  const memory = Math.max(2, Math.floor(share * (shape.memoryGib * 0.85 - 3)));
  return { cpu: Number.isInteger(cpu) ? String(cpu) : `${Math.round(cpu * 1000)}m`, memory: `${memory}Gi` };
}
