import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import type { GkeCluster } from "../../gke";
import { type Listener, gatewayNamespaceObject, gatewayObject, httpsRedirectRouteObject } from "./routing";

export interface FrontDoorArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The clusters serving GKE models, in `llmops:regions` order; the first is the fleet's config cluster. */
  readonly clusters: readonly GkeCluster[];
  /** Source ranges Cloud Armor admits; every other caller gets 403. At least one. */
  readonly allowedSourceRanges: readonly string[];
  /** Host name served over HTTPS with a Google-managed certificate; without it, HTTP only. */
  readonly domain?: string;
}

/** Cloud Armor matches at most 10 ranges per rule with the basic `SRC_IPS_V1` expression. */
const RANGES_PER_RULE = 10;
/** Allow rules from here up; the default rule is always evaluated last. */
const ALLOW_PRIORITY = 1000;
const DEFAULT_PRIORITY = 2147483647;

/**
 * The Cloud Armor rules of the front door: allow the listed ranges (10 per rule, Cloud Armor's
 * limit for a basic match), deny everyone else with 403.
 */
export function securityPolicyRules(allowedSourceRanges: readonly string[]): gcp.types.input.compute.SecurityPolicyRule[] {
  const chunks: string[][] = [];
  for (let i = 0; i < allowedSourceRanges.length; i += RANGES_PER_RULE) chunks.push(allowedSourceRanges.slice(i, i + RANGES_PER_RULE));
  return [
    ...chunks.map((srcIpRanges, i) => ({
      action: "allow",
      priority: ALLOW_PRIORITY + i,
      description: "llmops:gke.frontDoor.allowedSourceRanges",
      match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges } },
    })),
    { action: "deny(403)", priority: DEFAULT_PRIORITY, description: "Deny by default", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } } },
  ];
}

/** The Gateway's name in the config cluster. */
export const GATEWAY_NAME = "llmops-models";

/**
 * One global front door for every model served on GKE: the clusters join the project's fleet,
 * which runs multi-cluster Services (a version exported in each region becomes one
 * ServiceImport) and the multi-cluster Gateway controller; in the config cluster (the first
 * region's) a Gateway of class `gke-l7-global-external-managed-mc` gets a global external
 * Application Load Balancer on a reserved address. Deny by default: a Cloud Armor policy admits
 * only the configured source ranges (the models' `GCPBackendPolicy`s attach it to every backend);
 * with a domain, the Gateway serves HTTPS with a Google-managed certificate (Certificate Manager)
 * and redirects HTTP to it. Routes and their policies belong to the models (`GkeModel`).
 */
export class FrontDoor extends pulumi.ComponentResource {
  /** The reserved global IPv4 address callers use. */
  public readonly address: pulumi.Output<string>;
  public readonly gatewayName = GATEWAY_NAME;
  /** The cluster holding the Gateway, routes and load-balancer policies. */
  public readonly configCluster: GkeCluster;
  /** The Gateway, which routes wait for. */
  public readonly gateway: k8s.apiextensions.CustomResource;
  /** The Cloud Armor policy every model backend must reference, and its name there. */
  public readonly securityPolicy: gcp.compute.SecurityPolicy;
  public readonly securityPolicyName: string;
  /** The listener model routes attach to: `https` with a domain, else `http`. */
  public readonly listener: Listener;
  /** The base URL callers use: `https://<domain>` or `http://<address>`. */
  public readonly baseUrl: pulumi.Output<string>;
  /**
   * Per region, what installs the multi-cluster Services CRDs (`ServiceExport`) in that cluster:
   * the fleet feature and the cluster's membership.
   */
  public readonly multiClusterServices: Readonly<Record<string, readonly pulumi.Resource[]>>;

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
      // A Workload Identity member: the pool exists once a Workload Identity cluster does.
      new gcp.projects.IAMMember(
        `${name}-mcs-importer`,
        { project, role: "roles/compute.networkViewer", member: `serviceAccount:${project}.svc.id.goog[gke-mcs/gke-mcs-importer]` },
        childOf(this, opts, discovery, ...args.clusters.map((c) => c.cluster)),
      ),
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
    if (args.allowedSourceRanges.length === 0) throw new Error(`FrontDoor ${name}: no allowed source range; the configuration rules should have said so`);
    const resourceName = `llmops-models-${args.environment}`;
    // Deny by default: only the listed ranges reach a model; everyone else gets 403 at the edge.
    this.securityPolicy = new gcp.compute.SecurityPolicy(
      `${name}-armor`,
      { project, name: resourceName, type: "CLOUD_ARMOR", description: "Front door of the models served on GKE: allowlist, deny by default (managed by Pulumi)", rules: securityPolicyRules(args.allowedSourceRanges) },
      childOf(this, opts),
    );
    this.securityPolicyName = resourceName;

    // With a domain: a Google-managed certificate (load-balancer authorization: it is issued once
    // the domain's DNS points at the address), in a map the Gateway names by annotation.
    let certificateMap: gcp.certificatemanager.CertificateMap | undefined;
    let entry: gcp.certificatemanager.CertificateMapEntry | undefined;
    if (args.domain) {
      const certificate = new gcp.certificatemanager.Certificate(
        `${name}-certificate`,
        { project, name: resourceName, scope: "DEFAULT", description: `HTTPS for ${args.domain} (managed by Pulumi)`, managed: { domains: [args.domain] }, labels: { ...labels } },
        childOf(this, opts),
      );
      certificateMap = new gcp.certificatemanager.CertificateMap(`${name}-certificate-map`, { project, name: resourceName, description: "Front door of the models served on GKE", labels: { ...labels } }, childOf(this, opts));
      entry = new gcp.certificatemanager.CertificateMapEntry(
        `${name}-certificate-map-entry`,
        { project, name: resourceName, map: certificateMap.name, hostname: args.domain, certificates: [certificate.id], labels: { ...labels } },
        childOf(this, opts),
      );
    }

    const provider = configCluster.provider;
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, gatewayNamespaceObject(labels), { ...childOf(this, opts), provider });
    // The `-mc` GatewayClass exists in the config cluster once the multi-cluster Gateway feature is on.
    this.gateway = new k8s.apiextensions.CustomResource(`${name}-gateway`, gatewayObject(GATEWAY_NAME, resourceName, labels, certificateMap ? resourceName : undefined), {
      ...childOf(this, opts, namespace, address, ingress, ...grants, ...(entry ? [entry] : [])),
      provider,
    });
    if (args.domain) {
      new k8s.apiextensions.CustomResource(`${name}-https-redirect`, httpsRedirectRouteObject("https-redirect", GATEWAY_NAME, labels), { ...childOf(this, opts, namespace, this.gateway), provider });
    }
    this.multiClusterServices = Object.fromEntries(args.clusters.map((c, i) => [c.region, [discovery, memberships[i]]]));
    this.listener = args.domain ? "https" : "http";
    this.address = address.address;
    this.baseUrl = args.domain ? pulumi.output(`https://${args.domain}`) : pulumi.interpolate`http://${address.address}`;
    this.configCluster = configCluster;
    this.registerOutputs({ address: this.address, baseUrl: this.baseUrl, gateway: GATEWAY_NAME, configCluster: configCluster.region, securityPolicy: resourceName });
  }
}
