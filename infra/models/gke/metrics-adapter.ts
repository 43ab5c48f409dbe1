import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../../common/child";

/**
 * The Custom Metrics Stackdriver Adapter, which serves Cloud Monitoring metrics (here the model
 * servers' Prometheus metrics, stored by Managed Service for Prometheus) to HorizontalPodAutoscalers
 * through the custom and external metrics APIs. GKE does not install it. Its objects are those of
 * the upstream manifest `deploy/production/adapter_new_resource_model.yaml` in
 * GoogleCloudPlatform/k8s-stackdriver, declared here rather than fetched, so the plan is complete
 * offline and a reviewer sees every RBAC grant; the image is the stack's (pinned by digest).
 * The adapter reads Cloud Monitoring as its Kubernetes service account, through Workload
 * Identity: the stack grants that principal `roles/monitoring.viewer` once (`GkeServing`).
 */

export const ADAPTER_NAMESPACE = "custom-metrics";
export const ADAPTER_ACCOUNT = "custom-metrics-stackdriver-adapter";

type Labels = Readonly<Record<string, string>>;

const ADAPTER_LABELS = { "k8s-app": ADAPTER_ACCOUNT, "app.kubernetes.io/name": ADAPTER_ACCOUNT, "app.kubernetes.io/part-of": "llmops" } as const;
const SELECTOR = { "k8s-app": ADAPTER_ACCOUNT };
const subject = { kind: "ServiceAccount", name: ADAPTER_ACCOUNT, namespace: ADAPTER_NAMESPACE };

/** The aggregated APIs the adapter serves; v1beta2 is preferred for custom metrics. */
export const ADAPTER_APIS = [
  { group: "custom.metrics.k8s.io", version: "v1beta1", versionPriority: 100 },
  { group: "custom.metrics.k8s.io", version: "v1beta2", versionPriority: 200 },
  { group: "external.metrics.k8s.io", version: "v1beta1", versionPriority: 100 },
] as const;

/** The adapter's objects, as plain values (validated in tests). */
export function adapterObjects(image: string, labels: Labels) {
  const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), labels: { ...labels, ...ADAPTER_LABELS } });
  const namespace: k8s.types.input.core.v1.Namespace = { apiVersion: "v1", kind: "Namespace", metadata: meta(ADAPTER_NAMESPACE) };
  const account: k8s.types.input.core.v1.ServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta(ADAPTER_ACCOUNT, ADAPTER_NAMESPACE) };
  const binding = (name: string, role: string): k8s.types.input.rbac.v1.ClusterRoleBinding => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: meta(name),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [subject],
  });
  const roles = {
    // Delegated authentication and authorisation, as every aggregated API server needs.
    authDelegator: binding("custom-metrics:system:auth-delegator", "system:auth-delegator"),
    authReader: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: meta("custom-metrics-auth-reader", "kube-system"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "extension-apiserver-authentication-reader" },
      subjects: [subject],
    } satisfies k8s.types.input.rbac.v1.RoleBinding,
    // Read-only access to the pods and nodes whose metrics it maps.
    resourceReader: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: meta("custom-metrics-resource-reader"),
      rules: [{ apiGroups: [""], resources: ["pods", "nodes", "nodes/stats"], verbs: ["get", "list", "watch"] }],
    } satisfies k8s.types.input.rbac.v1.ClusterRole,
    resourceReaderBinding: binding("custom-metrics-resource-reader", "custom-metrics-resource-reader"),
    // The HPA controller may read external metrics.
    externalReader: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: meta("external-metrics-reader"),
      rules: [{ apiGroups: ["external.metrics.k8s.io"], resources: ["*"], verbs: ["list", "get", "watch"] }],
    } satisfies k8s.types.input.rbac.v1.ClusterRole,
    externalReaderBinding: {
      ...binding("external-metrics-reader", "external-metrics-reader"),
      subjects: [{ kind: "ServiceAccount", name: "horizontal-pod-autoscaler", namespace: "kube-system" }],
    } satisfies k8s.types.input.rbac.v1.ClusterRoleBinding,
  };
  const deployment: k8s.types.input.apps.v1.Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(ADAPTER_ACCOUNT, ADAPTER_NAMESPACE),
    spec: {
      replicas: 1,
      selector: { matchLabels: SELECTOR },
      template: {
        metadata: { labels: { ...labels, ...ADAPTER_LABELS } },
        spec: {
          serviceAccountName: ADAPTER_ACCOUNT,
          securityContext: { seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "pod-custom-metrics-stackdriver-adapter",
              image,
              command: ["/adapter", "--use-new-resource-model=true", "--fallback-for-container-metrics=true"],
              resources: { requests: { cpu: "250m", memory: "200Mi" }, limits: { cpu: "250m", memory: "200Mi" } },
              // It listens on 443; everything else is dropped.
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } },
            },
          ],
        },
      },
    },
  };
  const service: k8s.types.input.core.v1.Service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(ADAPTER_ACCOUNT, ADAPTER_NAMESPACE),
    spec: { type: "ClusterIP", selector: SELECTOR, ports: [{ port: 443, targetPort: 443, protocol: "TCP" }] },
  };
  // The adapter serves a self-signed certificate, as upstream deploys it; the API server reaches it in-cluster.
  const apis = ADAPTER_APIS.map(
    (api): k8s.types.input.apiregistration.v1.APIService => ({
      apiVersion: "apiregistration.k8s.io/v1",
      kind: "APIService",
      metadata: meta(`${api.version}.${api.group}`),
      spec: { group: api.group, version: api.version, groupPriorityMinimum: 100, versionPriority: api.versionPriority, insecureSkipTLSVerify: true, service: { name: ADAPTER_ACCOUNT, namespace: ADAPTER_NAMESPACE } },
    }),
  );
  return { namespace, account, roles, deployment, service, apis };
}

export interface MetricsAdapterArgs {
  /** The adapter image, pinned by digest (`llmops:gke.metricsAdapter.image`, resolved). */
  readonly image: string;
  readonly labels: Labels;
  /** The cluster's Kubernetes API. */
  readonly provider: k8s.Provider;
}

/** The adapter in one cluster. */
export class MetricsAdapter extends pulumi.ComponentResource {
  /** The aggregated API registrations: autoscalers that read metrics wait for these. */
  public readonly apis: readonly k8s.apiregistration.v1.APIService[];

  constructor(name: string, args: MetricsAdapterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:MetricsAdapter", name, {}, opts);
    const o = adapterObjects(args.image, args.labels);
    const under = (...after: pulumi.Resource[]) => ({ ...childOf(this, opts, ...after), provider: args.provider });
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, o.namespace, under());
    const account = new k8s.core.v1.ServiceAccount(`${name}-account`, o.account, under(namespace));
    const grants = [
      new k8s.rbac.v1.ClusterRoleBinding(`${name}-auth-delegator`, o.roles.authDelegator, under(account)),
      new k8s.rbac.v1.RoleBinding(`${name}-auth-reader`, o.roles.authReader, under(account)),
    ];
    const reader = new k8s.rbac.v1.ClusterRole(`${name}-resource-reader`, o.roles.resourceReader, under());
    grants.push(new k8s.rbac.v1.ClusterRoleBinding(`${name}-resource-reader-binding`, o.roles.resourceReaderBinding, under(account, reader)));
    const externalReader = new k8s.rbac.v1.ClusterRole(`${name}-external-reader`, o.roles.externalReader, under());
    new k8s.rbac.v1.ClusterRoleBinding(`${name}-external-reader-binding`, o.roles.externalReaderBinding, under(externalReader));
    const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, o.deployment, under(...grants));
    const service = new k8s.core.v1.Service(`${name}-service`, o.service, under(namespace));
    this.apis = o.apis.map((api, i) => new k8s.apiregistration.v1.APIService(`${name}-${ADAPTER_APIS[i].group.split(".")[0]}-${ADAPTER_APIS[i].version}`, api, under(service, deployment)));
    this.registerOutputs({});
  }
}
