import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import type { StackSettings } from "../../settings";
import type { GkeCluster } from "../../gke/cluster";
import type { GkeCapacity } from "../../gke/stack";
import { imageUri, imagesRepositoryUri } from "../config/resolve";
import type { ModelConfig } from "../config/schema";
import type { RegionalServing, RolloutRecord } from "../vertex-model";
import { FrontDoor } from "./front-door";
import { GkeModel } from "./gke-model";
import { ADAPTER_ACCOUNT, ADAPTER_NAMESPACE, MetricsAdapter } from "./metrics-adapter";
import { choosePool, gkeAccelerator } from "../config/placement";

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

/** A served model's stack output: its rollout state and, per region, where it answers. */
export interface GkeServedModel extends RolloutRecord {
  readonly regions: Readonly<Record<string, RegionalServing>>;
}

export interface GkeServedModels {
  /** Per model, its stack output. */
  readonly models: Readonly<Record<string, GkeServedModel>>;
  /** Per model and region, what produces its Prometheus metrics: monitoring's alerts wait for these. */
  readonly metricProducers: Readonly<Record<string, Readonly<Record<string, readonly pulumi.Resource[]>>>>;
}

/**
 * Every model with `serving.platform: gke`, on the stack's clusters, behind one front door;
 * nothing when there is none. `dependsOn` should hold the enablement of `GKE_SERVING_APIS` and
 * Model Armor. Configuration rules (`rules.ts`) have already checked that each model fits a pool.
 */
export function createGkeServing(
  settings: StackSettings,
  capacity: GkeCapacity | undefined,
  serving: { readonly account: gcp.serviceaccount.Account; readonly grants: readonly pulumi.Resource[] },
  opts: { readonly dependsOn: pulumi.Resource[] },
): GkeServedModels {
  const models = Object.entries(settings.raw.models).filter(([, m]) => m.serving.platform === "gke");
  if (models.length === 0) return { models: {}, metricProducers: {} };
  const adapter = settings.raw.gke?.metricsAdapter;
  const frontDoor = settings.raw.gke?.frontDoor;
  if (!capacity || !adapter || !frontDoor) throw new Error("models are served on GKE without llmops:gke clusters, its metricsAdapter or its frontDoor; the configuration rules should have said so");

  const placements = Object.fromEntries(models.map(([model, m]) => [model, placeModel(model, m, capacity.clusters)]));
  const regions = new Set(models.flatMap(([, m]) => m.serving.regions));
  const front = new GkeServing(
    "models-gke",
    {
      project: settings.project,
      environment: settings.environment,
      labels: settings.labels,
      clusters: capacity.clusters.filter((c) => regions.has(c.region)),
      adapterImage: imageUri(settings, imagesRepositoryUri(settings), adapter),
      frontDoor,
    },
    opts,
  );
  const served: Record<string, GkeServedModel> = {};
  const metricProducers: Record<string, Readonly<Record<string, readonly pulumi.Resource[]>>> = {};
  for (const [model, config] of models) {
    const gke = new GkeModel(
      `model-${model}`,
      { settings, model, config, servingAccount: serving.account, servingGrants: serving.grants, placements: placements[model], frontDoor: front.frontDoor, adapters: front.adapters },
      { dependsOn: [...opts.dependsOn, serving.account] },
    );
    served[model] = { ...gke.rollout, regions: gke.regions };
    metricProducers[model] = gke.metricProducers;
  }
  return { models: served, metricProducers };
}

/** Per region, the cluster and pool a model runs on: the placement the rules validated. */
function placeModel(model: string, m: ModelConfig, clusters: readonly GkeCluster[]): Record<string, { cluster: GkeCluster; pool: ReturnType<typeof poolOf> }> {
  return Object.fromEntries(
    m.serving.regions.map((region) => {
      const cluster = clusters.find((c) => c.region === region);
      const accelerator = m.serving.accelerator ? gkeAccelerator(m.serving.accelerator.type) : undefined;
      if (!cluster || !accelerator) throw new Error(`model ${model} has no GKE cluster or accelerator in ${region}; the configuration rules should have said so`);
      return [region, { cluster, pool: poolOf(model, region, cluster, { accelerator, count: m.serving.accelerator!.count, machineType: m.serving.machineType }) }];
    }),
  );
}

function poolOf(model: string, region: string, cluster: GkeCluster, q: { accelerator: string; count: number; machineType: string }) {
  const placed = choosePool(
    Object.values(cluster.pools).map((p) => p.pool),
    { region, ...q },
  );
  if (!placed.ok) throw new Error(`model ${model} in ${region}: ${placed.message}; the configuration rules should have said so`);
  return placed.pool;
}
