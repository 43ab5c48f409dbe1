import type { PolicyResource, TypeMatch } from "../types";
import { asRecord, asStringMap, at, isRecord } from "./values";

/**
 * Facts about a resource that several rules need: where its labels live, what its URN says, and
 * the type tokens of the resources the platform creates (the same tokens in plans and in
 * CrossGuard, so rules match on them alone).
 */

export const T = {
  bucket: "gcp:storage/bucket:Bucket",
  repository: "gcp:artifactregistry/repository:Repository",
  cluster: "gcp:container/cluster:Cluster",
  nodePool: "gcp:container/nodePool:NodePool",
  endpoint: "gcp:vertex/aiEndpoint:AiEndpoint",
  modelVersion: "pulumi-nodejs:dynamic/vertex:ModelVersion",
  endpointDeployment: "pulumi-nodejs:dynamic/vertex:EndpointDeployment",
  armorTemplate: "gcp:modelarmor/template:Template",
  alertPolicy: "gcp:monitoring/alertPolicy:AlertPolicy",
  wifProvider: "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider",
  serviceAccountKey: "gcp:serviceaccount/key:Key",
  hmacKey: "gcp:storage/hmacKey:HmacKey",
  vertexModel: "llmops:models:VertexModel",
  stack: "pulumi:pulumi:Stack",
} as const;

/** Kubernetes workloads whose pod templates run containers (GKE-served models). */
export const K8S_WORKLOADS: readonly string[] = [
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:apps/v1:ReplicaSet",
  "kubernetes:batch/v1:Job",
  "kubernetes:batch/v1:CronJob",
  "kubernetes:core/v1:Pod",
  "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet",
];

export function matchesType(types: readonly TypeMatch[], type: string): boolean {
  return types.some((t) => (typeof t === "string" ? t === type : t.test(type)));
}

export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((r) => r.type === type);
}

/** `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>` → stack. */
export function stackOfUrn(urn: string): string {
  return urn.startsWith("urn:pulumi:") ? urn.slice("urn:pulumi:".length).split("::")[0] : "";
}

/** The nearest `llmops:*` type among the resource's ancestors, read from the URN's type chain. */
export function componentOfUrn(urn: string): string | undefined {
  const chain = urn.split("::")[2]?.split("$") ?? [];
  return chain.slice(0, -1).reverse().find((t) => t.startsWith("llmops:"));
}

/**
 * Where each labelable type keeps its Google Cloud labels. GKE puts node VM labels in
 * `nodeConfig.resourceLabels` (`nodeConfig.labels` are Kubernetes node labels), clusters in
 * `resourceLabels`, Cloud Monitoring in `userLabels`. Anything else with a `labels` map counts.
 */
const LABEL_PATHS: Readonly<Record<string, string>> = {
  [T.cluster]: "resourceLabels",
  [T.nodePool]: "nodeConfig.resourceLabels",
  [T.alertPolicy]: "userLabels",
  "gcp:monitoring/notificationChannel:NotificationChannel": "userLabels",
  "gcp:monitoring/slo:Slo": "userLabels",
};

/** Types that must carry labels even when the program forgot the field altogether. */
export const LABELED_TYPES: readonly string[] = [T.bucket, T.repository, T.cluster, T.nodePool, T.endpoint, T.modelVersion, T.armorTemplate, T.alertPolicy];

/** The label map of a resource, or undefined when its type has none. Kubernetes: pod template labels win. */
export function labelsOf(resource: PolicyResource): Readonly<Record<string, string>> | undefined {
  const { type, inputs } = resource;
  if (type.startsWith("kubernetes:")) {
    const own = asStringMap(at(inputs, "metadata.labels"));
    return { ...own, ...asStringMap(at(podTemplate(resource), "metadata.labels")) };
  }
  const path = LABEL_PATHS[type] ?? "labels";
  const value = at(inputs, path);
  if (isRecord(value)) return asStringMap(value);
  return LABELED_TYPES.includes(type) ? {} : undefined;
}

/** The pod template of a Kubernetes workload (a Pod is its own template). */
export function podTemplate(resource: PolicyResource): Readonly<Record<string, unknown>> | undefined {
  const { type, inputs } = resource;
  if (type === "kubernetes:core/v1:Pod") return inputs;
  if (type === "kubernetes:batch/v1:CronJob") return asRecord(at(inputs, "spec.jobTemplate.spec.template"));
  if (type.includes("LeaderWorkerSet")) return asRecord(at(inputs, "spec.leaderWorkerTemplate.workerTemplate"));
  return isRecord(at(inputs, "spec.template")) ? asRecord(at(inputs, "spec.template")) : undefined;
}
