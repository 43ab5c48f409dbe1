import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import type { StackSettings } from "../../config";
import type { GkeCluster } from "../../gke/cluster";
import type { ResolvedPool } from "../../gke/resolve";
import { accountEmail } from "../../platform/service-accounts";
import { artifactUri, imageUri, imagesRepositoryUri } from "../resolve";
import { deployedVersions, versionSplit } from "../rollout";
import { ModelSafety } from "../safety";
import type { ModelConfig } from "../schema";
import { type RegionalServing, type RolloutRecord, rolloutRecord } from "../vertex-model";
import type { FrontDoor } from "./front-door";
import { machineShape } from "./machines";
import type { MetricsAdapter } from "./metrics-adapter";
import { SERVER_ACCOUNT, modelLabels, namespaceOf, serverName, versionSlug } from "./names";
import { RegionalGkeServing } from "./regional";
import { backendPolicyObject, healthCheckPolicyObject, httpRouteObject, namespaceObject } from "./routing";
import { type ServerArgs, weightsOf } from "./server";

/** What the autoscaler keeps per replica when `serving.queue` is not set: vLLM's waiting requests. */
export const DEFAULT_QUEUE = { metric: "vllm:num_requests_waiting", target: 5 } as const;

export interface GkeModelArgs {
  readonly settings: StackSettings;
  readonly model: string;
  readonly config: ModelConfig;
  /** The identity the servers run as; its Workload Identity grant is made here. */
  readonly servingAccount: gcp.serviceaccount.Account;
  /** The account's grants: servers mount the weights as the account, so they start after these. */
  readonly servingGrants: readonly pulumi.Resource[];
  /** Per serving region: the cluster and the pool the model runs on (`choosePool`). */
  readonly placements: Readonly<Record<string, { readonly cluster: GkeCluster; readonly pool: ResolvedPool }>>;
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
    const { settings, model, config, frontDoor } = args;
    const { serving, rollout } = config;
    if (!serving.accelerator) throw new Error(`GkeModel ${name}: serving.accelerator is required on GKE; the configuration rules should have said so`);
    const namespace = namespaceOf(model);
    const deployed = deployedVersions(rollout);
    const split = versionSplit(rollout);
    const images = imagesRepositoryUri(settings);
    const servingEmail = accountEmail(settings.project, settings.environment, "serving");

    // As on Vertex AI, every version keeps its templates, so a version that returns finds its own.
    const safety = Object.fromEntries(
      Object.entries(config.versions).map(([version, v]) => [
        version,
        new ModelSafety(`${name}-safety-${version}`, { project: settings.project, model, version, regions: serving.regions, safety: v.safety, labels: { ...settings.labels, model } }, childOf(this, opts)),
      ]),
    );
    // One grant per model, not per region: the workload pool is the project's, so the member
    // `<project>.svc.id.goog[<namespace>/<account>]` is the same in every cluster.
    const identity = new gcp.serviceaccount.IAMMember(
      `${name}-workload-identity`,
      { serviceAccountId: args.servingAccount.name, role: "roles/iam.workloadIdentityUser", member: `serviceAccount:${settings.project}.svc.id.goog[${namespace}/${SERVER_ACCOUNT}]` },
      // The member's pool exists once a Workload Identity cluster does.
      childOf(this, opts, ...Object.values(args.placements).map((p) => p.cluster.cluster)),
    );

    const regional: Record<string, RegionalGkeServing> = {};
    for (const region of serving.regions) {
      const placement = args.placements[region];
      const machine = machineShape(placement.pool.machineType);
      if (!machine) throw new Error(`GkeModel ${name}: ${placement.pool.machineType} is not in the machine catalog; the configuration rules should have said so`);
      const servers = deployed.map(
        (version): ServerArgs => ({
          model,
          version,
          config: config.versions[version],
          namespace,
          image: imageUri(settings, images, config.versions[version]),
          weights: weightsOf(artifactUri(settings, config.versions[version])),
          pool: placement.pool,
          machine,
          count: serving.accelerator!.count,
          minReplicas: serving.minReplicas,
          maxReplicas: serving.maxReplicas,
          queue: serving.queue ?? DEFAULT_QUEUE,
          armorTemplate: safety[version].templates[region].resourceName,
          labels: settings.labels,
        }),
      );
      regional[region] = new RegionalGkeServing(
        `${name}-${region}`,
        {
          model,
          namespace,
          servingEmail,
          labels: settings.labels,
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
      regional[configCluster.region]?.namespace ?? new k8s.core.v1.Namespace(`${name}-route-namespace`, namespaceObject(namespace, model, settings.labels), { ...childOf(this, opts), provider });
    const exports = Object.values(regional).flatMap((r) => r.exports);
    const labels = modelLabels(settings.labels, model);
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
    new k8s.apiextensions.CustomResource(`${name}-route`, httpRouteObject(model, namespace, frontDoor.gatewayName, backends, settings.labels, frontDoor.listener), {
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
    this.rollout = rolloutRecord(config);
    this.metricProducers = Object.fromEntries(Object.entries(regional).map(([region, r]) => [region, r.metricProducers]));
    this.registerOutputs({ regions: this.regions, rollout: this.rollout });
  }
}
