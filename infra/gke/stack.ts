import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../settings";
import { GkeCluster } from "./cluster";
import { GkeNetwork } from "./network";
import { resolveClusters } from "./config/resolve-cluster";

/** The APIs the clusters call; the stack enables them before creating anything here. */
export const GKE_APIS = ["compute.googleapis.com", "container.googleapis.com"] as const;

/** What the stack exports per region: enough to `get-credentials` and to place a model. */
export interface GkeRegionOutput {
  readonly cluster: string;
  readonly endpoint: string;
  readonly pools: Record<string, { accelerator: string; perNode: number; workload: string; nodePools: string[]; computeClass?: string }>;
}

export interface GkeCapacity {
  /** The stack's VPC `llmops-<environment>`, unless every cluster uses an existing network. */
  readonly network?: gcp.compute.Network;
  /** Clusters in `llmops:regions` order. */
  readonly clusters: readonly GkeCluster[];
  readonly outputs: pulumi.Output<Record<string, GkeRegionOutput>>;
}

/**
 * The stack's VPC (component `gke`, network `gke-network`, a subnetwork per region) and one `GkeCluster` per
 * region in `llmops:gke.clusters`, named `gke-<region>`; undefined when the
 * stack configures no GKE. `dependsOn` should hold the enablement of `GKE_APIS`.
 */
export function createGkeCapacity(
  settings: StackSettings,
  images: gcp.artifactregistry.Repository,
  deployers: readonly pulumi.Input<string>[],
  opts: { readonly dependsOn: pulumi.Resource[] },
): GkeCapacity | undefined {
  const gke = settings.raw.gke;
  if (!gke) return undefined;
  const resolved = resolveClusters(gke, settings);
  const network = new GkeNetwork("gke", { project: settings.project, environment: settings.environment, clusters: resolved }, { dependsOn: opts.dependsOn }).network;
  const clusters = resolved.map(
    (cluster) =>
      new GkeCluster(
        `gke-${cluster.region}`,
        { project: settings.project, environment: settings.environment, cluster, deletionProtection: settings.isProd, labels: settings.labels, images, network, deployers },
        { dependsOn: opts.dependsOn },
      ),
  );
  const outputs = pulumi
    .all(clusters.map((c) => pulumi.all([c.name, c.endpoint]).apply(([name, endpoint]) => [c, name, endpoint] as const)))
    .apply((entries) =>
      Object.fromEntries(
        entries.map(([c, name, endpoint]) => [
          c.region,
          {
            cluster: name,
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
  return { network, clusters, outputs };
}
