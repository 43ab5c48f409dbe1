import type * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../settings";
import type { ModelConfig } from "../models/config/schema";
import { templateId } from "../models/safety";
import { DEFAULT_QUEUE } from "../models/gke/gke-model";
import { namespaceOf } from "../models/gke/names";
import { type AcceleratorCluster, AcceleratorMonitoring } from "./accelerators";
import { type ChannelsSummary, NotificationChannels } from "./channels";
import { StackDashboard } from "./dashboard";
import { ModelMonitoring } from "./model-monitoring";
import { PipelineMonitoring } from "./pipelines";
import { SafetyMetrics } from "./safety";
import { type SignalSource, endpointIdOf } from "./served-region";
import { type ModelThresholds, type SloConfig, autoscalingOf, sloOf, thresholdsOf } from "./config/schema";

/** A served model as monitoring reads it: its config and what its serving component exported. */
export interface MonitoredModel {
  readonly name: string;
  readonly config: ModelConfig;
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

/**
 * Monitoring for the whole stack: the notification channels, per served model its alerts and
 * SLOs, the Model Armor and pipeline-run log metrics and alerts, accelerator-pool alerts, and
 * one dashboard. `dependsOn` should hold the enablement of monitoring.googleapis.com and
 * logging.googleapis.com.
 */
export function createMonitoring(
  settings: StackSettings,
  inputs: { readonly models: readonly MonitoredModel[]; readonly clusters: readonly AcceleratorCluster[] },
  opts: { readonly dependsOn: pulumi.Resource[] },
): MonitoringOutputs {
  const { project, environment, labels } = settings;
  const monitoring = settings.raw.monitoring;
  const channels = new NotificationChannels("monitoring-channels", { project, environment, channels: monitoring.channels, labels }, opts);
  const safety = inputs.models.length ? new SafetyMetrics("monitoring-safety", { project, environment }, opts) : undefined;
  const pipelines = new PipelineMonitoring("monitoring-pipelines", { project, environment, labels, channels }, opts);

  const models: MonitoringOutputs["models"] = {};
  const dashboardModels = inputs.models.map((m) => {
    const slo = sloOf(m.config);
    const thresholds = thresholdsOf(m.config, monitoring.defaults);
    const autoscaling = autoscalingOf(m.config.serving);
    const templateIds = Object.keys(m.config.versions).map((version) => templateId(m.name, version));
    // GKE: vLLM's metrics in the model's namespace, and the queue gauge its autoscaler tracks.
    const gke = m.config.serving.platform === "gke" ? { namespace: namespaceOf(m.name), queue: m.config.serving.queue ?? DEFAULT_QUEUE } : undefined;
    const sources = Object.fromEntries(
      Object.entries(m.regions).map(([region, r]): [string, SignalSource] => [region, gke ? { platform: "gke", ...gke } : { platform: "vertex", endpointId: endpointIdOf(r.endpoint) }]),
    );
    new ModelMonitoring(
      `monitoring-model-${m.name}`,
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
        metricProducers: m.metricProducers,
        channels,
      },
      opts,
    );
    models[m.name] = { slo, autoscaling: gke ? { metric: gke.queue.metric, target: gke.queue.target } : autoscaling, thresholds };
    return {
      name: m.name,
      slo,
      thresholds,
      serving: { minReplicas: m.config.serving.minReplicas, maxReplicas: m.config.serving.maxReplicas, autoscaling },
      regions: Object.fromEntries(Object.entries(m.regions).map(([region, r]) => [region, { endpointId: gke ? undefined : endpointIdOf(r.endpoint), versions: deployedIds(r.versions) }])),
      templateIds,
      gke,
    };
  });

  if (inputs.clusters.length) {
    new AcceleratorMonitoring("monitoring-accelerators", { project, environment, labels, clusters: inputs.clusters, defaults: monitoring.defaults, channels }, opts);
  }

  const dashboard = new StackDashboard(
    "monitoring-dashboard",
    {
      project,
      environment,
      labels,
      models: dashboardModels,
      safetyMetric: safety?.metricName,
      pipelineMetric: pipelines.metricName,
      clusters: inputs.clusters.map((c) => ({ region: c.region, cluster: c.cluster, kinds: [...new Set(c.pools.map((p) => p.kind))].sort() })),
      acceleratorIdlePercent: monitoring.defaults.acceleratorIdlePercent,
    },
    opts,
  );
  return { channels: channels.summary, dashboard: dashboard.dashboard.id, models };
}
