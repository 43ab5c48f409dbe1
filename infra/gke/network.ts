import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { ResolvedCluster } from "./config/resolve-cluster";

/** Secondary range names of created subnetworks. */
export const POD_RANGE = "pods";
export const SERVICE_RANGE = "services";

export interface ClusterNetwork {
  /** Self links (created) or full resource paths (existing), as the cluster takes them. */
  readonly network: pulumi.Input<string>;
  readonly subnetwork: pulumi.Input<string>;
  readonly podsRange: string;
  readonly servicesRange: string;
  /** Only when the stack created the network. */
  readonly created?: { readonly network: gcp.compute.Network; readonly subnetwork: gcp.compute.Subnetwork; readonly router: gcp.compute.Router; readonly nat: gcp.compute.RouterNat };
}

/** The stack's one VPC, `llmops-<environment>`: every created cluster has its subnetwork on it. */
export function stackNetworkName(environment: string): string {
  return `llmops-${environment}`;
}

/**
 * The stack's VPC for every cluster that does not use an existing network: one network, so that
 * multi-cluster Services can join the Services exported from every region (they only join
 * Services of one VPC). Global routing lets the regions' subnetworks reach each other.
 * Undefined when every cluster uses an existing network.
 */
export function createStackNetwork(name: string, project: string, environment: string, clusters: readonly ResolvedCluster[], opts: pulumi.CustomResourceOptions): gcp.compute.Network | undefined {
  if (!clusters.some((c) => c.network.kind === "created")) return undefined;
  return new gcp.compute.Network(
    name,
    { project, name: stackNetworkName(environment), autoCreateSubnetworks: false, routingMode: "GLOBAL", description: `LLMOps GKE clusters of ${environment}, one subnetwork per region (managed by Pulumi)` },
    opts,
  );
}

/**
 * The stack's VPC as a component (`llmops:gke:Network`), so that the network, like every
 * resource, sits under a capability; its child is `<name>-network`, aliased to its URN from before
 * the component existed (directly under the stack).
 */
export class GkeNetwork extends pulumi.ComponentResource {
  public readonly network?: gcp.compute.Network;

  constructor(name: string, args: { readonly project: string; readonly environment: string; readonly clusters: readonly ResolvedCluster[] }, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:gke:Network", name, {}, opts);
    // Stacks created before this component had the network at the top level
    // (`gcp:compute/network:Network::gke-network`); without the alias Pulumi would delete that VPC
    // and fail to create this one under the name it still holds.
    const moved = { aliases: [{ parent: pulumi.rootStackResource }] };
    this.network = createStackNetwork(`${name}-network`, args.project, args.environment, args.clusters, { ...childOf(this, opts), ...moved });
    this.registerOutputs({ network: this.network?.name });
  }
}

/**
 * The cluster's part of the VPC: its region's subnetwork of the stack's network, with secondary
 * ranges for pods and services (VPC-native), and the region's Cloud Router and NAT, because
 * private nodes have no external address and still pull images and model weights from outside
 * Google. An existing network is referenced by name; its NAT and firewalls belong to whoever owns it.
 */
export function createClusterNetwork(name: string, project: string, cluster: ResolvedCluster, network: gcp.compute.Network | undefined, opts: pulumi.CustomResourceOptions): ClusterNetwork {
  const spec = cluster.network;
  if (spec.kind === "existing") {
    const host = spec.project ?? project;
    return {
      network: `projects/${host}/global/networks/${spec.network}`,
      subnetwork: `projects/${host}/regions/${cluster.region}/subnetworks/${spec.subnetwork}`,
      podsRange: spec.podsRange,
      servicesRange: spec.servicesRange,
    };
  }
  if (!network) throw new Error(`cluster ${cluster.name} needs the stack's network, and none was created`);
  const subnetwork = new gcp.compute.Subnetwork(
    `${name}-subnet`,
    {
      project,
      name: cluster.name,
      region: cluster.region,
      network: network.selfLink,
      ipCidrRange: spec.nodes,
      secondaryIpRanges: [
        { rangeName: POD_RANGE, ipCidrRange: spec.pods },
        { rangeName: SERVICE_RANGE, ipCidrRange: spec.services },
      ],
      // Nodes reach Google APIs (Artifact Registry, Cloud Storage) without NAT.
      privateIpGoogleAccess: true,
      logConfig: { aggregationInterval: "INTERVAL_5_SEC", flowSampling: 0.5, metadata: "INCLUDE_ALL_METADATA" },
    },
    opts,
  );
  const router = new gcp.compute.Router(`${name}-router`, { project, name: cluster.name, region: cluster.region, network: network.selfLink }, opts);
  const nat = new gcp.compute.RouterNat(
    `${name}-nat`,
    {
      project,
      name: cluster.name,
      region: cluster.region,
      router: router.name,
      natIpAllocateOption: "AUTO_ONLY",
      // A router and its NAT are regional: "all subnetworks" are this region's, i.e. this cluster's.
      sourceSubnetworkIpRangesToNat: "ALL_SUBNETWORKS_ALL_IP_RANGES",
      logConfig: { enable: true, filter: "ERRORS_ONLY" },
    },
    opts,
  );
  return { network: network.selfLink, subnetwork: subnetwork.selfLink, podsRange: POD_RANGE, servicesRange: SERVICE_RANGE, created: { network, subnetwork, router, nat } };
}
