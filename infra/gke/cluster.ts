import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { kubeconfig } from "./kubeconfig";
import { createClusterNetwork } from "./network";
import { createNodeIdentity } from "./node-identity";
import { AcceleratorPool } from "./node-pool";
import { type ResolvedCluster, nodeAccountId } from "./config/resolve-cluster";

export interface GkeClusterArgs {
  readonly project: string;
  readonly environment: string;
  /** The cluster with defaults applied (`resolveClusters`). */
  readonly cluster: ResolvedCluster;
  /** Refuse to delete the cluster (prod). @default false */
  readonly deletionProtection?: boolean;
  /** Google Cloud labels for the cluster and every node's VM. */
  readonly labels: Readonly<Record<string, string>>;
  /** The images repository; the node service account may read it. */
  readonly images: gcp.artifactregistry.Repository;
  /** The stack's VPC (`createStackNetwork`), for a cluster that does not use an existing network. */
  readonly network?: gcp.compute.Network;
  /** Members that create the cluster and its pools (the CI deployer), granted actAs on the node account. */
  readonly deployers: readonly pulumi.Input<string>[];
}

const CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

/** Cluster-wide settings that do not depend on the pools. */
function clusterArgs(args: GkeClusterArgs, network: ReturnType<typeof createClusterNetwork>, nodeAccount: pulumi.Input<string>): gcp.container.ClusterArgs {
  const c = args.cluster;
  return {
    project: args.project,
    name: c.name,
    location: c.region, // regional: the control plane is replicated across zones
    description: `LLMOps serving capacity in ${c.region} (managed by Pulumi)`,
    network: network.network,
    subnetwork: network.subnetwork,
    networkingMode: "VPC_NATIVE",
    ipAllocationPolicy: { clusterSecondaryRangeName: network.podsRange, servicesSecondaryRangeName: network.servicesRange },
    privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: c.controlPlane, masterGlobalAccessConfig: { enabled: true } },
    masterAuthorizedNetworksConfig: c.authorizedNetworks
      ? { cidrBlocks: c.authorizedNetworks.map((n) => ({ cidrBlock: n.cidr, displayName: n.name })), gcpPublicCidrsAccessEnabled: false }
      : undefined,
    // The default pool cannot be configured like ours; it is created (GKE insists) and removed.
    // It still runs briefly, so it gets the node account rather than the Compute Engine default.
    removeDefaultNodePool: true,
    initialNodeCount: 1,
    nodeConfig: { serviceAccount: nodeAccount, oauthScopes: [CLOUD_PLATFORM], shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true } },
    workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
    releaseChannel: { channel: c.releaseChannel },
    enableShieldedNodes: true,
    // Dataplane V2 (eBPF) enforces network policy itself; the Calico add-on must stay off.
    datapathProvider: "ADVANCED_DATAPATH",
    addonsConfig: {
      gcsFuseCsiDriverConfig: { enabled: true }, // model weights mounted from Cloud Storage
      gcePersistentDiskCsiDriverConfig: { enabled: true },
      httpLoadBalancing: { disabled: false },
      horizontalPodAutoscaling: { disabled: false },
    },
    gatewayApiConfig: { channel: "CHANNEL_STANDARD" }, // inference gateways route to model servers
    loggingConfig: { enableComponents: ["SYSTEM_COMPONENTS", "WORKLOADS"] },
    monitoringConfig: {
      enableComponents: ["SYSTEM_COMPONENTS", "DCGM", "HPA", "POD", "DEPLOYMENT"], // DCGM: GPU utilization and memory
      managedPrometheus: { enabled: true },
    },
    maintenancePolicy: { recurringWindow: { startTime: c.maintenance.startTime, endTime: c.maintenance.endTime, recurrence: c.maintenance.recurrence } },
    costManagementConfig: { enabled: true }, // GPU cost per namespace in billing export
    deletionProtection: args.deletionProtection ?? false,
    resourceLabels: { ...args.labels },
  };
}

/**
 * A regional, private GKE Standard cluster for model serving in one region: VPC-native on its
 * region's subnetwork of the stack's network (or an existing one), Workload Identity, shielded nodes, Dataplane V2, managed
 * Prometheus with GPU metrics, the Cloud Storage FUSE CSI driver and the Gateway API. Its nodes
 * run as a dedicated least-privilege account: an untainted system pool, and the accelerator pools.
 */
export class GkeCluster extends pulumi.ComponentResource {
  public readonly region: string;
  public readonly cluster: gcp.container.Cluster;
  /** The GKE cluster name. */
  public readonly name: pulumi.Output<string>;
  /** The control plane's public IP address. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly nodeServiceAccount: gcp.serviceaccount.Account;
  /** The cluster's Kubernetes API, for anything deployed into it. */
  public readonly provider: k8s.Provider;
  public readonly systemPool: gcp.container.NodePool;
  /** Accelerator pools by their name in config. */
  public readonly pools: Readonly<Record<string, AcceleratorPool>>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:gke:Cluster", name, {}, opts);
    const c = args.cluster;
    const children = childOf(this, opts);
    const network = createClusterNetwork(name, args.project, c, args.network, children);
    const identity = createNodeIdentity(name, { project: args.project, accountId: nodeAccountId(c.region, args.environment), clusterName: c.name, images: args.images, deployers: args.deployers }, children);
    this.nodeServiceAccount = identity.account;

    this.cluster = new gcp.container.Cluster(`${name}-cluster`, clusterArgs(args, network, this.nodeServiceAccount.email), {
      ...childOf(this, opts, ...identity.grants, ...identity.actAs, ...(network.created ? [network.created.nat] : [])),
      // The removed default pool's settings cannot be read back: without this, every refresh
      // would show a diff that replaces the cluster.
      ignoreChanges: ["nodeConfig", "initialNodeCount"],
    });

    this.systemPool = new gcp.container.NodePool(
      `${name}-system`,
      {
        project: args.project,
        cluster: this.cluster.name,
        location: c.region,
        name: "system",
        initialNodeCount: 1,
        autoscaling: { totalMinNodeCount: c.system.minNodes, totalMaxNodeCount: c.system.maxNodes, locationPolicy: "BALANCED" },
        management: { autoUpgrade: true, autoRepair: true },
        nodeConfig: {
          machineType: c.system.machineType,
          imageType: "COS_CONTAINERD",
          serviceAccount: this.nodeServiceAccount.email,
          oauthScopes: [CLOUD_PLATFORM],
          labels: { workload: "system" },
          resourceLabels: { ...args.labels, workload: "system" },
          workloadMetadataConfig: { mode: "GKE_METADATA" },
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        },
      },
      { ...childOf(this, opts, ...identity.grants, ...identity.actAs), ignoreChanges: ["initialNodeCount"] },
    );

    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: pulumi
          .all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth])
          .apply(([clusterName, endpoint, auth]) => kubeconfig({ name: clusterName, endpoint, caCertificate: auth.clusterCaCertificate ?? "" })),
        enableServerSideApply: true,
      },
      { parent: this },
    );

    const pools: Record<string, AcceleratorPool> = {};
    for (const pool of c.pools) {
      pools[pool.name] = new AcceleratorPool(
        `${name}-${pool.name}`,
        { project: args.project, cluster: this.cluster.name, pool, serviceAccount: this.nodeServiceAccount.email, labels: args.labels, provider: this.provider },
        { parent: this, dependsOn: [...identity.grants, ...identity.actAs] },
      );
    }

    this.region = c.region;
    this.name = this.cluster.name;
    this.endpoint = this.cluster.endpoint;
    this.pools = pools;
    this.registerOutputs({ name: this.name, endpoint: this.endpoint, pools: Object.keys(pools) });
  }
}
