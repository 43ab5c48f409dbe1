import type { z } from "zod";
import { GCP_REGIONS, isRegion } from "../../../common/regions";
import { didYouMean } from "../../../../lib/suggest";
import { AVAILABILITY_CHECKED, AVAILABILITY_SOURCES, GPU_TYPES, TPU_CATALOG_CHECKED, TPU_VERSIONS, TPUS, offeredRegions, offeredZones, regionOfZone } from "../catalog";
import { defaultTpuZone, resolvePool } from "../resolve";
import { parseCidr } from "../../../../lib/cidr";
import type { ClusterConfig, GkeConfig } from "../objects";
import type { PoolConfig } from "../shapes";

type Path = (string | number)[];

/** GKE node pool names hold at most 40 characters; a pool's own name leaves room for its suffixes. */
const POOL_NAME = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/**
 * Rules that need the region a pool is in: the region itself, whether the accelerator is offered
 * there and in which zones, compact placement's single zone, the maintenance window, and the
 * per-region cap on accelerators.
 */
export function gkeRules(gke: GkeConfig, ctx: z.RefinementCtx): void {
  for (const [region, cluster] of Object.entries(gke.clusters)) {
    const at: Path = ["clusters", region];
    if (!isRegion(region)) {
      ctx.addIssue({ code: "custom", path: at, message: `"${region}" is not a Google Cloud region${didYouMean(region, GCP_REGIONS)}; allowed: a region of llmops:regions` });
      continue;
    }
    for (const [name, pool] of Object.entries(cluster.pools)) {
      if (!POOL_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: [...at, "pools", name], message: `pool name "${name}" is invalid; allowed: 2-20 lowercase letters, digits or hyphens, starting with a letter` });
      }
      placementRules(region, pool, [...at, "pools", name], ctx);
    }
    const { minNodes, maxNodes } = cluster.system;
    if (minNodes !== undefined && maxNodes !== undefined && minNodes > maxNodes) {
      ctx.addIssue({ code: "custom", path: [...at, "system", "minNodes"], message: `minNodes ${minNodes} is above maxNodes ${maxNodes}; allowed: minNodes ≤ maxNodes` });
    }
    capRule(region, cluster, gke.maxAccelerators, at, ctx);
  }
  gke.frontDoor?.allowedSourceRanges.forEach((cidr, i) => {
    if (!parseCidr(cidr)) {
      ctx.addIssue({ code: "custom", path: ["frontDoor", "allowedSourceRanges", i], message: `${cidr} is not a network range (host bits set or out of range); allowed: an aligned range such as 203.0.113.0/24, or one address as /32` });
    }
  });
  if (gke.maintenance && gke.maintenance.days.length * gke.maintenance.durationHours < 12) {
    // Each weekday occurs at least 4 times in 32 days; GKE wants 48 hours of windows in any 32.
    const { days, durationHours } = gke.maintenance;
    ctx.addIssue({
      code: "custom",
      path: ["maintenance"],
      message: `${days.length} day(s) × ${durationHours} h a week gives GKE under 48 hours of maintenance in 32 days; allowed: days × durationHours ≥ 12 (e.g. SA, SU for 6 hours)`,
    });
  }
}

const source = (kind: "gpu" | "tpu") => `(availability checked ${AVAILABILITY_CHECKED}, ${AVAILABILITY_SOURCES[kind]})`;

function placementRules(region: string, pool: PoolConfig, at: Path, ctx: z.RefinementCtx): void {
  const key = pool.accelerator ?? (pool.tpu ? (`tpu-${pool.tpu.version}` as const) : undefined);
  if (!key || (pool.accelerator && pool.tpu)) return;
  const kind = pool.accelerator ? "gpu" : "tpu";
  const offered = offeredZones(key, region);
  if (offered.length === 0) {
    const here = acceleratorsIn(region);
    ctx.addIssue({
      code: "custom",
      path: pool.accelerator ? [...at, "accelerator"] : [...at, "tpu", "version"],
      message: `${key} is not offered in ${region} ${source(kind)}; allowed: a region offering it (${offeredRegions(key).join(", ")}), or in ${region}: ${here.join(", ") || "no accelerator"}`,
    });
    return;
  }
  pool.zones?.forEach((zone, i) => {
    if (regionOfZone(zone) !== region) {
      ctx.addIssue({ code: "custom", path: [...at, "zones", i], message: `${zone} is not a zone of ${region}; allowed: ${offered.join(", ")}` });
    } else if (!offered.includes(zone)) {
      ctx.addIssue({ code: "custom", path: [...at, "zones", i], message: `${zone} does not offer ${key} ${source(kind)}; allowed: ${offered.join(", ")}` });
    }
  });
  if (pool.reservation && pool.capacity.includes("reservation") && !offered.includes(pool.reservation.zone)) {
    const why = regionOfZone(pool.reservation.zone) === region ? `does not offer ${key} ${source(kind)}` : `is not a zone of ${region}`;
    ctx.addIssue({ code: "custom", path: [...at, "reservation", "zone"], message: `${pool.reservation.zone} ${why}; allowed: ${offered.join(", ")}` });
  }
  const zones = pool.zones ?? (pool.tpu ? [defaultTpuZone(pool.tpu.version, region, pool.capacity) ?? offered[0]] : offered);
  if (pool.tpu && zones.length > 1) {
    ctx.addIssue({ code: "custom", path: [...at, "zones"], message: `a TPU slice lives in one zone, not ${zones.length}; allowed: one of ${offered.join(", ")}` });
  }
  if (pool.tpu && pool.capacity.includes("flex-start")) {
    const flex = TPUS[pool.tpu.version].flexStartZones;
    const outside = zones.filter((z) => !flex.includes(z));
    if (outside.length) {
      ctx.addIssue({
        code: "custom",
        path: [...at, "capacity", pool.capacity.indexOf("flex-start")],
        message: `flex-start TPU ${pool.tpu.version} is not offered in ${outside.join(", ")} (catalog checked ${TPU_CATALOG_CHECKED}, infra/gke/config/catalog/tpus.ts); allowed: zones ${flex.join(", ")}, or another capacity option`,
      });
    }
  }
  if (pool.accelerator && pool.compactPlacement && zones.length !== 1) {
    const where = pool.zones ? `${zones.length} zones are listed` : `${region} offers ${key} in ${zones.length} zones`;
    ctx.addIssue({
      code: "custom",
      path: [...at, "compactPlacement"],
      message: `compact placement needs a single zone, and ${where}; allowed: zones: [one of ${offered.join(", ")}], or compactPlacement: false`,
    });
  }
}

function capRule(region: string, cluster: ClusterConfig, defaultCap: number, at: Path, ctx: z.RefinementCtx): void {
  const cap = cluster.maxAccelerators ?? defaultCap;
  const pools = Object.entries(cluster.pools).map(([name, pool]) => resolvePool(region, name, pool));
  const resolved = pools.filter((p) => p !== undefined);
  // A pool whose shape is not determined has its own error; a total without it would mislead.
  if (resolved.length !== pools.length) return;
  const total = resolved.reduce((sum, p) => sum + p.maximum, 0);
  if (total <= cap) return;
  const parts = resolved.map((p) => {
    const each = `${p.nodePools[0].maxNodes} nodes × ${p.scheduling.perNode} ${p.kind === "gpu" ? p.accelerator : "TPU chips"}`;
    return `${p.name} ${p.maximum} (${p.nodePools.length} node pool(s) of ${each})`;
  });
  ctx.addIssue({
    code: "custom",
    path: [...at, "pools"],
    message: `the pools of ${region} can reach ${total} accelerators: ${parts.join(", ")}; allowed: at most ${cap} (${cluster.maxAccelerators === undefined ? "llmops:gke.maxAccelerators" : "maxAccelerators"}): lower a max, drop a capacity option, or raise the cap`,
  });
}

/** Accelerators offered in a region, for messages and docs. */
export function acceleratorsIn(region: string): string[] {
  return [...GPU_TYPES.filter((t) => offeredZones(t, region).length), ...TPU_VERSIONS.filter((v) => offeredZones(`tpu-${v}`, region).length).map((v) => `tpu-${v}`)];
}
