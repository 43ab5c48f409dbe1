import type { z } from "zod";
import { parseCidr } from "../../../../lib/cidr";
import type { NetworkConfig } from "../shapes";


export type RangeKey = "nodes" | "pods" | "services" | "controlPlane";
export type NetworkRanges = Readonly<Record<RangeKey, string>>;

/**
 * The base CIDR plan of the stack's one VPC: the region at position `index` of `llmops:regions`
 * gets its own ranges, apart from every other region's (multi-cluster Services and the private
 * control planes share the VPC). The first region keeps the ranges a single cluster always had.
 *
 * | index i | nodes (/20)        | pods (/14)                          | services (/20)     | control plane (/28)  |
 * | ------- | ------------------ | ----------------------------------- | ------------------ | -------------------- |
 * | 0       | 10.0.0.0/20        | 10.4.0.0/14                         | 10.8.0.0/20        | 172.16.0.0/28        |
 * | i ≥ 1   | 10.0.(16·i).0/20   | 10.(12+4·i).0.0/14 (10.16.0.0/14, …) | 10.8.(16·i).0/20   | 172.16.0.(16·i)/28   |
 *
 * Enough for 16 regions; the config rules refuse more.
 */
export function regionNetworkDefaults(index: number): NetworkRanges {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_PLANNED_REGIONS) throw new Error(`no default network ranges for region index ${index}; the config rules should have said so`);
  return {
    nodes: `10.0.${16 * index}.0/20`,
    pods: index === 0 ? "10.4.0.0/14" : `10.${12 + 4 * index}.0.0/14`,
    services: `10.8.${16 * index}.0/20`,
    controlPlane: `172.16.0.${16 * index}/28`,
  };
}
export const MAX_PLANNED_REGIONS = 16;

/** The first region's ranges. */
export const NETWORK_DEFAULTS: NetworkRanges = regionNetworkDefaults(0);

/**
 * The ranges of one cluster's network: valid and aligned, a /28 control plane, no own ranges for
 * an existing network. Overlaps (within a cluster and across the clusters sharing a VPC) depend
 * on the region's position in `llmops:regions`, so the cross-key rules check them.
 */
export function networkRules(network: NetworkConfig, ctx: z.RefinementCtx): void {
  const own = ["nodes", "pods", "services"] as const;
  if (network.existing) {
    for (const key of own) {
      if (network[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} sizes a network this stack creates; an existing network brings its own ranges; allowed: omit ${key}, or drop existing` });
      }
    }
  }
  for (const key of [...own, "controlPlane"] as const) {
    const cidr = network[key];
    if (cidr === undefined) continue;
    const range = parseCidr(cidr);
    if (!range) {
      ctx.addIssue({ code: "custom", path: [key], message: `${cidr} is not a network range (host bits set or out of range); allowed: an aligned range such as ${NETWORK_DEFAULTS[key]}` });
    } else if (key === "controlPlane" && range.prefix !== 28) {
      ctx.addIssue({ code: "custom", path: [key], message: `GKE needs a /28 for the private control plane, not /${range.prefix}; allowed: a /28 such as ${NETWORK_DEFAULTS.controlPlane}` });
    }
  }
}

/** Which VPC a cluster is on: the stack's own (`created`), or an existing network by host project and name. */
export function networkKey(network: NetworkConfig): string {
  return network.existing ? `${network.existing.project ?? "(stack project)"}/${network.existing.network}` : "created";
}

/** The ranges a cluster uses, every default applied; `existing` networks bring only the control plane. */
export function clusterRanges(network: NetworkConfig, index: number): Partial<NetworkRanges> {
  const defaults = regionNetworkDefaults(index);
  const controlPlane = network.controlPlane ?? defaults.controlPlane;
  if (network.existing) return { controlPlane };
  return { nodes: network.nodes ?? defaults.nodes, pods: network.pods ?? defaults.pods, services: network.services ?? defaults.services, controlPlane };
}

/**
 * No two ranges on one VPC overlap: within a cluster, and across the clusters sharing the network
 * (the stack's VPC, or the same existing one, where the private control planes must differ).
 * `clusters` in `llmops:regions` order with their index there; paths start at `llmops:gke`.
 */
export function overlapRules(clusters: readonly { region: string; index: number; network: NetworkConfig }[], ctx: z.RefinementCtx, at: (string | number)[]): void {
  const seen = new Map<string, { region: string; key: RangeKey; cidr: string; first: number; last: number }[]>();
  for (const { region, index, network } of clusters) {
    if (index < 0) continue;
    const vpc = networkKey(network);
    const parsed = seen.get(vpc) ?? [];
    seen.set(vpc, parsed);
    for (const [key, cidr] of Object.entries(clusterRanges(network, index)) as [RangeKey, string][]) {
      const range = parseCidr(cidr);
      if (!range) continue; // reported by networkRules
      const clash = parsed.find((p) => range.first <= p.last && p.first <= range.last);
      if (clash) {
        const where = clash.region === region ? clash.key : `the ${clash.key} range of ${clash.region} (${clash.cidr}) on the same VPC`;
        const given = network[key] === undefined ? ` (${cidr} is the default of the region at position ${index + 1} of llmops:regions)` : "";
        ctx.addIssue({
          code: "custom",
          path: [...at, "clusters", region, "network", key],
          message: `${cidr} overlaps ${where}${given}; allowed: a range apart from every nodes, pods, services and control plane range on the VPC (infra/gke/README.md lists the per-region defaults)`,
        });
      }
      parsed.push({ region, key, cidr, ...range });
    }
  }
}
