import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import type { GkeCluster } from "../../gke";
import { FrontDoor } from "./front-door";
import { ADAPTER_ACCOUNT, ADAPTER_NAMESPACE, MetricsAdapter } from "./metrics-adapter";

/** The APIs the fleet, multi-cluster Services and the multi-cluster Gateway call. */
export const GKE_SERVING_APIS = ["gkehub.googleapis.com", "multiclusterservicediscovery.googleapis.com", "multiclusteringress.googleapis.com", "trafficdirector.googleapis.com", "dns.googleapis.com"] as const;

export interface GkeServingArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The clusters that serve models, in `llmops:regions` order. */
  readonly clusters: readonly GkeCluster[];
  /** The metrics adapter's image, pinned by digest. */
  readonly adapterImage: string;
  /** `llmops:gke.frontDoor`: who may call, and the HTTPS host name. */
  readonly frontDoor: { readonly allowedSourceRanges: readonly string[]; readonly domain?: string };
}

/**
 * What every GKE-served model shares: the front door (fleet, multi-cluster Gateway) and, in each
 * serving cluster, the metrics adapter its autoscalers read through, with the adapter's one
 * Cloud Monitoring grant (its Workload Identity principal is the same in every cluster).
 */
export class GkeServing extends pulumi.ComponentResource {
  public readonly frontDoor: FrontDoor;
  /** By region. */
  public readonly adapters: Readonly<Record<string, MetricsAdapter>>;

  constructor(name: string, args: GkeServingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:GkeServing", name, {}, opts);
    const number = gcp.organizations.getProjectOutput({ projectId: args.project }, { parent: this }).number;
    // Workload Identity Federation for GKE names the Kubernetes account itself: no Google service account, no key.
    const viewer = new gcp.projects.IAMMember(
      `${name}-adapter-monitoring-viewer`,
      {
        project: args.project,
        role: "roles/monitoring.viewer",
        member: pulumi.interpolate`principal://iam.googleapis.com/projects/${number}/locations/global/workloadIdentityPools/${args.project}.svc.id.goog/subject/ns/${ADAPTER_NAMESPACE}/sa/${ADAPTER_ACCOUNT}`,
      },
      // A Workload Identity member: the pool exists once a Workload Identity cluster does.
      childOf(this, opts, ...args.clusters.map((c) => c.cluster)),
    );
    this.adapters = Object.fromEntries(
      args.clusters.map((c) => [c.region, new MetricsAdapter(`${name}-adapter-${c.region}`, { image: args.adapterImage, labels: args.labels, provider: c.provider }, childOf(this, opts, viewer))]),
    );
    this.frontDoor = new FrontDoor(
      `${name}-front-door`,
      { project: args.project, environment: args.environment, labels: args.labels, clusters: args.clusters, ...args.frontDoor },
      childOf(this, opts),
    );
    this.registerOutputs({ address: this.frontDoor.address });
  }
}
