import type { z } from "zod";
import { GPU_CATALOG_CHECKED, GPU_TYPES, GPUS, type GpuType, TPU_CATALOG_CHECKED, TPUS, countsForMachine, gpuCounts, gpuShape } from "../catalog";
import type { PoolConfig } from "../shapes";
import { capacityRules } from "./capacity";

/**
 * Rules of one pool that need nothing but the pool: which accelerator, which shape, which
 * capacity. Rules that need the region (availability, zones, the cap) are in `clusters.ts`.
 */
export function poolRules(pool: PoolConfig, ctx: z.RefinementCtx): void {
  if (!pool.accelerator && !pool.tpu) {
    ctx.addIssue({ code: "custom", path: [], message: `a pool needs an accelerator or a tpu; allowed: accelerator: one of ${GPU_TYPES.join(", ")}, or tpu: { version, topology }` });
  } else if (pool.accelerator && pool.tpu) {
    ctx.addIssue({ code: "custom", path: ["tpu"], message: "accelerator and tpu exclude each other; allowed: one of them per pool (make two pools for both)" });
  } else if (pool.accelerator) {
    gpuRules(pool, pool.accelerator, ctx);
  } else if (pool.tpu) {
    tpuRules(pool, pool.tpu, ctx);
  }
  if (pool.autoscaling.min > pool.autoscaling.max) {
    ctx.addIssue({ code: "custom", path: ["autoscaling", "min"], message: `min ${pool.autoscaling.min} is above max ${pool.autoscaling.max}; allowed: min ≤ max` });
  }
  capacityRules(pool, ctx);
}

function describeShapes(type: GpuType, count?: number): string {
  const spec = GPUS[type];
  const shapes = spec.shapes.filter((s) => count === undefined || s.gpus === count).map((s) => `${s.machineType} (${s.gpus})`);
  if (!spec.attached) return shapes.join(", ");
  const limits = Object.entries(spec.attached.maxVcpus).map(([n, v]) => `${n} GPU: up to ${v} vCPUs`);
  return `any N1 machine (${limits.join("; ")}), e.g. ${shapes.join(", ")}`;
}

function gpuRules(pool: PoolConfig, type: GpuType, ctx: z.RefinementCtx): void {
  const spec = GPUS[type];
  const counts = gpuCounts(type);
  const source = `(catalog checked ${GPU_CATALOG_CHECKED}, infra/gke/config/catalog/gpus.ts)`;
  if (pool.count !== undefined && !counts.includes(pool.count)) {
    ctx.addIssue({ code: "custom", path: ["count"], message: `${type} comes with ${counts.join(", ")} GPUs per node, not ${pool.count}; allowed: ${counts.join(", ")} ${source}` });
  }
  let machineType = pool.machineType;
  let count = pool.count ?? (machineType ? countsForMachine(type, machineType)[0] : counts[0]);
  if (machineType !== undefined) {
    const fits = countsForMachine(type, machineType);
    if (fits.length === 0) {
      ctx.addIssue({ code: "custom", path: ["machineType"], message: `${machineType} does not carry ${type}; allowed: ${describeShapes(type)} ${source}` });
      machineType = undefined;
    } else if (pool.count !== undefined && counts.includes(pool.count) && !fits.includes(pool.count)) {
      ctx.addIssue({
        code: "custom",
        path: ["machineType"],
        message: `${machineType} carries ${fits.join(" or ")} × ${type}, not ${pool.count}; allowed with count ${pool.count}: ${describeShapes(type, pool.count)} ${source}`,
      });
      machineType = undefined;
    }
  }
  count ??= counts[0];
  const shape = machineType ? gpuShape(type, machineType, count) : spec.shapes.find((s) => s.gpus === count);
  if (shape) {
    pool.capacity.forEach((option, i) => {
      if (!shape.capacity.includes(option)) {
        ctx.addIssue({ code: "custom", path: ["capacity", i], message: `${shape.machineType} (${shape.gpus} × ${type}) is not offered as ${option}; allowed: ${shape.capacity.join(", ")} ${source}` });
      }
    });
  }
  if (pool.compactPlacement && !spec.compactPlacement) {
    ctx.addIssue({ code: "custom", path: ["compactPlacement"], message: `compact placement is not offered for ${spec.series.toUpperCase()} machines (${type}); allowed: false, or an A2, A3 or G2 accelerator` });
  }
  if (pool.sharing) sharingRules(pool.sharing, type, ctx);
}

function sharingRules(sharing: NonNullable<PoolConfig["sharing"]>, type: GpuType, ctx: z.RefinementCtx): void {
  const mig = GPUS[type].migPartitions;
  if (sharing.partition !== undefined) {
    if (mig.length === 0) {
      const capable = GPU_TYPES.filter((t) => GPUS[t].migPartitions.length > 0);
      ctx.addIssue({ code: "custom", path: ["sharing", "partition"], message: `${type} has no multi-instance GPU partitions; allowed: a partition on ${capable.join(", ")}, or time-sharing / mps without a partition` });
    } else if (!mig.includes(sharing.partition)) {
      ctx.addIssue({ code: "custom", path: ["sharing", "partition"], message: `"${sharing.partition}" is not a partition of ${type}; allowed: ${mig.join(", ")}` });
    }
  }
  if (sharing.strategy === "mps" && sharing.partition !== undefined) {
    ctx.addIssue({ code: "custom", path: ["sharing", "strategy"], message: "MPS does not run on multi-instance GPU partitions; allowed: time-sharing with a partition, or mps without one" });
  }
  if (sharing.strategy !== undefined && sharing.maxClientsPerGpu === undefined) {
    ctx.addIssue({ code: "custom", path: ["sharing", "maxClientsPerGpu"], message: `${sharing.strategy} needs the number of containers per GPU; allowed: 2 to 48` });
  }
  if (sharing.maxClientsPerGpu !== undefined && sharing.strategy === undefined) {
    ctx.addIssue({ code: "custom", path: ["sharing", "strategy"], message: "maxClientsPerGpu needs a sharing strategy; allowed: time-sharing, mps" });
  }
  if (sharing.strategy === undefined && sharing.partition === undefined && sharing.maxClientsPerGpu === undefined) {
    ctx.addIssue({ code: "custom", path: ["sharing"], message: "sharing says nothing; allowed: strategy (time-sharing, mps) with maxClientsPerGpu, and/or partition" });
  }
}

// Fields that describe GPUs; a TPU pool's machine and host count follow from its topology.
const GPU_ONLY = ["count", "machineType", "gpuDriver", "sharing", "compactPlacement"] as const;

function tpuRules(pool: PoolConfig, tpu: NonNullable<PoolConfig["tpu"]>, ctx: z.RefinementCtx): void {
  for (const field of GPU_ONLY) {
    if (pool[field] !== undefined) {
      const why = field === "compactPlacement" ? "multi-host slices get compact placement automatically" : "TPU pools derive it from tpu.topology and tpu.chipsPerNode";
      ctx.addIssue({ code: "custom", path: [field], message: `${field} applies to GPU pools; ${why}; allowed: omit it` });
    }
  }
  const spec = TPUS[tpu.version];
  const topologies = Object.keys(spec.topologies);
  const dims = tpu.topology.split("x").length;
  const source = `(catalog checked ${TPU_CATALOG_CHECKED}, infra/gke/config/catalog/tpus.ts)`;
  if (dims !== spec.dimensions) {
    const shape = spec.dimensions === 2 ? "2-D (AxB)" : "3-D (AxBxC)";
    ctx.addIssue({ code: "custom", path: ["tpu", "topology"], message: `${tpu.version} topologies are ${shape}, not "${tpu.topology}"; allowed: ${topologies.join(", ")} ${source}` });
    return;
  }
  const options = Object.hasOwn(spec.topologies, tpu.topology) ? spec.topologies[tpu.topology] : undefined;
  if (!options) {
    ctx.addIssue({ code: "custom", path: ["tpu", "topology"], message: `"${tpu.topology}" is not a ${tpu.version} topology; allowed: ${topologies.join(", ")} ${source}` });
  } else if (tpu.chipsPerNode !== undefined && !options.includes(tpu.chipsPerNode)) {
    ctx.addIssue({
      code: "custom",
      path: ["tpu", "chipsPerNode"],
      message: `a ${tpu.version} ${tpu.topology} slice is built from ${options.join("- or ")}-chip nodes, not ${tpu.chipsPerNode}; allowed: ${options.join(", ")}`,
    });
  }
}
