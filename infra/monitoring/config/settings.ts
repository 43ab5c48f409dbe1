import type { ChannelsConfig, ModelThresholds, MonitoringConfig, MonitoringDefaults, SloConfig } from "./schema";
import { autoscalingOf, sloOf, thresholdsOf } from "./schema";

/** What a served model is watched against: its objective, thresholds and autoscaling signal. */
export interface ModelWatch {
  readonly slo: SloConfig;
  readonly thresholds: ModelThresholds;
  /** Vertex AI's scaling signal (GKE models scale on their queue, resolved with the model). */
  readonly autoscaling: { readonly metric: "accelerator-duty-cycle" | "cpu-utilization"; readonly target: number };
}

/** `llmops:monitoring` resolved, with each model's objective and thresholds decided once. */
export interface MonitoringSettings {
  readonly channels: ChannelsConfig;
  readonly defaults: MonitoringDefaults;
  readonly models: Readonly<Record<string, ModelWatch>>;
}

export function resolveMonitoring(
  monitoring: MonitoringConfig,
  models: Readonly<Record<string, { readonly slo?: SloConfig; readonly alerts?: Partial<ModelThresholds>; readonly serving: Parameters<typeof autoscalingOf>[0] }>>,
): MonitoringSettings {
  return {
    channels: monitoring.channels,
    defaults: monitoring.defaults,
    models: Object.fromEntries(Object.entries(models).map(([name, m]) => [name, { slo: sloOf(m), thresholds: thresholdsOf(m, monitoring.defaults), autoscaling: autoscalingOf(m.serving) }])),
  };
}
