import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedPool } from "./config/resolve";

/**
 * The ComputeClass spec of a pool with several capacity options: one priority per option, each
 * naming that option's node pools, in the order reservation, on-demand, flex-start, spot. When a
 * scale-up fails (a stock-out, an exhausted reservation), GKE tries the next priority.
 * https://cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes
 */
export function computeClassSpec(pool: ResolvedPool): Record<string, unknown> {
  return {
    priorities: pool.capacity.map((option) => ({ nodepools: pool.nodePools.filter((p) => p.capacity === option).map((p) => p.name) })),
    // The pools above are the whole menu: no node pool auto-creation, no scale-up outside them.
    nodePoolAutoCreation: { enabled: false },
    whenUnsatisfiable: "DoNotScaleUp",
    // Move pods back to a more preferred option (the paid-for reservation) once it has room.
    activeMigration: { optimizeRulePriority: true },
  };
}

/** The `cloud.google.com/v1` ComputeClass named after the pool, applied through `provider`. */
export function createComputeClass(name: string, pool: ResolvedPool, provider: k8s.Provider, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: "cloud.google.com/v1",
      kind: "ComputeClass",
      metadata: { name: pool.name, labels: { "app.kubernetes.io/managed-by": "pulumi", "llmops-pool": pool.name, workload: pool.workload } },
      spec: computeClassSpec(pool),
    },
    { ...opts, provider },
  );
}
