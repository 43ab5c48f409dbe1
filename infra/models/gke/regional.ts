import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";
import { versionSlug } from "../config/names";
import { namespaceObject, podMonitoringObject, serverAccountObject } from "./routing";
import { type ServerArgs, autoscalerOf, configMapOf, deploymentOf, disruptionBudgetOf, serviceExportOf, serviceOf } from "./server";

export interface RegionalGkeServingArgs {
  readonly model: string;
  readonly namespace: string;
  /** The serving service account's email, which the servers' Kubernetes account maps to. */
  readonly servingEmail: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The cluster's Kubernetes API. */
  readonly provider: k8s.Provider;
  /** One entry per deployed version: everything its objects are built from. */
  readonly servers: readonly ServerArgs[];
  /** What servers wait for before they start: the Workload Identity grant, the Model Armor templates. */
  readonly serversAfter: readonly pulumi.Resource[];
  /** What autoscalers wait for: the metrics adapter's APIs. */
  readonly autoscalersAfter: readonly pulumi.Resource[];
  /**
   * What ServiceExports wait for: the multi-cluster Services feature and this cluster's fleet
   * membership, which together install the `net.gke.io` CRDs in the cluster.
   */
  readonly exportsAfter: readonly pulumi.Resource[];
}

// Pulling a multi-gigabyte image and loading weights can outlast the provider's 10-minute wait.
const SERVING_TIMEOUTS = { create: "45m", update: "45m" };

/**
 * A model in one region's cluster: its namespace, its servers' Kubernetes service account (bound
 * to the serving account through Workload Identity), metrics scraping, and per deployed version
 * a ConfigMap, a Deployment on the model's pool, a Service, a ServiceExport (so the fleet joins
 * the regions into one ServiceImport), a HorizontalPodAutoscaler and a PodDisruptionBudget.
 */
export class RegionalGkeServing extends pulumi.ComponentResource {
  public readonly namespace: k8s.core.v1.Namespace;
  /** The versions' ServiceExports, which the front door's route and policies follow. */
  public readonly exports: readonly pulumi.Resource[];
  /**
   * What produces the servers' Prometheus metrics: the Deployments and the PodMonitoring. The
   * metrics exist in Cloud Monitoring only once these run, so alerts on them wait for these.
   */
  public readonly metricProducers: readonly pulumi.Resource[];
  /**
   * The versions' Deployments. The Kubernetes provider awaits each until its replicas are ready,
   * so what depends on them (the front door's route and its weights) moves only to versions that
   * serve.
   */
  public readonly servers: readonly k8s.apps.v1.Deployment[];

  constructor(name: string, args: RegionalGkeServingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:RegionalGkeServing", name, {}, opts);
    const provider = args.provider;
    const under = (...after: pulumi.Resource[]) => ({ ...childOf(this, opts, ...after), provider });
    this.namespace = new k8s.core.v1.Namespace(`${name}-namespace`, namespaceObject(args.namespace, args.model, args.labels), under());
    const account = new k8s.core.v1.ServiceAccount(`${name}-account`, serverAccountObject(args.namespace, args.model, args.servingEmail, args.labels), under(this.namespace));
    const monitoring = new k8s.apiextensions.CustomResource(`${name}-monitoring`, podMonitoringObject(args.namespace, args.model, args.labels), under(this.namespace));

    const exports: pulumi.Resource[] = [];
    const producers: pulumi.Resource[] = [monitoring];
    const servers: k8s.apps.v1.Deployment[] = [];
    for (const server of args.servers) {
      const prefix = `${name}-${versionSlug(server.version)}`;
      const config = new k8s.core.v1.ConfigMap(`${prefix}-config`, configMapOf(server), under(this.namespace));
      const deployment = new k8s.apps.v1.Deployment(prefix, deploymentOf(server), { ...under(account, config, ...args.serversAfter), customTimeouts: SERVING_TIMEOUTS });
      // The provider waits for a Service to have ready endpoints: as long as for the servers.
      const service = new k8s.core.v1.Service(`${prefix}-service`, serviceOf(server), { ...under(this.namespace), customTimeouts: SERVING_TIMEOUTS });
      exports.push(new k8s.apiextensions.CustomResource(`${prefix}-export`, serviceExportOf(server), under(service, ...args.exportsAfter)));
      producers.push(deployment);
      servers.push(deployment);
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${prefix}-autoscaler`, autoscalerOf(server), under(deployment, monitoring, ...args.autoscalersAfter));
      new k8s.policy.v1.PodDisruptionBudget(`${prefix}-budget`, disruptionBudgetOf(server), under(this.namespace));
    }
    this.exports = exports;
    this.metricProducers = producers;
    this.servers = servers;
    this.registerOutputs({ namespace: args.namespace, versions: args.servers.map((s) => s.version) });
  }
}
