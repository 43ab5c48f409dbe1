import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { GkeCluster } from "./cluster";
import type { GkeSettings } from "./config";
import { GkeNetwork } from "./network";

/** The APIs the clusters call; the stack enables them before creating anything here. */
export const GKE_APIS = ["compute.googleapis.com", "container.googleapis.com"] as const;

/** What the stack exports per region: enough to `get-credentials` and to place a model. */
export interface GkeRegionOutput {
  readonly cluster: string;
  readonly endpoint: string;
  readonly pools: Record<string, { accelerator: string; perNode: number; workload: string; nodePools: string[]; computeClass?: string }>;
}

export interface GkeCapacityArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `llmops:gke`, resolved. */
  readonly settings: GkeSettings;
  /** Refuse to delete the clusters (prod). @default false */
  readonly deletionProtection?: boolean;
  /** The images repository nodes pull serving images from. */
  readonly images: gcp.artifactregistry.Repository;
  /** Members that create clusters and pools (the CI deployer): actAs on the node accounts. */
  readonly deployers: readonly pulumi.Input<string>[];
}

/**
 * GPU and TPU capacity (`llmops:gke:Capacity`): the stack's VPC (`gke-network`, a subnetwork per
 * region) and one `GkeCluster` per region in `llmops:gke.clusters`, named `gke-<region>`, with
 * their accelerator pools. `dependsOn` should hold the enablement of `GKE_APIS` (and IAM and
 * Resource Manager, for the node identities).
 */
export class GkeCapacity extends pulumi.ComponentResource {
  /** The stack's VPC `llmops-<environment>`, unless every cluster uses an existing network. */
  public readonly network?: gcp.compute.Network;
  /** Clusters in `llmops:regions` order. */
  public readonly clusters: readonly GkeCluster[];
  public readonly outputs: pulumi.Output<Record<string, GkeRegionOutput>>;

  constructor(name: string, args: GkeCapacityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:gke:Capacity", name, {}, opts);
    // These sat at the stack's root before the capability had its component: the alias keeps
    // their URNs (and their children's) so nothing is replaced.
    const moved = { ...childOf(this, opts), aliases: [{ parent: pulumi.rootStackResource }] };
    const { clusters: resolved } = args.settings;
    this.network = new GkeNetwork(name, { project: args.project, environment: args.environment, clusters: resolved }, moved).network;
    this.clusters = resolved.map(
      (cluster) =>
        new GkeCluster(
          `${name}-${cluster.region}`,
          { project: args.project, environment: args.environment, cluster, deletionProtection: args.deletionProtection, labels: args.labels, images: args.images, network: this.network, deployers: args.deployers },
          moved,
        ),
    );
    this.outputs = pulumi
      .all(this.clusters.map((c) => pulumi.all([c.name, c.endpoint]).apply(([clusterName, endpoint]) => [c, clusterName, endpoint] as const)))
      .apply((entries) =>
        Object.fromEntries(
          entries.map(([c, clusterName, endpoint]) => [
            c.region,
            {
              cluster: clusterName,
              endpoint,
              pools: Object.fromEntries(
                Object.values(c.pools).map(({ pool }) => [
                  pool.name,
                  { accelerator: pool.label, perNode: pool.scheduling.perNode, workload: pool.workload, nodePools: pool.nodePools.map((p) => p.name), computeClass: pool.computeClass },
                ]),
              ),
            },
          ]),
        ),
      );
    this.registerOutputs({ clusters: this.clusters.map((c) => c.region), outputs: this.outputs });
  }
}
