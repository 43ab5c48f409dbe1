import { createHash } from "node:crypto";
import { type ResolvedPool, resolvePool } from "./resolve";
import { regionNetworkDefaults } from "./rules/network";
import type { GkeConfig } from "./schema";

/** A cluster as the stack creates it, every default applied. */
export interface ResolvedCluster {
  readonly region: string;
  /** The GKE cluster name, `llmops-<environment>-<region>`; also names its subnetwork, router and NAT. */
  readonly name: string;
  readonly releaseChannel: "RAPID" | "REGULAR" | "STABLE";
  /** A recurring window (RFC 3339 times of its first occurrence, RFC 5545 recurrence). */
  readonly maintenance: { readonly startTime: string; readonly endTime: string; readonly recurrence: string };
  readonly network:
    | { readonly kind: "created"; readonly nodes: string; readonly pods: string; readonly services: string }
    | { readonly kind: "existing"; readonly project?: string; readonly network: string; readonly subnetwork: string; readonly podsRange: string; readonly servicesRange: string };
  readonly controlPlane: string;
  readonly authorizedNetworks?: readonly { readonly cidr: string; readonly name: string }[];
  readonly system: { readonly machineType: string; readonly minNodes: number; readonly maxNodes: number };
  readonly maxAccelerators: number;
  readonly pools: readonly ResolvedPool[];
}

// Any date serves as the first occurrence; a fixed one keeps the plan independent of the clock.
// 2025-01-04 is a Saturday.
const WINDOW_ANCHOR = "2025-01-04";

function maintenanceWindow(m: GkeConfig["maintenance"]): ResolvedCluster["maintenance"] {
  const { days, start, durationHours } = m ?? { days: ["SA", "SU"], start: "02:00", durationHours: 6 };
  const begin = new Date(`${WINDOW_ANCHOR}T${start}:00Z`);
  const end = new Date(begin.getTime() + durationHours * 3_600_000);
  const iso = (d: Date) => d.toISOString().replace(/\.000Z$/, "Z");
  return { startTime: iso(begin), endTime: iso(end), recurrence: `FREQ=WEEKLY;BYDAY=${days.join(",")}` };
}

/**
 * The dedicated node service account's id: `llmops-gke-<region>-<environment>` when that fits
 * the 30-character limit, otherwise shortened with a hash of the full name so it stays unique.
 */
export function nodeAccountId(region: string, environment: string): string {
  const full = `llmops-gke-${region}-${environment}`;
  if (full.length <= 30) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 6);
  return `${full.slice(0, 23).replace(/-+$/, "")}-${hash}`;
}

/** The stack's clusters in `llmops:regions` order (primary first). Expects validated config. */
export function resolveClusters(gke: GkeConfig, stack: { readonly environment: string; readonly regions: readonly string[] }): ResolvedCluster[] {
  const regions = Object.keys(gke.clusters).sort((a, b) => stack.regions.indexOf(a) - stack.regions.indexOf(b));
  return regions.map((region) => {
    const cfg = gke.clusters[region];
    const pools = Object.entries(cfg.pools)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, pool]) => {
        const resolved = resolvePool(region, name, pool);
        if (!resolved) throw new Error(`gke pool ${region}/${name} did not resolve; the config rules should have rejected it`);
        return resolved;
      });
    const { existing } = cfg.network;
    // Per region its own ranges on the stack's one VPC (rules/network.ts), unless set explicitly.
    const defaults = regionNetworkDefaults(Math.max(0, stack.regions.indexOf(region)));
    const maxNodes = cfg.system.maxNodes ?? 6;
    return {
      region,
      name: `llmops-${stack.environment}-${region}`,
      releaseChannel: gke.releaseChannel,
      maintenance: maintenanceWindow(gke.maintenance),
      network: existing
        ? { kind: "existing", ...existing }
        : { kind: "created", nodes: cfg.network.nodes ?? defaults.nodes, pods: cfg.network.pods ?? defaults.pods, services: cfg.network.services ?? defaults.services },
      controlPlane: cfg.network.controlPlane ?? defaults.controlPlane,
      authorizedNetworks: cfg.authorizedNetworks,
      system: {
        machineType: cfg.system.machineType ?? "e2-standard-4",
        // One system node per zone in prod, so losing a zone keeps DNS and the agents up.
        minNodes: cfg.system.minNodes ?? Math.min(stack.environment === "prod" ? 3 : 1, maxNodes),
        maxNodes,
      },
      maxAccelerators: cfg.maxAccelerators ?? gke.maxAccelerators,
      pools,
    };
  });
}
