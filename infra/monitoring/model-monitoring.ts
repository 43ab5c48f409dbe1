import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { AlertScope } from "./alert";
import type { NotificationChannels } from "./channels";
import { type ServingShape, errorRateAlert, latencyAlert, saturationAlert } from "./model-alerts";
import type { ModelThresholds, SloConfig } from "./config/schema";
import type { ServedRegion, SignalSource } from "./served-region";
import { createModelSlos } from "./slo";
import { safetyAlert } from "./safety";

export interface ModelMonitoringArgs {
  readonly project: string;
  readonly environment: string;
  /** The stack's labels; `model` and `region` are added per region. */
  readonly labels: Readonly<Record<string, string>>;
  readonly model: string;
  readonly slo: SloConfig;
  readonly thresholds: ModelThresholds;
  readonly serving: ServingShape;
  /** Per serving region, where its request signals come from: the Vertex AI endpoint or the GKE namespace. */
  readonly sources: Readonly<Record<string, SignalSource>>;
  /** The model's Model Armor template ids, one per version (`templateId` in infra/models/safety.ts). */
  readonly templateIds: readonly string[];
  /** The stack's Model Armor log metric; the safety alerts wait for it (404 "Cannot find metric(s)" otherwise). */
  readonly safetyMetric?: { readonly name: string; readonly resource: pulumi.Resource };
  /** Per region, what produces the workload metrics the alerts read (GKE servers); they wait for these. */
  readonly metricProducers?: Readonly<Record<string, readonly pulumi.Resource[]>>;
  readonly channels: NotificationChannels;
}

/** What one region got, for tests and the stack outputs. */
export interface RegionMonitoring {
  readonly alertPolicies: readonly pulumi.Output<string>[];
  readonly slos: readonly pulumi.Output<string>[];
}

/**
 * Everything that watches one served model (a Vertex AI endpoint or vLLM servers on GKE), per
 * serving region: alerts on p99 latency against the SLO's budget, error rate, saturation
 * (replicas and autoscaling signal on Vertex AI, queue depth on GKE) and Model Armor's blocked
 * share; a Cloud Monitoring service with availability and latency SLOs, each with fast and slow
 * burn-rate alerts. The platform only decides which metrics are read (`signalsOf`). No uptime check: Cloud Monitoring probes send OIDC identity tokens, which
 * Vertex AI prediction does not accept, so a probe could only ever fail.
 */
export class ModelMonitoring extends pulumi.ComponentResource {
  public readonly regions: Readonly<Record<string, RegionMonitoring>>;

  constructor(name: string, args: ModelMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:ModelMonitoring", name, {}, opts);
    const regions: Record<string, RegionMonitoring> = {};
    for (const [region, source] of Object.entries(args.sources)) {
      const scope: AlertScope = { project: args.project, channels: args.channels, opts: childOf(this, opts, ...(args.metricProducers?.[region] ?? [])) };
      const served: ServedRegion = {
        model: args.model,
        region,
        environment: args.environment,
        source,
        prefix: `${name}-${region}`,
        labels: { ...args.labels, model: args.model, region },
      };
      const alerts = [
        latencyAlert(scope, served, args.slo),
        errorRateAlert(scope, served, args.thresholds),
        saturationAlert(scope, served, args.thresholds, args.serving),
        ...(args.safetyMetric
          ? [safetyAlert({ ...scope, opts: childOf(this, opts, args.safetyMetric.resource) }, served, { metricName: args.safetyMetric.name, templateIds: args.templateIds, thresholds: args.thresholds })]
          : []),
      ];
      const slos = createModelSlos(scope, served, args.slo);
      regions[region] = {
        alertPolicies: [...alerts, ...slos.burnAlerts].map((a) => a.name),
        slos: Object.values(slos.slos).map((s) => s.name),
      };
    }
    this.regions = regions;
    this.registerOutputs({ regions });
  }
}
