import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import type { GkeCluster } from "../../gke/cluster";
import { gatewayNamespaceObject, gatewayObject } from "./routing";

export interface FrontDoorArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The clusters serving GKE models, in `llmops:regions` order; the first is the fleet's config cluster. */
  readonly clusters: readonly GkeCluster[];
}

/** The Gateway's name in the config cluster. */
export const GATEWAY_NAME = "llmops-models";

/**
 * One global front door for every model served on GKE: the clusters join the project's fleet,
 * which runs multi-cluster Services (a version exported in each region becomes one
 * ServiceImport) and the multi-cluster Gateway controller; in the config cluster (the first
 * region's) a Gateway of class `gke-l7-global-external-managed-mc` gets a global external
 * Application Load Balancer on a reserved address. Routes and their policies belong to the
 * models (`GkeModel`).
 */
export class FrontDoor extends pulumi.ComponentResource {
  /** The reserved global IPv4 address callers use. */
  public readonly address: pulumi.Output<string>;
  public readonly gatewayName = GATEWAY_NAME;
  /** The cluster holding the Gateway, routes and load-balancer policies. */
  public readonly configCluster: GkeCluster;
  /** The Gateway, which routes wait for. */
  public readonly gateway: k8s.apiextensions.CustomResource;

  constructor(name: string, args: FrontDoorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:FrontDoor", name, {}, opts);
    const { project, labels } = args;
    if (args.clusters.length === 0) throw new Error(`FrontDoor ${name}: no cluster to put the Gateway in`);
    const configCluster = args.clusters[0];
    const number = gcp.organizations.getProjectOutput({ projectId: project }, { parent: this }).number;

    const memberships = args.clusters.map(
      (c) =>
        new gcp.gkehub.Membership(
          `${name}-${c.region}`,
          {
            project,
            location: c.region,
            membershipId: c.name,
            endpoint: { gkeCluster: { resourceLink: pulumi.interpolate`//container.googleapis.com/projects/${project}/locations/${c.region}/clusters/${c.name}` } },
            // The cluster's own issuer: fleet Workload Identity trusts the tokens it signs.
            authority: { issuer: pulumi.interpolate`https://container.googleapis.com/v1/projects/${project}/locations/${c.region}/clusters/${c.name}` },
            labels: { ...labels },
          },
          childOf(this, opts),
        ),
    );
    const discovery = new gcp.gkehub.Feature(`${name}-mcs`, { project, location: "global", name: "multiclusterservicediscovery", labels: { ...labels } }, childOf(this, opts));
    const ingress = new gcp.gkehub.Feature(
      `${name}-mcg`,
      { project, location: "global", name: "multiclusteringress", spec: { multiclusteringress: { configMembership: memberships[0].id } }, labels: { ...labels } },
      childOf(this, opts, discovery, ...memberships),
    );
    // What GKE's setup guides grant: the MCS importer reads the fleet's networks; the multi-cluster
    // Gateway controller's service agent manages the load balancer and the derived Services.
    const grants = [
      new gcp.projects.IAMMember(`${name}-mcs-importer`, { project, role: "roles/compute.networkViewer", member: `serviceAccount:${project}.svc.id.goog[gke-mcs/gke-mcs-importer]` }, childOf(this, opts, discovery)),
      new gcp.projects.IAMMember(
        `${name}-gateway-agent`,
        { project, role: "roles/container.admin", member: pulumi.interpolate`serviceAccount:service-${number}@gcp-sa-multiclusteringress.iam.gserviceaccount.com` },
        childOf(this, opts, ingress),
      ),
    ];

    // Reserved, so the front door's address survives a re-created Gateway and can sit in DNS.
    const address = new gcp.compute.GlobalAddress(
      `${name}-address`,
      { project, name: `llmops-models-${args.environment}`, addressType: "EXTERNAL", ipVersion: "IPV4", description: "Front door of the models served on GKE (managed by Pulumi)", labels: { ...labels } },
      childOf(this, opts),
    );
    const provider = configCluster.provider;
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, gatewayNamespaceObject(labels), { ...childOf(this, opts), provider });
    // The `-mc` GatewayClass exists in the config cluster once the multi-cluster Gateway feature is on.
    this.gateway = new k8s.apiextensions.CustomResource(`${name}-gateway`, gatewayObject(GATEWAY_NAME, `llmops-models-${args.environment}`, labels), {
      ...childOf(this, opts, namespace, address, ingress, ...grants),
      provider,
    });
    this.address = address.address;
    this.configCluster = configCluster;
    this.registerOutputs({ address: this.address, gateway: GATEWAY_NAME, configCluster: configCluster.region });
  }
}
