import { createHash } from "node:crypto";
import { sortKeys } from "../../../lib/json";
import type * as k8s from "@pulumi/kubernetes";
import type { ResolvedPool } from "../../gke/config";
import type { VersionConfig } from "../config/schema";
import { type MachineShape, serverRequests } from "../config/machines";
import type { Manifest } from "./routing";
import { CONFIG_DIR, MODEL_DIR, PORT_NAME, SERVER_ACCOUNT, selectorLabels, serverLabels, serverName } from "../config/names";

/**
 * The Kubernetes objects of one model version in one cluster, as plain values: a Deployment of
 * the version's pinned server on its pool, its Service, configuration, autoscaler and disruption
 * budget. Pure, so tests validate them with kubernetes-models without rendering a stack.
 */

export interface ServerArgs {
  readonly model: string;
  readonly version: string;
  readonly config: VersionConfig;
  readonly namespace: string;
  /** The full image reference, pinned by digest. */
  readonly image: string;
  /** The version's weights: bucket and the folder inside it. */
  readonly weights: { readonly bucket: string; readonly dir: string };
  /** The pool the server runs on, and the shape of its machine. */
  readonly pool: ResolvedPool;
  readonly machine: MachineShape;
  /** Accelerators per replica. */
  readonly count: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** The server's gauge of waiting requests and the value per replica the autoscaler keeps. */
  readonly queue: { readonly metric: string; readonly target: number };
  /** The version's Model Armor template in this region. */
  readonly armorTemplate: string;
  /** The stack's labels. */
  readonly labels: Readonly<Record<string, string>>;
}

const meta = (a: ServerArgs) => ({ name: serverName(a.model, a.version), namespace: a.namespace, labels: serverLabels(a.labels, a.model, a.version) });

/** The version's prompt template and safety settings, and the Model Armor template to screen with. */
export function configData(a: ServerArgs): Record<string, string> {
  return {
    "prompt-template": a.config.promptTemplate,
    "safety.json": `${JSON.stringify(sortKeys(a.config.safety), null, 2)}\n`,
    "model-armor-template": a.armorTemplate,
  };
}

export function configMapOf(a: ServerArgs): k8s.types.input.core.v1.ConfigMap {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: meta(a), data: configData(a) };
}

/** `bucket` + `only-dir`: the server sees the version's folder alone, read-only. */
export function weightsOf(gsUri: string): { bucket: string; dir: string } {
  const path = gsUri.replace(/^gs:\/\//, "");
  const slash = path.indexOf("/");
  return { bucket: path.slice(0, slash), dir: path.slice(slash + 1).replace(/\/+$/, "") };
}

/**
 * Released weights never change, so Cloud Storage FUSE may cache metadata forever and list the
 * folder once at mount (the server then opens every shard without a round trip per file). No
 * file cache: it would need node-local disk as large as the weights, and the server reads each
 * shard once into accelerator memory anyway.
 */
function mountOptions(dir: string): string {
  return [`only-dir=${dir}`, "implicit-dirs", "metadata-cache:ttl-secs:-1", "metadata-cache:stat-cache-max-size-mb:-1", "metadata-cache:type-cache-max-size-mb:-1"].join(",");
}

/** The same environment Vertex AI gives a custom container, so one image serves on both platforms. */
function environment(a: ServerArgs): k8s.types.input.core.v1.EnvVar[] {
  const v = a.config;
  const fromConfig = (key: string) => ({ valueFrom: { configMapKeyRef: { name: serverName(a.model, a.version), key } } });
  return [
    ...Object.keys(v.env).sort().map((name) => ({ name, value: v.env[name] })),
    { name: "AIP_HTTP_PORT", value: String(v.port) },
    { name: "AIP_HEALTH_ROUTE", value: v.healthRoute },
    { name: "AIP_PREDICT_ROUTE", value: v.predictRoute },
    { name: "AIP_STORAGE_URI", value: `gs://${a.weights.bucket}/${a.weights.dir}` },
    { name: "LLMOPS_PROMPT_TEMPLATE", ...fromConfig("prompt-template") },
    { name: "LLMOPS_SAFETY_FILE", value: `${CONFIG_DIR}/safety.json` },
    { name: "MODEL_ARMOR_TEMPLATE", ...fromConfig("model-armor-template") },
  ];
}

/**
 * Probes sized for large weights: a server may spend many minutes pulling its image and loading
 * weights from Cloud Storage before its health route answers, so the startup probe allows 30
 * minutes (180 × 10 s) and the other two start only after it passed. Liveness is lenient: a
 * server busy with long generations answers slowly, and a restart costs a full reload.
 */
function probes(route: string) {
  const httpGet = { path: route, port: PORT_NAME };
  return {
    startupProbe: { httpGet, periodSeconds: 10, failureThreshold: 180, timeoutSeconds: 5 },
    readinessProbe: { httpGet, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 5 },
    livenessProbe: { httpGet, periodSeconds: 15, failureThreshold: 4, timeoutSeconds: 10 },
  };
}

export function deploymentOf(a: ServerArgs): k8s.types.input.apps.v1.Deployment {
  const v = a.config;
  const { scheduling } = a.pool;
  const requests = serverRequests(a.machine, a.count, scheduling.perNode);
  const accelerators = { [scheduling.resource]: String(a.count) };
  const selector = selectorLabels(a.model, a.version);
  const digest = createHash("sha256").update(JSON.stringify(configData(a))).digest("hex").slice(0, 16);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(a),
    spec: {
      // No `replicas`: the HorizontalPodAutoscaler owns it, and a value here would reset it on every update.
      selector: { matchLabels: selector },
      // A new pod comes up before an old one goes: serving capacity never dips during a change.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      // A node, an image and the weights can take longer than the default 10 minutes.
      progressDeadlineSeconds: 3600,
      revisionHistoryLimit: 3,
      template: {
        metadata: {
          labels: serverLabels(a.labels, a.model, a.version),
          annotations: {
            "gke-gcsfuse/volumes": "true",
            // The FUSE sidecar streams gigabytes at start-up; its default limits would throttle it.
            "gke-gcsfuse/cpu-limit": "0",
            "gke-gcsfuse/memory-limit": "0",
            "gke-gcsfuse/ephemeral-storage-limit": "0",
            // The configuration is mounted and read at start: a change must restart the servers.
            "llmops/config-digest": digest,
          },
        },
        spec: {
          serviceAccountName: SERVER_ACCOUNT,
          nodeSelector: { ...scheduling.nodeSelector },
          tolerations: scheduling.tolerations.map((t) => ({ ...t })),
          // Replicas in different zones where capacity allows; accelerators are often in one zone only.
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } }],
          // Long generations finish; the preStop pause lets the load balancer stop sending first.
          terminationGracePeriodSeconds: 120,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "server",
              image: a.image,
              args: [...v.args],
              env: environment(a),
              ports: [{ name: PORT_NAME, containerPort: v.port, protocol: "TCP" }],
              // Memory limited to the request: an over-use kills this server, not a neighbour.
              resources: { requests: { ...requests, ...accelerators }, limits: { memory: requests.memory, ...accelerators } },
              ...probes(v.healthRoute),
              lifecycle: { preStop: { sleep: { seconds: 20 } } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
              volumeMounts: [
                { name: "weights", mountPath: MODEL_DIR, readOnly: true },
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "dshm", mountPath: "/dev/shm" },
              ],
            },
          ],
          volumes: [
            {
              name: "weights",
              csi: { driver: "gcsfuse.csi.storage.gke.io", readOnly: true, volumeAttributes: { bucketName: a.weights.bucket, mountOptions: mountOptions(a.weights.dir), gcsfuseMetadataPrefetchOnMount: "true" } },
            },
            { name: "config", configMap: { name: serverName(a.model, a.version) } },
            // Tensor-parallel servers pass tensors through shared memory; the runtime's 64 MiB is too small.
            { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${Math.min(16, 2 * a.count)}Gi` } },
          ],
        },
      },
    },
  };
}

export function serviceOf(a: ServerArgs): k8s.types.input.core.v1.Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(a),
    spec: { type: "ClusterIP", selector: selectorLabels(a.model, a.version), ports: [{ name: PORT_NAME, port: a.config.port, targetPort: PORT_NAME, protocol: "TCP" }] },
  };
}

/**
 * Scales on the server's queue, not on accelerator utilisation: a decoding server shows a busy
 * accelerator long before requests wait, and waiting requests are what users feel. The metric
 * reaches the HPA from Managed Service for Prometheus through the Custom Metrics Stackdriver
 * Adapter. Scale-down is slow because a replica takes minutes (node, image, weights) to return.
 */
export function autoscalerOf(a: ServerArgs): k8s.types.input.autoscaling.v2.HorizontalPodAutoscaler {
  return {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: meta(a),
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: serverName(a.model, a.version) },
      minReplicas: a.minReplicas,
      maxReplicas: a.maxReplicas,
      metrics: [{ type: "Pods", pods: { metric: { name: `prometheus.googleapis.com|${a.queue.metric}|gauge` }, target: { type: "AverageValue", averageValue: String(a.queue.target) } } }],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Pods", value: 2, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: "Pods", value: 1, periodSeconds: 300 }] },
      },
    },
  };
}

/**
 * At most one replica of a version is drained at a time. `maxUnavailable` rather than
 * `minAvailable: 1`, which would block every node upgrade of a single-replica dev model; a
 * replica that never became ready may always be evicted, so a broken version cannot pin a node.
 */
export function disruptionBudgetOf(a: ServerArgs): k8s.types.input.policy.v1.PodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: meta(a),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(a.model, a.version) }, unhealthyPodEvictionPolicy: "AlwaysAllow" },
  };
}

/** The multi-cluster Services export that the fleet turns into a ServiceImport of the same name. */
export function serviceExportOf(a: ServerArgs): Manifest {
  return { apiVersion: "net.gke.io/v1", kind: "ServiceExport", metadata: meta(a) };
}

