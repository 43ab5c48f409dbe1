import type * as pulumi from "@pulumi/pulumi";
import type { StackSettings } from "../config";
import type { ModelConfig } from "../models/schema";
import { templateId } from "../models/safety";
import { type AcceleratorCluster, AcceleratorMonitoring } from "./accelerators";
import { type ChannelsSummary, NotificationChannels } from "./channels";
import { StackDashboard } from "./dashboard";
import { ModelMonitoring } from "./model-monitoring";
import { PipelineMonitoring } from "./pipelines";
import { SafetyMetrics } from "./safety";
import { endpointIdOf } from "./served-region";
import { type ModelThresholds, type SloConfig, autoscalingOf, sloOf, thresholdsOf } from "./schema";

/** A served model as monitoring reads it: its config and what its serving component exported. */
export interface MonitoredModel {
  readonly name: string;
  readonly config: ModelConfig;
  /** Per region (`VertexModel.regions`): the endpoint resource name and each version's deployed model. */
  readonly regions: Readonly<Record<string, { readonly endpoint: pulumi.Input<string>; readonly versions: Readonly<Record<string, { readonly deployedModelId: string }>> }>>;
}

/** What the stack exports about monitoring, and what `llmops plan` summarises. */
export interface MonitoringOutputs {
  readonly channels: ChannelsSummary;
  readonly dashboard: pulumi.Output<string>;
  /** Per model: the objective beside the autoscaling target, and the thresholds in force. */
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
  const safetyMetric = safety?.metricName ?? "";
  const pipelines = new PipelineMonitoring("monitoring-pipelines", { project, environment, labels, channels }, opts);

  const models: MonitoringOutputs["models"] = {};
  const dashboardModels = inputs.models.map((m) => {
    const slo = sloOf(m.config);
    const thresholds = thresholdsOf(m.config, monitoring.defaults);
    const autoscaling = autoscalingOf(m.config.serving);
    const templateIds = Object.keys(m.config.versions).map((version) => templateId(m.name, version));
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
        endpoints: Object.fromEntries(Object.entries(m.regions).map(([region, r]) => [region, r.endpoint])),
        templateIds,
        safetyMetric,
        channels,
      },
      opts,
    );
    models[m.name] = { slo, autoscaling, thresholds };
    return {
      name: m.name,
      slo,
      thresholds,
      serving: { minReplicas: m.config.serving.minReplicas, maxReplicas: m.config.serving.maxReplicas, autoscaling },
      regions: Object.fromEntries(Object.entries(m.regions).map(([region, r]) => [region, { endpointId: endpointIdOf(r.endpoint), versions: deployedIds(r.versions) }])),
      templateIds,
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
