import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { type ResolvedModel, namespaceOf, templateId } from "../models/config";
import { type AcceleratorCluster, AcceleratorMonitoring } from "./accelerators";
import { type ChannelsSummary, NotificationChannels } from "./channels";
import { StackDashboard } from "./dashboard";
import { ModelMonitoring } from "./model-monitoring";
import { PipelineMonitoring } from "./pipelines";
import { SafetyMetrics } from "./safety";
import { type SignalSource, endpointIdOf } from "./served-region";
import type { ModelThresholds, MonitoringSettings, SloConfig } from "./config";

/** A served model as monitoring reads it: its resolved settings and what its serving component exported. */
export interface MonitoredModel {
  readonly model: ResolvedModel;
  /**
   * Per region (`VertexModel.regions`, `GkeModel.regions`): the endpoint resource name (the front
   * door's address on GKE, unused here) and each version's deployed model (server name on GKE).
   */
  readonly regions: Readonly<Record<string, { readonly endpoint: pulumi.Input<string>; readonly versions: Readonly<Record<string, { readonly deployedModelId: string }>> }>>;
  /**
   * Per region, what produces the model's workload metrics (GKE: the servers and their
   * PodMonitoring). Cloud Monitoring refuses an alert on a metric no one has written yet.
   */
  readonly metricProducers?: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

/** What the stack exports about monitoring, and what `llmops plan` summarises. */
export interface MonitoringOutputs {
  readonly channels: ChannelsSummary;
  readonly dashboard: pulumi.Output<string>;
  /** Per model: the objective beside the autoscaling target (the queue gauge on GKE), and the thresholds in force. */
  readonly models: Record<string, { slo: SloConfig; autoscaling: { metric: string; target: number }; thresholds: ModelThresholds }>;
}

// Only the ids: the dashboard must not change when a rollout stage moves traffic.
function deployedIds(versions: MonitoredModel["regions"][string]["versions"]): Record<string, { deployedModelId: string }> {
  return Object.fromEntries(Object.entries(versions).map(([version, d]) => [version, { deployedModelId: d.deployedModelId }]));
}

/** The structural view of `infra/gke`'s clusters that monitoring needs (kept loose on purpose). */
export interface GkeClusterView {
  readonly region: string;
  readonly name: pulumi.Output<string>;
  readonly pools: Readonly<Record<string, { readonly pool: { readonly name: string; readonly kind: "gpu" | "tpu"; readonly label: string } }>>;
}

export function acceleratorClustersOf(clusters: readonly GkeClusterView[]): AcceleratorCluster[] {
  return clusters
    .map((c) => ({ region: c.region, cluster: c.name, pools: Object.values(c.pools).map(({ pool }) => ({ name: pool.name, kind: pool.kind, accelerator: pool.label })) }))
    .filter((c) => c.pools.length > 0);
}

export interface MonitoringArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `StackSettings.monitoring`: channels, defaults, and each model's objective and thresholds. */
  readonly settings: MonitoringSettings;
  readonly models: readonly MonitoredModel[];
  /** The GKE clusters' accelerator pools (`acceleratorClustersOf`). */
  readonly clusters: readonly AcceleratorCluster[];
}

/**
 * Monitoring for the whole stack (`llmops:monitoring:Monitoring`): the notification channels,
 * per served model its alerts and SLOs, the Model Armor and pipeline-run log metrics and alerts,
 * accelerator-pool alerts, and one dashboard. `dependsOn` should hold the enablement of
 * monitoring.googleapis.com and logging.googleapis.com.
 */
export class Monitoring extends pulumi.ComponentResource {
  public readonly outputs: MonitoringOutputs;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:Monitoring", name, {}, opts);
    const { project, environment, labels, settings } = args;
    // These sat at the stack's root before the capability had its component: the alias keeps
    // their URNs (and their children's) so nothing is replaced.
    const moved = { ...childOf(this, opts), aliases: [{ parent: pulumi.rootStackResource }] };
    const channels = new NotificationChannels(`${name}-channels`, { project, environment, channels: settings.channels, labels }, moved);
    const safety = args.models.length ? new SafetyMetrics(`${name}-safety`, { project, environment }, moved) : undefined;
    const pipelines = new PipelineMonitoring(`${name}-pipelines`, { project, environment, labels, channels }, moved);

    const models: MonitoringOutputs["models"] = {};
    const dashboardModels = args.models.map(({ model: m, regions, metricProducers }) => {
      const { slo, thresholds, autoscaling } = settings.models[m.name];
      const templateIds = Object.keys(m.config.versions).map((version) => templateId(m.name, version));
      // GKE: vLLM's metrics in the model's namespace, and the queue gauge its autoscaler tracks.
      const gke = m.gke ? { namespace: namespaceOf(m.name), queue: m.gke.queue } : undefined;
      const sources = Object.fromEntries(
        Object.entries(regions).map(([region, r]): [string, SignalSource] => [region, gke ? { platform: "gke", ...gke } : { platform: "vertex", endpointId: endpointIdOf(r.endpoint) }]),
      );
      new ModelMonitoring(
        `${name}-model-${m.name}`,
        {
          project,
          environment,
          labels,
          model: m.name,
          slo,
          thresholds,
          serving: { maxReplicas: m.config.serving.maxReplicas, autoscaling },
          sources,
          templateIds,
          safetyMetric: safety ? { name: safety.metricName, resource: safety.metric } : undefined,
          metricProducers,
          channels,
        },
        moved,
      );
      models[m.name] = { slo, autoscaling: gke ? { metric: gke.queue.metric, target: gke.queue.target } : autoscaling, thresholds };
      return {
        name: m.name,
        slo,
        thresholds,
        serving: { minReplicas: m.config.serving.minReplicas, maxReplicas: m.config.serving.maxReplicas, autoscaling },
        regions: Object.fromEntries(Object.entries(regions).map(([region, r]) => [region, { endpointId: gke ? undefined : endpointIdOf(r.endpoint), versions: deployedIds(r.versions) }])),
        templateIds,
        gke,
      };
    });

    if (args.clusters.length) {
      new AcceleratorMonitoring(`${name}-accelerators`, { project, environment, labels, clusters: args.clusters, defaults: settings.defaults, channels }, moved);
    }

    const dashboard = new StackDashboard(
      `${name}-dashboard`,
      {
        project,
        environment,
        labels,
        models: dashboardModels,
        safetyMetric: safety?.metricName,
        pipelineMetric: pipelines.metricName,
        clusters: args.clusters.map((c) => ({ region: c.region, cluster: c.cluster, kinds: [...new Set(c.pools.map((p) => p.kind))].sort() })),
        acceleratorIdlePercent: settings.defaults.acceleratorIdlePercent,
      },
      moved,
    );
    this.outputs = { channels: channels.summary, dashboard: dashboard.dashboard.id, models };
    this.registerOutputs({ dashboard: this.outputs.dashboard });
  }
}
