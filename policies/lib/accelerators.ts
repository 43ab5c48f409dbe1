import type { PolicyResource } from "../types";
import { isZone, regionOf } from "./location";
import { T } from "./resources";
import { asArray, asNumber, asRecord, asString } from "./values";

/**
 * Accelerators a node pool or a Vertex AI deployment can hold at its maximum. Names are GKE's
 * (`nvidia-l4`, `tpu-v5-lite-podslice`), so a cap covers both platforms: Vertex's enum names
 * (`NVIDIA_L4`, `TPU_V5_LITEPOD`) are translated.
 *
 * Machine shapes checked 2026-11-26 against https://cloud.google.com/compute/docs/gpus and
 * https://cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus (the same sources as
 * infra/gke/config/catalog; kept separate so the pack does not load the program).
 */

const VERTEX_NAMES: Readonly<Record<string, string>> = {
  "tpu-v5-litepod": "tpu-v5-lite-podslice",
  "tpu-v6e": "tpu-v6e-slice",
  "tpu-v5p": "tpu-v5p-slice",
};

export function normalizeAccelerator(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, "-");
  return VERTEX_NAMES[lower] ?? lower;
}

/** Machine types with accelerators built in: GKE attaches them whether or not guestAccelerators says so. */
const BUILT_IN: readonly { pattern: RegExp; type: string; count: (m: RegExpExecArray) => number }[] = [
  { pattern: /^a2-(?:highgpu|megagpu)-(\d+)g$/, type: "nvidia-tesla-a100", count: (m) => Number(m[1]) },
  { pattern: /^a2-ultragpu-(\d+)g$/, type: "nvidia-a100-80gb", count: (m) => Number(m[1]) },
  { pattern: /^a3-(?:highgpu|edgegpu)-(\d+)g$/, type: "nvidia-h100-80gb", count: (m) => Number(m[1]) },
  { pattern: /^a3-megagpu-(\d+)g$/, type: "nvidia-h100-mega-80gb", count: (m) => Number(m[1]) },
  { pattern: /^a3-ultragpu-(\d+)g$/, type: "nvidia-h200-141gb", count: (m) => Number(m[1]) },
  { pattern: /^a4-highgpu-(\d+)g$/, type: "nvidia-b200", count: (m) => Number(m[1]) },
  { pattern: /^g2-standard-(\d+)$/, type: "nvidia-l4", count: (m) => ({ 24: 2, 48: 4, 96: 8 })[Number(m[1])] ?? 1 },
  { pattern: /^ct4p-hightpu-(\d+)t$/, type: "tpu-v4-podslice", count: (m) => Number(m[1]) },
  { pattern: /^ct5lp-hightpu-(\d+)t$/, type: "tpu-v5-lite-podslice", count: (m) => Number(m[1]) },
  { pattern: /^ct5p-hightpu-(\d+)t$/, type: "tpu-v5p-slice", count: (m) => Number(m[1]) },
  { pattern: /^ct6e-standard-(\d+)t$/, type: "tpu-v6e-slice", count: (m) => Number(m[1]) },
];

export interface PerNode {
  readonly type: string;
  readonly count: number;
}

/** The accelerator type and count per node of a node pool, or undefined for a CPU-only pool. */
export function nodePoolAccelerator(pool: PolicyResource): PerNode | undefined {
  const node = asRecord(pool.inputs.nodeConfig);
  for (const g of asArray(node.guestAccelerators)) {
    const type = asString(asRecord(g).type);
    const count = asNumber(asRecord(g).count);
    if (type && count && count > 0) return { type: normalizeAccelerator(type), count };
  }
  const machine = asString(node.machineType);
  for (const b of BUILT_IN) {
    const m = machine ? b.pattern.exec(machine) : null;
    if (m) return { type: b.type, count: b.count(m) };
  }
  return undefined;
}

/**
 * A regional pool without `nodeLocations` runs in the cluster's zones, which the pool does not
 * say; no Google Cloud region has more than four zones, so four is the worst case.
 */
export const WORST_CASE_ZONES = 4;

function zonesOf(pool: PolicyResource): number {
  const listed = asArray(pool.inputs.nodeLocations).length;
  if (listed > 0) return listed;
  const location = asString(pool.inputs.location);
  return location && isZone(location) ? 1 : WORST_CASE_ZONES;
}

/**
 * The most nodes the pool can reach: `totalMaxNodeCount` is across zones, `maxNodeCount` is per
 * zone; a pool without autoscaling holds its fixed size. Undefined when no bound is readable.
 */
export function nodePoolMaxNodes(pool: PolicyResource): number | undefined {
  const scaling = asRecord(pool.inputs.autoscaling);
  const total = asNumber(scaling.totalMaxNodeCount);
  if (total !== undefined) return total;
  const perZone = asNumber(scaling.maxNodeCount);
  if (perZone !== undefined) return perZone * zonesOf(pool);
  const fixed = asNumber(pool.inputs.nodeCount) ?? (Object.keys(scaling).length === 0 ? asNumber(pool.inputs.initialNodeCount) : undefined);
  return fixed === undefined ? undefined : fixed * zonesOf(pool);
}

export function nodePoolRegion(pool: PolicyResource): string | undefined {
  const location = asString(pool.inputs.location);
  return location ? regionOf(location) : undefined;
}

/** One holder of accelerators at its worst case: a node pool, or one deployed model of an endpoint. */
export interface AcceleratorUse {
  readonly resource: PolicyResource;
  readonly type: string;
  readonly region: string;
  /** Accelerators at the maximum; undefined when the maximum cannot be read. */
  readonly worstCase: number | undefined;
  /** "pool l4-on-demand (4 nodes × 1)". */
  readonly label: string;
}

export function acceleratorUses(resources: readonly PolicyResource[]): AcceleratorUse[] {
  const uses: AcceleratorUse[] = [];
  for (const r of resources) {
    if (r.type === T.nodePool) {
      const per = nodePoolAccelerator(r);
      const region = nodePoolRegion(r);
      if (!per || !region) continue;
      const nodes = nodePoolMaxNodes(r);
      uses.push({ resource: r, type: per.type, region, worstCase: nodes === undefined ? undefined : nodes * per.count, label: `node pool ${r.name} (${nodes ?? "?"} nodes × ${per.count})` });
    } else if (r.type === T.endpointDeployment) {
      const region = asString(r.inputs.region);
      for (const d of asArray(r.inputs.deployments).map(asRecord)) {
        const type = asString(d.acceleratorType);
        if (!type || !region) continue;
        const per = asNumber(d.acceleratorCount) ?? 1;
        const replicas = asNumber(d.maxReplicas) ?? asNumber(d.minReplicas) ?? 1;
        uses.push({ resource: r, type: normalizeAccelerator(type), region, worstCase: per * replicas, label: `deployed model ${asString(d.displayName) ?? asString(d.deployedModelId) ?? "?"} (${replicas} replicas × ${per})` });
      }
    }
  }
  return uses;
}

/** Reads `caps[type][region]`, falling back to `caps[type]["*"]`. */
export function capFor(caps: Readonly<Record<string, Readonly<Record<string, number>>>>, type: string, region: string): number | undefined {
  const byRegion = caps[type];
  if (!byRegion) return undefined;
  return byRegion[region] ?? byRegion["*"];
}
