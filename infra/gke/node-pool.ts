import * as gcp from "@pulumi/gcp";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { createComputeClass } from "./compute-class";
import { NODE_LABELS, type NodePoolSpec, type ResolvedPool, type Scheduling } from "./config/resolve";

export interface AcceleratorPoolArgs {
  readonly project: string;
  /** The cluster's name (an output of the cluster, so pools wait for it). */
  readonly cluster: pulumi.Input<string>;
  readonly pool: ResolvedPool;
  /** Email of the cluster's node service account. */
  readonly serviceAccount: pulumi.Input<string>;
  /** Google Cloud labels for the nodes' VMs and disks (`llmops:labels` plus the project's). */
  readonly labels: Readonly<Record<string, string>>;
  /** The cluster's Kubernetes API. Needed when the pool has several capacity options (ComputeClass). */
  readonly provider?: k8s.Provider;
}

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

/** The NodePool inputs of one node pool of `pool`. Exported for tests. @internal */
export function nodePoolArgs(args: AcceleratorPoolArgs, spec: NodePoolSpec): gcp.container.NodePoolArgs {
  const { pool } = args;
  const flexStart = spec.capacity === "flex-start";
  const gpu = pool.gpu;
  return {
    project: args.project,
    cluster: args.cluster,
    location: pool.region,
    name: spec.name,
    nodeLocations: [...spec.zones],
    initialNodeCount: spec.initialNodeCount,
    autoscaling: {
      totalMinNodeCount: spec.minNodes,
      totalMaxNodeCount: spec.maxNodes,
      // ANY takes whichever zone has the accelerators; flex-start requires it.
      locationPolicy: "ANY",
    },
    management: { autoUpgrade: true, autoRepair: spec.autoRepair },
    // Surging would need one more accelerator node, which is what is scarce: replace in place.
    // GKE handles the rest itself: a multi-host slice is recreated whole, and flex-start nodes
    // are replaced when their run ends rather than upgraded.
    upgradeSettings: spec.slice === undefined && !flexStart ? { strategy: "SURGE", maxSurge: 0, maxUnavailable: 1 } : undefined,
    placementPolicy: spec.placement ? { type: spec.placement.type, tpuTopology: spec.placement.tpuTopology } : undefined,
    queuedProvisioning: flexStart && pool.flexStart?.queued ? { enabled: true } : undefined,
    nodeConfig: {
      machineType: pool.machineType,
      imageType: "COS_CONTAINERD",
      serviceAccount: args.serviceAccount,
      oauthScopes: [CLOUD_PLATFORM],
      guestAccelerators: gpu
        ? [
            {
              type: gpu.type,
              count: gpu.count,
              gpuDriverInstallationConfig: { gpuDriverVersion: gpu.driver },
              gpuSharingConfig: gpu.sharing ? { gpuSharingStrategy: gpu.sharing.strategy, maxSharedClientsPerGpu: gpu.sharing.maxClientsPerGpu } : undefined,
              gpuPartitionSize: gpu.partition,
            },
          ]
        : undefined,
      spot: spec.capacity === "spot" ? true : undefined,
      flexStart: flexStart ? true : undefined,
      maxRunDuration: flexStart && pool.flexStart?.maxRunHours ? `${pool.flexStart.maxRunHours * 3600}s` : undefined,
      // Only the reservation option consumes one: the others must not drain a reservation that
      // the ComputeClass's first priority counts on (and flex-start and spot cannot use one).
      reservationAffinity:
        spec.capacity === "reservation" && pool.reservation
          ? {
              consumeReservationType: "SPECIFIC_RESERVATION",
              key: "compute.googleapis.com/reservation-name",
              values: [pool.reservation.project ? `projects/${pool.reservation.project}/reservations/${pool.reservation.name}` : pool.reservation.name],
            }
          : { consumeReservationType: "NO_RESERVATION" },
      labels: { ...spec.labels },
      taints: spec.taints.map((t) => ({ ...t })),
      resourceLabels: { ...args.labels, [NODE_LABELS.workload]: pool.workload, [NODE_LABELS.pool]: pool.name, [NODE_LABELS.capacity]: spec.capacity },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      // Image streaming and gVNIC: serving images are gigabytes and weights are pulled at boot.
      gcfsConfig: { enabled: true },
      gvnic: { enabled: true },
    },
  };
}

/**
 * One accelerator pool: a GKE node pool per capacity option (and per slice of a multi-host TPU),
 * and, when there are several options, the ComputeClass that falls back across them. Nodes are
 * tainted for their accelerator, so only workloads that tolerate it (and ask for it) land there.
 */
export class AcceleratorPool extends pulumi.ComponentResource {
  public readonly pool: ResolvedPool;
  /** GKE node pools by their GKE name. */
  public readonly nodePools: Readonly<Record<string, gcp.container.NodePool>>;
  public readonly computeClass?: pulumi.CustomResource;
  /** What a model server needs to be scheduled here. */
  public readonly scheduling: Scheduling;

  constructor(name: string, args: AcceleratorPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:gke:AcceleratorPool", name, {}, opts);
    const nodePools: Record<string, gcp.container.NodePool> = {};
    for (const spec of args.pool.nodePools) {
      nodePools[spec.name] = new gcp.container.NodePool(`${name}-${spec.name.slice(args.pool.name.length + 1)}`, nodePoolArgs(args, spec), {
        ...childOf(this, opts),
        // Only read at creation, and changing it would replace the pool.
        ignoreChanges: ["initialNodeCount"],
      });
    }
    if (args.pool.computeClass) {
      if (!args.provider) throw new Error(`AcceleratorPool ${name}: a pool with several capacity options needs the cluster's Kubernetes provider`);
      this.computeClass = createComputeClass(`${name}-class`, args.pool, args.provider, childOf(this, opts, ...Object.values(nodePools)));
    }
    this.pool = args.pool;
    this.nodePools = nodePools;
    this.scheduling = args.pool.scheduling;
    this.registerOutputs({ nodePools: Object.keys(nodePools), computeClass: args.pool.computeClass, scheduling: this.scheduling });
  }
}
