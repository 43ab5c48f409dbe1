/** Alerts, SLOs, log-based metrics and a dashboard for every served model, pipeline and accelerator pool. */
export type { MonitoringSettings, SloConfig, ModelThresholds, Severity } from "./config";
export { NotificationChannels, type NotificationChannelsArgs, type ChannelsSummary } from "./channels";
export { ModelMonitoring, type ModelMonitoringArgs } from "./model-monitoring";
export { SafetyMetrics, type SafetyMetricsArgs, SANITIZE_LOG } from "./safety";
export { PipelineMonitoring, type PipelineMonitoringArgs, PIPELINE_LOG } from "./pipelines";
export { AcceleratorMonitoring, type AcceleratorMonitoringArgs, type AcceleratorCluster, type AcceleratorPoolRef } from "./accelerators";
export { StackDashboard, type StackDashboardArgs, stackDashboard, type DashboardContent } from "./dashboard";
export { BURN_RATE_WINDOWS, SLO_WINDOW_DAYS, LATENCY_SLO_GOAL } from "./slo";
export { DOCUMENTED_METRICS, METRICS_CHECKED, metricTypesIn } from "./metrics";
export { Monitoring, type MonitoringArgs, acceleratorClustersOf, type MonitoredModel, type MonitoringOutputs } from "./monitoring";
export { monitoringSummary } from "./summary";
