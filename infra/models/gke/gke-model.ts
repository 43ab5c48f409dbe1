import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import type { GkeCluster } from "../../gke";
import { ModelSafety } from "../safety";
import { type ResolvedModel, type RolloutRecord, machineShape } from "../config";
import type { RegionalServing } from "../vertex-model";
import type { FrontDoor } from "./front-door";
import type { MetricsAdapter } from "./metrics-adapter";
import { SERVER_ACCOUNT, modelLabels, namespaceOf, serverName, versionSlug } from "../config/names";
import { RegionalGkeServing } from "./regional";
import { backendPolicyObject, healthCheckPolicyObject, httpRouteObject, namespaceObject } from "./routing";
import { type ServerArgs, weightsOf } from "./server";

export interface GkeModelArgs {
  readonly project: string;
  /** The stack's labels; the model's are added. */
  readonly labels: Readonly<Record<string, string>>;
  /** The model, resolved (`StackSettings.models`), with its pool in every serving region. */
  readonly model: ResolvedModel;
  /** The identity the servers run as; its Workload Identity grant is made here. */
  readonly servingAccount: gcp.serviceaccount.Account;
  /** The account's grants: servers mount the weights as the account, so they start after these. */
  readonly servingGrants: readonly pulumi.Resource[];
  /** Per serving region, the cluster the model runs on (its pool is `model.gke.pools[region]`). */
  readonly clusters: Readonly<Record<string, GkeCluster>>;
  readonly frontDoor: FrontDoor;
  /** Per serving region, the metrics adapter its autoscalers read through. */
  readonly adapters: Readonly<Record<string, MetricsAdapter>>;
}

/**
 * One model served from GKE accelerator pools in each of its regions, with the same versions,
 * stages and promotion as on Vertex AI: per region a `RegionalGkeServing` (namespace, servers of
 * the deployed versions, autoscaling), a Model Armor template per version and region, and on the
 * front door an HTTPRoute whose weights are the rollout stage's split, with a health check and
 * backend settings per version. Its outputs have the shape of `VertexModel`'s.
 */
export class GkeModel extends pulumi.ComponentResource {
  public readonly regions: Readonly<Record<string, RegionalServing>>;
  public readonly rollout: RolloutRecord;
  /** Per region, what produces the servers' Prometheus metrics (alerts on them wait for these). */
  public readonly metricProducers: Readonly<Record<string, readonly pulumi.Resource[]>>;

  constructor(name: string, args: GkeModelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:GkeModel", name, {}, opts);
    const { project, frontDoor } = args;
    const { config, deployed, split, servingEmail } = args.model;
    const resolved = args.model.versions;
    const model = args.model.name;
    const { serving, rollout } = config;
    const gke = args.model.gke;
    if (!serving.accelerator || !gke) throw new Error(`GkeModel ${name}: ${model} is not resolved for GKE (no accelerator or pools); the configuration rules should have said so`);
    const namespace = namespaceOf(model);

    // As on Vertex AI, every version keeps its templates, so a version that returns finds its own.
    const safety = Object.fromEntries(
      Object.entries(config.versions).map(([version, v]) => [
        version,
        new ModelSafety(`${name}-safety-${version}`, { project, model, version, regions: serving.regions, safety: v.safety, labels: { ...args.labels, model } }, childOf(this, opts)),
      ]),
    );
    // One grant per model, not per region: the workload pool is the project's, so the member
    // `<project>.svc.id.goog[<namespace>/<account>]` is the same in every cluster.
    const identity = new gcp.serviceaccount.IAMMember(
      `${name}-workload-identity`,
      { serviceAccountId: args.servingAccount.name, role: "roles/iam.workloadIdentityUser", member: `serviceAccount:${project}.svc.id.goog[${namespace}/${SERVER_ACCOUNT}]` },
      // The member's pool exists once a Workload Identity cluster does.
      childOf(this, opts, ...serving.regions.map((region) => args.clusters[region].cluster)),
    );

    const regional: Record<string, RegionalGkeServing> = {};
    for (const region of serving.regions) {
      const placement = { cluster: args.clusters[region], pool: gke.pools[region] };
      const machine = machineShape(placement.pool.machineType);
      if (!machine) throw new Error(`GkeModel ${name}: ${placement.pool.machineType} is not in the machine catalog; the configuration rules should have said so`);
      const servers = deployed.map(
        (version): ServerArgs => ({
          model,
          version,
          config: resolved[version],
          namespace,
          image: resolved[version].imageUri,
          weights: weightsOf(resolved[version].artifactUri),
          pool: placement.pool,
          machine,
          count: serving.accelerator!.count,
          minReplicas: serving.minReplicas,
          maxReplicas: serving.maxReplicas,
          queue: gke.queue,
          armorTemplate: safety[version].templates[region].resourceName,
          labels: args.labels,
        }),
      );
      regional[region] = new RegionalGkeServing(
        `${name}-${region}`,
        {
          model,
          namespace,
          servingEmail,
          labels: args.labels,
          provider: placement.cluster.provider,
          servers,
          // The servers' pool too: pods pending on a pool not yet created would outlast the wait.
          serversAfter: [identity, args.servingAccount, ...args.servingGrants, placement.cluster.pools[placement.pool.name], ...deployed.map((v) => safety[v].templates[region].resource)],
          autoscalersAfter: [args.adapters[region]],
          exportsAfter: frontDoor.multiClusterServices[region] ?? [],
        },
        childOf(this, opts),
      );
    }

    // The route and its policies live in the config cluster, in the model's namespace there.
    const configCluster = frontDoor.configCluster;
    const provider = configCluster.provider;
    const routeNamespace =
      regional[configCluster.region]?.namespace ?? new k8s.core.v1.Namespace(`${name}-route-namespace`, namespaceObject(namespace, model, args.labels), { ...childOf(this, opts), provider });
    const exports = Object.values(regional).flatMap((r) => r.exports);
    const labels = modelLabels(args.labels, model);
    const after = { ...childOf(this, opts, routeNamespace, ...exports), provider };
    for (const version of deployed) {
      const backend = serverName(model, version);
      const v = config.versions[version];
      new k8s.apiextensions.CustomResource(`${name}-${versionSlug(version)}-health`, healthCheckPolicyObject(backend, namespace, v.port, v.healthRoute, labels), after);
      new k8s.apiextensions.CustomResource(`${name}-${versionSlug(version)}-backend`, backendPolicyObject(backend, namespace, labels, frontDoor.securityPolicyName), {
        ...childOf(this, opts, routeNamespace, frontDoor.securityPolicy, ...exports),
        provider,
      });
    }
    const backends = deployed.map((version) => ({ name: serverName(model, version), port: config.versions[version].port, weight: split[version] }));
    // Weights move only to versions that serve: the route waits for every deployed version's
    // Deployment in every region, which the Kubernetes provider awaits until its replicas are
    // ready. (A version that leaves the program is deleted after the route's update, as the
    // engine deletes removed resources last.)
    const servers = Object.values(regional).flatMap((r) => r.servers);
    new k8s.apiextensions.CustomResource(`${name}-route`, httpRouteObject(model, namespace, frontDoor.gatewayName, backends, args.labels, frontDoor.listener), {
      ...childOf(this, opts, routeNamespace, frontDoor.gateway, ...exports, ...servers),
      provider,
    });

    // The front door is global: every region reports the same address, and the load balancer
    // sends each caller to the nearest region with healthy capacity.
    const predictRoute = config.versions[rollout.stable].predictRoute;
    const trafficSplit = Object.fromEntries(backends.map((b) => [b.name, b.weight]));
    const versions = Object.fromEntries(deployed.map((version) => [version, { deployedModelId: serverName(model, version), percent: split[version] }]));
    this.regions = Object.fromEntries(
      serving.regions.map((region) => [region, { endpoint: frontDoor.address, predictUrl: pulumi.interpolate`${frontDoor.baseUrl}/${namespace}${predictRoute}`, trafficSplit, versions }]),
    );
    this.rollout = args.model.rollout;
    this.metricProducers = Object.fromEntries(Object.entries(regional).map(([region, r]) => [region, r.metricProducers]));
    this.registerOutputs({ regions: this.regions, rollout: this.rollout });
  }
}
