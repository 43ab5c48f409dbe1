import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { gpuUtilizationQuery, unschedulablePodsQuery } from "./accelerators";
import type { Dashboard } from "./dashboard-types";
import { GKE, PROMETHEUS_TARGET, VERTEX, VLLM, VLLM_ABORTED, logMetricType, metricFilter, prometheusMetricType } from "./metrics";
import type { ServingShape } from "./model-alerts";
import type { ModelThresholds, SloConfig } from "./config/schema";
import { type Block, chart, dashboardJson, markdown, mosaic, promqlSeries, ratioSeries, section, series, threshold } from "./widgets";

/** A served model as the dashboard shows it; every value plain (outputs already resolved). */
export interface DashboardModel {
  readonly name: string;
  readonly slo: SloConfig;
  readonly thresholds: ModelThresholds;
  readonly serving: ServingShape & { readonly minReplicas: number };
  /** Per region: the endpoint id (Vertex AI only) and what each version is deployed as. */
  readonly regions: Readonly<Record<string, { readonly endpointId?: string; readonly versions: Readonly<Record<string, { readonly deployedModelId: string }>> }>>;
  readonly templateIds: readonly string[];
  /** Set when the model is served on GKE: its namespace and the queue gauge its autoscaler tracks. */
  readonly gke?: { readonly namespace: string; readonly queue: { readonly metric: string; readonly target: number } };
}

export interface DashboardCluster {
  readonly region: string;
  readonly cluster: string;
  readonly kinds: readonly ("gpu" | "tpu")[];
}

export interface DashboardContent {
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly models: readonly DashboardModel[];
  /** The Model Armor log metric; absent when the stack serves no model. */
  readonly safetyMetric?: string;
  readonly pipelineMetric: string;
  readonly clusters: readonly DashboardCluster[];
  readonly acceleratorIdlePercent: number;
}

const PER_REGION_AND_VERSION = ["resource.label.location", "metric.label.deployed_model_id"];
const BY_VERSION = "${resource.labels.location} ${metric.labels.deployed_model_id}";

/** The version legend: ids only, never traffic shares (see modelBlocks). */
function versionLegend(m: DashboardModel, idHeader: string): string {
  const rows = Object.entries(m.regions).flatMap(([region, r]) => Object.entries(r.versions).map(([version, d]) => `| ${region} | ${version} | \`${d.deployedModelId}\` |`));
  return `| region | version | ${idHeader} |\n|---|---|---|\n${rows.join("\n")}`;
}

function safetyBlocks(m: DashboardModel, safetyMetric: string | undefined): Block[] {
  if (!safetyMetric) return [];
  const armor = (extra: Record<string, string> = {}) => metricFilter({ metric: logMetricType(safetyMetric), metricLabels: { template_id: [...m.templateIds], ...extra } });
  return [
    {
      widget: chart(
        `${m.name}: Model Armor flagged or blocked share (prompts and responses)`,
        [ratioSeries(armor({ match_state: "MATCH_FOUND" }), armor(), { alignmentPeriod: "600s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["metric.label.location", "metric.label.operation"] }, "${metric.labels.location} ${metric.labels.operation}")],
        { thresholds: [threshold("safety alert", m.thresholds.safetyBlockedPercent / 100)] },
      ),
    },
  ];
}

const BY_REGION = ["resource.label.location"];

/** A GKE-served model: vLLM's metrics in its namespace, per region (the cluster's location). */
function gkeModelBlocks(m: DashboardModel, gke: NonNullable<DashboardModel["gke"]>, safetyMetric: string | undefined): Block[] {
  const on = (metric: string, metricLabels?: Record<string, string>) => metricFilter({ metric, resource: PROMETHEUS_TARGET, resourceLabels: { namespace: gke.namespace, location: Object.keys(m.regions) }, metricLabels });
  const budget = m.slo.latencyP99Ms / 1000;
  const summary =
    `**SLO** ${m.slo.availability}% of requests complete; 99% within **${m.slo.latencyP99Ms} ms** (30 days).  \n` +
    `**Autoscaling** \`${gke.queue.metric}\` at ${gke.queue.target} per replica, ${m.serving.minReplicas}-${m.serving.maxReplicas} replicas; saturated when the queue stays above it.\n\n` +
    versionLegend(m, "server (Deployment, ServiceImport)");
  return [
    { widget: section(m.name, `vLLM on GKE, namespace ${gke.namespace}, in ${Object.keys(m.regions).join(", ")}`), width: 48, height: 4 },
    { widget: markdown(`${m.name}: objective and deployed versions`, summary), width: 16 },
    {
      widget: chart(`${m.name}: requests/s per region and finish reason`, [series(on(VLLM.finished), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: [...BY_REGION, "metric.label.finished_reason"] }, { plotType: "STACKED_AREA", legend: "${resource.labels.location} ${metric.labels.finished_reason}" })], { yLabel: "requests/s" }),
      width: 32,
    },
    {
      widget: chart(
        `${m.name}: p99 latency against the ${m.slo.latencyP99Ms} ms budget`,
        [series(on(VLLM.e2eLatency), { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99", groupByFields: BY_REGION }, { legend: "${resource.labels.location}", unit: "s" })],
        { thresholds: [threshold("latency budget (slo.latencyP99Ms)", budget)], yLabel: "s" },
      ),
    },
    {
      widget: chart(
        `${m.name}: error rate (aborted requests)`,
        [ratioSeries(on(VLLM.finished, { finished_reason: VLLM_ABORTED }), on(VLLM.finished), { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: BY_REGION }, "${resource.labels.location}")],
        { thresholds: [threshold("error-rate alert", m.thresholds.errorRatePercent / 100)] },
      ),
    },
    {
      widget: chart(
        `${m.name}: ${gke.queue.metric} per replica (the autoscaling signal)`,
        [series(on(prometheusMetricType(gke.queue.metric, "gauge")), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: BY_REGION }, { legend: "${resource.labels.location}" })],
        { thresholds: [threshold("autoscaling target and saturation alert", gke.queue.target, "YELLOW")], yLabel: "requests" },
      ),
    },
    ...safetyBlocks(m, safetyMetric),
  ];
}

function modelBlocks(m: DashboardModel, safetyMetric: string | undefined): Block[] {
  if (m.gke) return gkeModelBlocks(m, m.gke, safetyMetric);
  const ids = Object.values(m.regions).map((r) => r.endpointId ?? "");
  const on = (metric: string, metricLabels?: Record<string, string>) => metricFilter({ metric, resource: VERTEX.resource, resourceLabels: { endpoint_id: ids }, metricLabels });
  const duty = m.serving.autoscaling.metric === "accelerator-duty-cycle";
  // Ids, not traffic shares: a rollout stage change must change only the deployment's split
  // (infra/models/README.md), and the predictions chart shows the real shares anyway.
  const summary =
    `**SLO** ${m.slo.availability}% of predictions succeed; 99% within **${m.slo.latencyP99Ms} ms** (30 days).  \n` +
    `**Autoscaling** ${duty ? "accelerator duty cycle" : "CPU utilisation"} at ${m.serving.autoscaling.target}%, ${m.serving.minReplicas}-${m.serving.maxReplicas} replicas; saturated above ${m.thresholds.replicaSaturationPercent}% at the maximum.\n\n` +
    versionLegend(m, "deployed model id");
  const blocks: Block[] = [
    { widget: section(m.name, `Vertex AI endpoints in ${Object.keys(m.regions).join(", ")}`), width: 48, height: 4 },
    { widget: markdown(`${m.name}: objective and deployed versions`, summary), width: 16 },
    {
      widget: chart(`${m.name}: predictions/s per deployed version`, [series(on(VERTEX.predictions), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_RATE", crossSeriesReducer: "REDUCE_SUM", groupByFields: PER_REGION_AND_VERSION }, { plotType: "STACKED_AREA", legend: BY_VERSION })], { yLabel: "predictions/s" }),
      width: 32,
    },
    {
      widget: chart(
        `${m.name}: p99 latency against the ${m.slo.latencyP99Ms} ms budget`,
        [series(on(VERTEX.latencies, { latency_type: "total" }), { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_PERCENTILE_99", groupByFields: PER_REGION_AND_VERSION }, { legend: BY_VERSION, unit: "ms" })],
        { thresholds: [threshold("latency budget (slo.latencyP99Ms)", m.slo.latencyP99Ms)], yLabel: "ms" },
      ),
    },
    {
      widget: chart(
        `${m.name}: error rate`,
        [ratioSeries(on(VERTEX.errors), on(VERTEX.predictions), { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["resource.label.location"] }, "${resource.labels.location}")],
        { thresholds: [threshold("error-rate alert", m.thresholds.errorRatePercent / 100)] },
      ),
    },
    {
      widget: chart(
        `${m.name}: replicas (actual and autoscaler target)`,
        [
          series(on(VERTEX.replicas), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_SUM", groupByFields: PER_REGION_AND_VERSION }, { legend: `replicas ${BY_VERSION}` }),
          series(on(VERTEX.targetReplicas), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_SUM", groupByFields: PER_REGION_AND_VERSION }, { legend: `target ${BY_VERSION}` }),
        ],
        { thresholds: [threshold("maxReplicas", m.serving.maxReplicas, "YELLOW")], yLabel: "replicas" },
      ),
    },
    {
      widget: chart(
        `${m.name}: ${duty ? "accelerator duty cycle" : "CPU utilisation"} (the autoscaling signal)`,
        [series(on(duty ? VERTEX.dutyCycle : VERTEX.cpu), { alignmentPeriod: "60s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: PER_REGION_AND_VERSION }, { legend: BY_VERSION, unit: "10^2.%" })],
        { thresholds: [threshold("autoscaling target", m.serving.autoscaling.target / 100, "YELLOW"), threshold("saturation alert (at maxReplicas)", m.thresholds.replicaSaturationPercent / 100)] },
      ),
    },
  ];
  blocks.push(...safetyBlocks(m, safetyMetric));
  return blocks;
}

function platformBlocks(c: DashboardContent): Block[] {
  const blocks: Block[] = [
    { widget: section("Pipelines and accelerators"), width: 48, height: 4 },
    {
      widget: chart(
        "Vertex AI pipeline runs by final state",
        [series(metricFilter({ metric: logMetricType(c.pipelineMetric) }), { alignmentPeriod: "3600s", perSeriesAligner: "ALIGN_DELTA", crossSeriesReducer: "REDUCE_SUM", groupByFields: ["metric.label.state", "metric.label.pipeline"] }, { plotType: "STACKED_BAR", legend: "${metric.labels.pipeline} ${metric.labels.state}" })],
        { yLabel: "runs/h" },
      ),
    },
  ];
  const gpuClusters = c.clusters.filter((k) => k.kinds.includes("gpu"));
  const tpuClusters = c.clusters.filter((k) => k.kinds.includes("tpu"));
  if (gpuClusters.length) {
    // The alert's own query without its comparison: the chart shows the value the alert judges.
    const queries = gpuClusters.map((k) => promqlSeries(gpuUtilizationQuery(k.cluster), "{{cluster}} {{modelName}}"));
    blocks.push({ widget: chart("GPU utilisation (DCGM), 1 h mean", queries, { thresholds: [threshold("idle alert", c.acceleratorIdlePercent, "YELLOW", "BELOW")], yLabel: "%" }) });
  }
  if (tpuClusters.length) {
    const filter = metricFilter({ metric: GKE.tpuUtilization, resource: "k8s_node", resourceLabels: { cluster_name: tpuClusters.map((k) => k.cluster) } });
    blocks.push({
      widget: chart("TPU TensorCore utilisation", [series(filter, { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: ["resource.label.cluster_name"] }, { legend: "${resource.labels.cluster_name}" })], {
        thresholds: [threshold("idle alert", c.acceleratorIdlePercent, "YELLOW", "BELOW")],
        yLabel: "%",
      }),
    });
  }
  if (c.clusters.length) {
    const queries = c.clusters.map((k) => promqlSeries(unschedulablePodsQuery(k.cluster), "{{cluster}} {{namespace}}"));
    blocks.push({ widget: chart("Unschedulable pods (waiting for capacity)", queries, { yLabel: "pods" }) });
  }
  return blocks;
}

/** The stack's dashboard: a section per served model, then pipelines and accelerator pools. */
export function stackDashboard(c: DashboardContent): Dashboard {
  const blocks = [...c.models.flatMap((m) => modelBlocks(m, c.safetyMetric)), ...platformBlocks(c)];
  return { displayName: `LLMOps ${c.environment}`, mosaicLayout: { columns: 48, tiles: mosaic(blocks) }, labels: { ...c.labels } };
}

type RegionView = DashboardModel["regions"][string];

/** As `DashboardContent`, with the values only known once resources exist still as inputs. */
export interface StackDashboardArgs extends Omit<DashboardContent, "models" | "clusters"> {
  readonly project: string;
  readonly models: readonly (Omit<DashboardModel, "regions"> & { readonly regions: Readonly<Record<string, Omit<RegionView, "endpointId"> & { readonly endpointId?: pulumi.Input<string> }>> })[];
  readonly clusters: readonly (Omit<DashboardCluster, "cluster"> & { readonly cluster: pulumi.Input<string> })[];
}

/** The stack dashboard as a `gcp.monitoring.Dashboard`, built once every endpoint id is known. */
export class StackDashboard extends pulumi.ComponentResource {
  public readonly dashboard: gcp.monitoring.Dashboard;

  constructor(name: string, args: StackDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:Dashboard", name, {}, opts);
    const models = pulumi.all(
      args.models.map((m) =>
        pulumi
          .all(Object.entries(m.regions).map(([region, r]) => pulumi.output(r.endpointId).apply((endpointId) => [region, { ...(endpointId === undefined ? {} : { endpointId }), versions: r.versions }] as const)))
          .apply((regions): DashboardModel => ({ ...m, regions: Object.fromEntries(regions) })),
      ),
    );
    const clusters = pulumi.all(args.clusters.map((k) => pulumi.output(k.cluster).apply((cluster): DashboardCluster => ({ ...k, cluster }))));
    const json = pulumi.all([models, clusters]).apply(([resolvedModels, resolvedClusters]) => dashboardJson(stackDashboard({ ...args, models: resolvedModels, clusters: resolvedClusters })));
    this.dashboard = new gcp.monitoring.Dashboard(`${name}-overview`, { project: args.project, dashboardJson: json }, childOf(this, opts));
    this.registerOutputs({ dashboard: this.dashboard.id });
  }
}
