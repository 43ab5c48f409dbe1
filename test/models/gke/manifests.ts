import { Gateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import { HTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import { APIService } from "kubernetes-models/apiregistration.k8s.io/v1/APIService";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { z } from "zod";

/**
 * Validation of every Kubernetes object a plan holds. Kinds with a model in `kubernetes-models`
 * or `@kubernetes-models/gateway-api` are checked by it (types, enums, required fields, ranges).
 * Those models accept unknown fields, which type-checking catches instead: the builders are typed
 * with @pulumi/kubernetes's and the gateway models' interfaces. Custom resources without a model
 * (ServiceExport, PodMonitoring, HealthCheckPolicy, GCPBackendPolicy, ComputeClass) get a minimal
 * strict zod schema below, written from their CRDs' reference docs: unknown fields fail here.
 * Every object's metadata is checked against Kubernetes' name and label syntax, which the models
 * do not check.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.:]{0,251}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

const metadata = z.strictObject({
  name: z.string().regex(DNS_SUBDOMAIN, "not a DNS subdomain name"),
  namespace: z.string().regex(DNS_LABEL, "not a DNS label").optional(),
  labels: z.record(z.string().regex(LABEL_KEY, "not a label key"), z.string().regex(LABEL_VALUE, "not a label value")).optional(),
  annotations: z.record(z.string().regex(LABEL_KEY, "not an annotation key"), z.string()).optional(),
});
const namespaced = metadata.extend({ name: z.string().regex(DNS_LABEL), namespace: z.string().regex(DNS_LABEL) });
const importRef = z.strictObject({ group: z.literal("net.gke.io"), kind: z.literal("ServiceImport"), name: z.string().regex(DNS_LABEL) });
const seconds = (min: number, max: number) => z.number().int().min(min).max(max);

/** The CRDs the program applies that no model package covers. */
export const CRD_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  // https://cloud.google.com/kubernetes-engine/docs/how-to/multi-cluster-services: an export names its Service.
  "kubernetes:net.gke.io/v1:ServiceExport": z.strictObject({ apiVersion: z.literal("net.gke.io/v1"), kind: z.literal("ServiceExport"), metadata: namespaced }),
  // https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed (PodMonitoring spec).
  "kubernetes:monitoring.googleapis.com/v1:PodMonitoring": z.strictObject({
    apiVersion: z.literal("monitoring.googleapis.com/v1"),
    kind: z.literal("PodMonitoring"),
    metadata: namespaced,
    spec: z.strictObject({
      selector: z.strictObject({ matchLabels: z.record(z.string(), z.string()) }),
      endpoints: z.array(z.strictObject({ port: z.union([z.string(), z.number().int()]), path: z.string().startsWith("/").optional(), interval: z.string().regex(/^\d+(ms|s|m)$/), timeout: z.string().optional() })).min(1),
      // prometheus-engine pkg/operator/apis/monitoring/v1 TargetLabels: fromPod is a list of { from, to } (to defaults to from).
      targetLabels: z.strictObject({ fromPod: z.array(z.strictObject({ from: z.string().min(1), to: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).optional() })).max(100) }).optional(),
    }),
  }),
  // https://googlecloudplatform.github.io/gke-gateway-api (HealthCheckPolicy, networking.gke.io/v1).
  "kubernetes:networking.gke.io/v1:HealthCheckPolicy": z.strictObject({
    apiVersion: z.literal("networking.gke.io/v1"),
    kind: z.literal("HealthCheckPolicy"),
    metadata: namespaced,
    spec: z.strictObject({
      default: z
        .strictObject({
          checkIntervalSec: seconds(1, 300),
          timeoutSec: seconds(1, 300),
          healthyThreshold: seconds(1, 10),
          unhealthyThreshold: seconds(1, 10),
          logConfig: z.strictObject({ enabled: z.boolean() }).optional(),
          config: z.strictObject({
            type: z.enum(["TCP", "HTTP", "HTTPS", "HTTP2", "GRPC"]),
            httpHealthCheck: z.strictObject({ port: z.number().int().min(1).max(65535).optional(), portName: z.string().optional(), requestPath: z.string().regex(/^\/[A-Za-z0-9/\-._~%!?$&'()*+,;=:]*$/), host: z.string().optional() }).optional(),
          }),
        })
        .refine((d) => d.timeoutSec <= d.checkIntervalSec, "timeoutSec must not exceed checkIntervalSec"),
      targetRef: importRef,
    }),
  }),
  // The same reference (GCPBackendPolicy): backend timeout, connection draining, logging, Cloud Armor policy.
  "kubernetes:networking.gke.io/v1:GCPBackendPolicy": z.strictObject({
    apiVersion: z.literal("networking.gke.io/v1"),
    kind: z.literal("GCPBackendPolicy"),
    metadata: namespaced,
    spec: z.strictObject({
      default: z.strictObject({
        timeoutSec: seconds(1, 2_147_483_647).optional(),
        connectionDraining: z.strictObject({ drainingTimeoutSec: seconds(0, 3600) }).optional(),
        logging: z.strictObject({ enabled: z.boolean(), sampleRate: seconds(0, 1_000_000).optional() }).optional(),
        // The name of a Cloud Armor backend security policy of the same project.
        securityPolicy: z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/).optional(),
      }),
      targetRef: importRef,
    }),
  }),
  // https://cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass (the fields infra/gke sets).
  "kubernetes:cloud.google.com/v1:ComputeClass": z.strictObject({
    apiVersion: z.literal("cloud.google.com/v1"),
    kind: z.literal("ComputeClass"),
    metadata,
    spec: z.strictObject({
      priorities: z.array(z.strictObject({ nodepools: z.array(z.string().regex(DNS_LABEL)).min(1) })).min(1),
      nodePoolAutoCreation: z.strictObject({ enabled: z.boolean() }),
      whenUnsatisfiable: z.enum(["ScaleUpAnyway", "DoNotScaleUp"]),
      activeMigration: z.strictObject({ optimizeRulePriority: z.boolean() }),
    }),
  }),
};

type Model = { validate(): void };
const MODELS: Readonly<Record<string, (data: any) => Model>> = {
  "kubernetes:apps/v1:Deployment": (d) => new Deployment(d),
  "kubernetes:core/v1:Namespace": (d) => new Namespace(d),
  "kubernetes:core/v1:ServiceAccount": (d) => new ServiceAccount(d),
  "kubernetes:core/v1:Service": (d) => new Service(d),
  "kubernetes:core/v1:ConfigMap": (d) => new ConfigMap(d),
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": (d) => new HorizontalPodAutoscaler(d),
  "kubernetes:policy/v1:PodDisruptionBudget": (d) => new PodDisruptionBudget(d),
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": (d) => new ClusterRole(d),
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": (d) => new ClusterRoleBinding(d),
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": (d) => new RoleBinding(d),
  "kubernetes:apiregistration.k8s.io/v1:APIService": (d) => new APIService(d),
  "kubernetes:gateway.networking.k8s.io/v1:Gateway": (d) => new Gateway(d),
  "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute": (d) => new HTTPRoute(d),
};

/** The problems of one planned Kubernetes object; empty when it is valid. A type with no validator is a problem too. */
export function manifestProblems(type: string, inputs: unknown): string[] {
  const model = MODELS[type];
  const crd = CRD_SCHEMAS[type];
  if (!model && !crd) return [`no validator for ${type}; add its model or schema to test/models/gke/manifests.ts`];
  const problems: string[] = [];
  if (model) {
    try {
      model(inputs).validate();
    } catch (err) {
      problems.push(String(err));
    }
    const meta = metadata.safeParse((inputs as { metadata?: unknown }).metadata);
    if (!meta.success) problems.push(...meta.error.issues.map((i) => `metadata.${i.path.join(".")}: ${i.message}`));
  } else {
    const parsed = crd.safeParse(inputs);
    if (!parsed.success) problems.push(...parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  return problems;
}
