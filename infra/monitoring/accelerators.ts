import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { type AlertScope, createAlert } from "./alert";
import type { NotificationChannels } from "./channels";
import { GKE, metricFilter } from "./metrics";
import type { MonitoringDefaults } from "./config/schema";

/** An accelerator pool as monitoring needs it: decoupled from how infra/gke builds it. */
export interface AcceleratorPoolRef {
  readonly name: string;
  readonly kind: "gpu" | "tpu";
  /** For people: `nvidia-l4`, `tpu-v5e 2x4`. */
  readonly accelerator: string;
}

/** One GKE cluster with accelerator pools. */
export interface AcceleratorCluster {
  readonly region: string;
  /** The GKE cluster name: Managed Prometheus' `cluster` label and system metrics' `cluster_name`. */
  readonly cluster: pulumi.Input<string>;
  readonly pools: readonly AcceleratorPoolRef[];
}

export interface AcceleratorMonitoringArgs {
  readonly project: string;
  readonly environment: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly clusters: readonly AcceleratorCluster[];
  readonly defaults: Pick<MonitoringDefaults, "acceleratorIdlePercent" | "pendingPodsMinutes">;
  readonly channels: NotificationChannels;
}

/** Idle for half a day: longer than a quiet night (no alert every morning), short enough to act on the same day. */
export const IDLE_HOURS = 12;

/** PromQL: GPU utilisation per GPU model in the cluster, 1-hour mean, from GKE's managed DCGM exporter. */
export function gpuUtilizationQuery(cluster: string): string {
  // DCGM reports every GPU on every node, allocated or not, so idle nodes count as idle.
  return `avg by (cluster, location, modelName) (avg_over_time(${GKE.gpuUtilization}{cluster="${cluster}"}[1h]))`;
}

export function gpuIdleQuery(cluster: string, idlePercent: number): string {
  return `${gpuUtilizationQuery(cluster)} < ${idlePercent}`;
}

/** PromQL: pods the scheduler cannot place, per namespace (kube-state-metrics). */
export function unschedulablePodsQuery(cluster: string): string {
  return `sum by (cluster, location, namespace) (${GKE.unschedulablePods}{cluster="${cluster}"})`;
}

export function pendingPodsQuery(cluster: string): string {
  return `${unschedulablePodsQuery(cluster)} > 0`;
}

/**
 * Alerts per GKE cluster with accelerator pools: GPU and TPU utilisation staying low (capacity
 * paid for and unused), and pods left unschedulable (no capacity: quota, stock-out, or a pool
 * at its maximum). The GPU query groups by GPU model, so each GPU type of the cluster is judged
 * on its own; pools of one type in one cluster share a signal.
 */
export class AcceleratorMonitoring extends pulumi.ComponentResource {
  public readonly alerts: readonly gcp.monitoring.AlertPolicy[];

  constructor(name: string, args: AcceleratorMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:AcceleratorMonitoring", name, {}, opts);
    const scope: AlertScope = { project: args.project, channels: args.channels, opts: childOf(this, opts) };
    const alerts: gcp.monitoring.AlertPolicy[] = [];
    const { acceleratorIdlePercent: idle, pendingPodsMinutes } = args.defaults;
    for (const c of args.clusters) {
      const labels = { ...args.labels, region: c.region };
      const title = (what: string) => `[${args.environment}] GKE ${c.region}: ${what}`;
      const gpuPools = c.pools.filter((p) => p.kind === "gpu");
      const tpuPools = c.pools.filter((p) => p.kind === "tpu");
      const poolList = (pools: readonly AcceleratorPoolRef[]) => pools.map((p) => `${p.name} (${p.accelerator})`).join(", ");
      const cluster = pulumi.output(c.cluster);

      if (gpuPools.length > 0) {
        alerts.push(
          createAlert(scope, {
            name: `${name}-${c.region}-gpu-idle`,
            title: title(`GPUs below ${idle}% utilisation for ${IDLE_HOURS} h`),
            severity: "WARNING",
            signal: "accelerator-idle",
            labels,
            conditions: [
              {
                displayName: `mean GPU utilisation < ${idle}% for ${IDLE_HOURS} h`,
                conditionPrometheusQueryLanguage: { query: cluster.apply((n) => gpuIdleQuery(n, idle)), duration: `${IDLE_HOURS * 3600}s`, evaluationInterval: "300s", ruleGroup: "llmops-accelerators", alertRule: "GpuIdle" },
              },
            ],
            runbook: idleRunbook(c.region, poolList(gpuPools), "GPU", idle),
          }),
        );
      }
      if (tpuPools.length > 0) {
        alerts.push(
          createAlert(scope, {
            name: `${name}-${c.region}-tpu-idle`,
            title: title(`TPUs below ${idle}% TensorCore utilisation for ${IDLE_HOURS} h`),
            severity: "WARNING",
            signal: "accelerator-idle",
            labels,
            conditions: [
              {
                displayName: `mean TensorCore utilisation < ${idle}% for ${IDLE_HOURS} h`,
                conditionThreshold: {
                  filter: cluster.apply((n) => metricFilter({ metric: GKE.tpuUtilization, resource: "k8s_node", resourceLabels: { cluster_name: n, location: c.region } })),
                  aggregations: [{ alignmentPeriod: "3600s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: ["resource.label.cluster_name"] }],
                  comparison: "COMPARISON_LT",
                  thresholdValue: idle,
                  duration: `${IDLE_HOURS * 3600}s`,
                  trigger: { count: 1 },
                },
              },
            ],
            runbook: idleRunbook(c.region, poolList(tpuPools), "TPU", idle),
          }),
        );
      }
      alerts.push(
        createAlert(scope, {
          name: `${name}-${c.region}-pending-pods`,
          title: title(`pods waiting for accelerators over ${pendingPodsMinutes} min`),
          severity: "ERROR",
          signal: "accelerator-capacity",
          labels,
          conditions: [
            {
              displayName: `unschedulable pods for ${pendingPodsMinutes} min`,
              conditionPrometheusQueryLanguage: { query: cluster.apply(pendingPodsQuery), duration: `${pendingPodsMinutes * 60}s`, evaluationInterval: "60s", ruleGroup: "llmops-accelerators", alertRule: "PodsUnschedulable" },
            },
          ],
          runbook: {
            meaning: `Pods in the GKE cluster of ${args.environment} in **${c.region}** have waited over ${pendingPodsMinutes} minutes for a node. Accelerator pools: ${poolList(c.pools)}. Work that should run is not running.`,
            steps: [
              "Read the cluster autoscaler's decisions: Logs Explorer, `logName=\"projects/" + args.project + "/logs/container.googleapis.com%2Fcluster-autoscaler-visibility\"`; `noScaleUp` names the reason (pool at max, quota, zone stock-out).",
              "Pool at its maximum: raise `autoscaling.max` of the pool (and `maxAccelerators` if the cap binds).",
              "Quota or stock-out: add a capacity option (`spot`, `flex-start`) to the pool, or a zone; request quota for the accelerator in the region.",
            ],
            links: [{ displayName: "Cluster autoscaler visibility events", url: "https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-autoscaler-visibility" }],
          },
        }),
      );
    }
    this.alerts = alerts;
    this.registerOutputs({ alerts: alerts.map((a) => a.name) });
  }
}

function idleRunbook(region: string, pools: string, kind: "GPU" | "TPU", idle: number) {
  return {
    meaning: `${kind}s in the GKE cluster in **${region}** averaged under ${idle}% utilisation for ${IDLE_HOURS} hours: capacity paid for and unused. Pools: ${pools}.`,
    steps: [
      "Lower the pool's `autoscaling.min` (0 lets it scale to zero) if the baseline is larger than the traffic needs.",
      "If nodes stay up without pods, check for a pod pinning them (a DaemonSet-like workload, a stuck Job).",
      "If a reservation holds the capacity, the cost is sunk: move batch work onto it rather than scaling it down.",
    ],
    links: [{ displayName: "GPU metrics (DCGM) on GKE", url: "https://cloud.google.com/kubernetes-engine/docs/how-to/dcgm-metrics" }],
  };
}
