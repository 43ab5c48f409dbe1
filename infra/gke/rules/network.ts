import type { z } from "zod";
import type { NetworkConfig } from "../schema";

/** An IPv4 range as [first, last] addresses, or undefined when it is not a valid network address. */
export function parseCidr(cidr: string): { first: number; last: number; prefix: number } | undefined {
  const [address, bits] = cidr.split("/");
  const octets = address.split(".").map(Number);
  const prefix = Number(bits);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o > 255) || !(prefix >= 0 && prefix <= 32)) return undefined;
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (value % size !== 0) return undefined;
  return { first: value, last: value + size - 1, prefix };
}

export const NETWORK_DEFAULTS = { nodes: "10.0.0.0/20", pods: "10.4.0.0/14", services: "10.8.0.0/20", controlPlane: "172.16.0.0/28" } as const;

/** The ranges of one cluster's network: valid, aligned, apart from each other. */
export function networkRules(network: NetworkConfig, ctx: z.RefinementCtx): void {
  const own = ["nodes", "pods", "services"] as const;
  if (network.existing) {
    for (const key of own) {
      if (network[key] !== undefined) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} sizes a network this stack creates; an existing network brings its own ranges; allowed: omit ${key}, or drop existing` });
      }
    }
  }
  const ranges = (network.existing ? (["controlPlane"] as const) : ([...own, "controlPlane"] as const)).map((key) => ({ key, cidr: network[key] ?? NETWORK_DEFAULTS[key] }));
  const parsed: { key: string; first: number; last: number }[] = [];
  for (const { key, cidr } of ranges) {
    const range = parseCidr(cidr);
    if (!range) {
      ctx.addIssue({ code: "custom", path: [key], message: `${cidr} is not a network range (host bits set or out of range); allowed: an aligned range such as ${NETWORK_DEFAULTS[key]}` });
      continue;
    }
    if (key === "controlPlane" && range.prefix !== 28) {
      ctx.addIssue({ code: "custom", path: [key], message: `GKE needs a /28 for the private control plane, not /${range.prefix}; allowed: a /28 such as ${NETWORK_DEFAULTS.controlPlane}` });
    }
    const clash = parsed.find((p) => range.first <= p.last && p.first <= range.last);
    if (clash) ctx.addIssue({ code: "custom", path: [key], message: `${cidr} overlaps ${clash.key}; allowed: a range apart from the nodes, pods, services and control plane ranges` });
    parsed.push({ key, ...range });
  }
}
