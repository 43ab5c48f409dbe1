import type { Plan, PlannedResource, SummarySection } from "../../lib/plan";
import { tpuChipsOfMachine } from "./config/catalog/tpus";

const NODE_POOL = "gcp:container/nodePool:NodePool";

interface Row {
  readonly region: string;
  readonly accelerator: string;
  readonly kind: "GPUs" | "TPU chips";
  baseline: number;
  maximum: number;
  nodePools: number;
}

type Inputs = {
  location?: string;
  autoscaling?: { totalMinNodeCount?: number; totalMaxNodeCount?: number };
  nodeCount?: number;
  placementPolicy?: { tpuTopology?: string };
  nodeConfig?: { machineType?: string; guestAccelerators?: { type?: string; count?: number }[] };
};

/** What one planned node pool holds, read from its inputs; undefined for pools without accelerators. */
function acceleratorsOf(resource: PlannedResource): Omit<Row, "nodePools"> | undefined {
  const inputs = resource.inputs as Inputs;
  const gpu = inputs.nodeConfig?.guestAccelerators?.[0];
  const tpu = tpuChipsOfMachine(inputs.nodeConfig?.machineType ?? "");
  const topology = inputs.placementPolicy?.tpuTopology;
  const held = gpu?.type
    ? { accelerator: gpu.type, kind: "GPUs" as const, perNode: gpu.count ?? 1 }
    : tpu
      ? { accelerator: `tpu-${tpu.version}${topology ? ` ${topology}` : ""}`, kind: "TPU chips" as const, perNode: tpu.chips }
      : undefined;
  if (!held) return undefined;
  const min = inputs.autoscaling?.totalMinNodeCount ?? inputs.nodeCount ?? 0;
  const max = inputs.autoscaling?.totalMaxNodeCount ?? inputs.nodeCount ?? 0;
  return { region: inputs.location ?? "global", accelerator: held.accelerator, kind: held.kind, baseline: min * held.perNode, maximum: max * held.perNode };
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd());
}

/** Accelerator rows per region and type: baseline (at the autoscaling minimum) and maximum. */
export function acceleratorRows(plan: Plan): Row[] {
  const rows = new Map<string, Row>();
  for (const resource of plan.resources) {
    if (resource.type !== NODE_POOL) continue;
    const found = acceleratorsOf(resource);
    if (!found) continue;
    const key = `${found.region}\u0000${found.accelerator}`;
    const row = rows.get(key) ?? { ...found, baseline: 0, maximum: 0, nodePools: 0 };
    row.baseline += found.baseline;
    row.maximum += found.maximum;
    row.nodePools += 1;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => a.region.localeCompare(b.region) || a.accelerator.localeCompare(b.accelerator));
}

/**
 * `llmops plan`'s accelerator section: per region, each accelerator type with its baseline and
 * maximum count, and the stack's worst case (every node pool at its maximum).
 */
export const acceleratorSummary: SummarySection = (plan) => {
  const rows = acceleratorRows(plan);
  if (rows.length === 0) return ["accelerators: none"];
  const total = (kind: Row["kind"]) => rows.filter((r) => r.kind === kind).reduce((sum, r) => sum + r.maximum, 0);
  const worst = rows.reduce((sum, r) => sum + r.maximum, 0);
  const parts = (["GPUs", "TPU chips"] as const).filter((k) => total(k) > 0).map((k) => `${total(k)} ${k}`);
  const lines = table([["region", "accelerator", "baseline", "maximum", "node pools"], ...rows.map((r) => [r.region, r.accelerator, String(r.baseline), String(r.maximum), String(r.nodePools)])]);
  return [`accelerators: worst case ${worst} (${parts.join(", ")})`, ...lines.map((l) => `  ${l}`)];
};
