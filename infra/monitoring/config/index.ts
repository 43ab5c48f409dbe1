/** Monitoring's configuration, Pulumi-free: channels, thresholds, objectives. */
export {
  monitoringSchema,
  sloSchema,
  modelAlertsSchema,
  checkMonitoring,
  type MonitoringSlice,
  sloOf,
  thresholdsOf,
  autoscalingOf,
  DEFAULT_SLO,
  SEVERITIES,
  type Severity,
  type MonitoringConfig,
  type ChannelsConfig,
  type MonitoringDefaults,
  type SloConfig,
  type ModelThresholds,
} from "./schema";
export { type ModelWatch, type MonitoringSettings, resolveMonitoring } from "./settings";
export { sanitizeMetricName, sanitizeMetricType } from "./names";
