import type * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { GkeCapacity, GkeSettings } from "../gke";
import type { ModelsSettings, RolloutRecord } from "./config";
import { GkeModel } from "./gke/gke-model";
import { GkeServing } from "./gke/gke-serving";
import { type RegionalServing, VertexModel } from "./vertex-model";

/** A served model's stack output: its rollout state and, per region, where it answers. */
export interface ServedModel extends RolloutRecord {
  readonly regions: Readonly<Record<string, RegionalServing>>;
}

export interface ModelsArgs {
  readonly project: string;
  readonly environment: string;
  /** Protects what clients call (endpoints). */
  readonly isProd: boolean;
  readonly labels: Readonly<Record<string, string>>;
  /** `StackSettings.models`: every model resolved, GKE placements included. */
  readonly models: ModelsSettings;
  /** The identity servers run as, and its grants (deployments wait for both). */
  readonly serving: { readonly account: gcp.serviceaccount.Account; readonly grants: readonly pulumi.Resource[] };
  /** GKE capacity, when a model is served on GKE: its clusters and the resolved `llmops:gke`. */
  readonly gke?: { readonly capacity: GkeCapacity; readonly settings: GkeSettings };
  /** What each platform's resources wait for: the enablement of the APIs they call. */
  readonly apis: { readonly vertex: readonly pulumi.Resource[]; readonly gke: readonly pulumi.Resource[] };
}

/**
 * Every model the stack serves (`llmops:models:Models`): a `VertexModel` per Vertex AI-served
 * model and, when any is served on GKE, the shared front door and metrics adapters
 * (`GkeServing`) and a `GkeModel` per GKE-served model. Both platforms export the same
 * rollout record and regional shape, so summaries, diffs and policies read them alike.
 */
export class Models extends pulumi.ComponentResource {
  /** Per model: what the stack exports. */
  public readonly served: Readonly<Record<string, ServedModel>>;
  /** Per model and region, what produces its workload metrics (GKE): monitoring waits for these. */
  public readonly metricProducers: Readonly<Record<string, Readonly<Record<string, readonly pulumi.Resource[]>>>>;

  constructor(name: string, args: ModelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:Models", name, {}, opts);
    const { project, environment, isProd, labels } = args;
    // These sat at the stack's root before the capability had its component: the alias keeps
    // their URNs (and their children's) so nothing is replaced.
    const moved = (...after: readonly pulumi.Resource[]): pulumi.ComponentResourceOptions => ({ parent: this, dependsOn: [...after], aliases: [{ parent: pulumi.rootStackResource }] });
    const served: Record<string, ServedModel> = {};
    const producers: Record<string, Readonly<Record<string, readonly pulumi.Resource[]>>> = {};
    const all = Object.values(args.models).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    for (const model of all.filter((m) => !m.gke)) {
      const vertex = new VertexModel(
        `model-${model.name}`,
        { project, environment, isProd, labels, model, servingAccount: args.serving.account, servingGrants: args.serving.grants },
        moved(...args.apis.vertex),
      );
      served[model.name] = { ...vertex.rollout, regions: vertex.regions };
    }

    const onGke = all.filter((m) => m.gke);
    if (onGke.length) {
      const gke = args.gke;
      if (!gke?.settings.metricsAdapterImage || !gke.settings.frontDoor) {
        throw new Error(`models ${onGke.map((m) => m.name).join(", ")} are served on GKE without llmops:gke clusters, metricsAdapter or frontDoor; the configuration rules should have said so`);
      }
      const regions = new Set(onGke.flatMap((m) => m.config.serving.regions));
      const clusters = Object.fromEntries(gke.capacity.clusters.map((c) => [c.region, c]));
      const front = new GkeServing(
        `${name}-gke`,
        { project, environment, labels, clusters: gke.capacity.clusters.filter((c) => regions.has(c.region)), adapterImage: gke.settings.metricsAdapterImage, frontDoor: gke.settings.frontDoor },
        moved(...args.apis.gke),
      );
      for (const model of onGke) {
        const gkeModel = new GkeModel(
          `model-${model.name}`,
          { project, labels, model, servingAccount: args.serving.account, servingGrants: args.serving.grants, clusters, frontDoor: front.frontDoor, adapters: front.adapters },
          moved(...args.apis.gke, args.serving.account),
        );
        served[model.name] = { ...gkeModel.rollout, regions: gkeModel.regions };
        producers[model.name] = gkeModel.metricProducers;
      }
    }
    this.served = served;
    this.metricProducers = producers;
    this.registerOutputs({ models: Object.keys(served) });
  }
}
