import type { Plan, PlannedResource } from "../../lib/plan";

/* Small plans built by hand, in the shape `llmops plan` writes, for the diff and cost tests. */

/** A planned resource of stack `stack` with default options. */
export function plannedResource(type: string, name: string, inputs: Record<string, unknown>, parent: string | null = null, stack = "prod"): PlannedResource {
  return { urn: `urn:pulumi:${stack}::llmops::${type}::${name}`, type, name, parent, inputs, options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [] } };
}

export interface GkePoolPlanOptions {
  readonly min?: number;
  readonly max?: number;
  readonly machineType?: string;
  /** The accelerator's type and count per node. */
  readonly type?: string;
  readonly count?: number;
  /** The node pool's node labels, if any. */
  readonly labels?: Record<string, string>;
  readonly outputs?: Record<string, unknown>;
}

/** The prod plan of one GKE cluster in us-central1 with one accelerator pool (default: 1–4 nodes of g2-standard-8 with one NVIDIA L4). */
export function gkePoolPlan(pool: GkePoolPlanOptions = {}): Plan {
  const component = plannedResource("llmops:gke:Cluster", "gke-us-central1", {});
  const child = (type: string, name: string, inputs: Record<string, unknown>) => plannedResource(type, name, inputs, component.urn);
  return {
    project: "llmops",
    stack: "prod",
    resources: [
      component,
      child("gcp:container/cluster:Cluster", "gke-us-central1-cluster", { name: "llmops-prod-us-central1", location: "us-central1" }),
      child("gcp:container/nodePool:NodePool", "gke-us-central1-l4", {
        cluster: "llmops-prod-us-central1",
        location: "us-central1",
        name: "l4-serving",
        autoscaling: { totalMinNodeCount: pool.min ?? 1, totalMaxNodeCount: pool.max ?? 4 },
        nodeConfig: {
          machineType: pool.machineType ?? "g2-standard-8",
          guestAccelerators: [{ type: pool.type ?? "nvidia-l4", count: pool.count ?? 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }],
          ...(pool.labels ? { labels: pool.labels } : {}),
        },
      }),
    ],
    outputs: pool.outputs ?? {},
  };
}
