import type { KubernetesKindRule, Operation } from "./types";

/**
 * Every Kubernetes kind the program applies: the GKE IAM permissions the deploying identity
 * needs (GKE authorises each Kubernetes API request with IAM as well as RBAC, so an identity with
 * IAM roles and no RBAC bindings, like the CI deployer, needs these), and what installs the kind.
 *
 * GKE names a permission `container.<resource>.<verb>`, with PATCH checked as `update` and
 * requests on custom resources as `container.thirdPartyObjects.<verb>`. What pulumi-kubernetes
 * sends with server-side apply (the program's providers set enableServerSideApply):
 * - create: an apply PATCH, which creates the object, so both `create` and `update` are checked
 *   (server-side apply docs); then a GET of the live object;
 * - update: a GET, the apply PATCH, a GET;
 * - delete: the DELETE, then an informer (list + watch) and a GET until the object is gone;
 * - plus the informers of the kind's await logic (Deployment, Service), listed per kind.
 * assumed: GKE has no `watch` permission and authorises watches as `list`.
 */

const GKE_PERMISSIONS = "https://cloud.google.com/kubernetes-engine/docs/reference/api-permissions";
const GKE_ROLES = "https://cloud.google.com/iam/docs/roles-permissions/container";
const GKE_IAM = "https://cloud.google.com/kubernetes-engine/docs/how-to/iam";
const SSA = "https://kubernetes.io/docs/reference/using-api/server-side-apply/";
const RBAC_ESCALATION = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping";
const PULUMI_K8S = "https://github.com/pulumi/pulumi-kubernetes/blob/0012b9d2d0417b46995cabe1edb9f659fbb65d7f/provider/pkg/await";
const PULUMI_AWAIT = `${PULUMI_K8S}/await.go`;
const PULUMI_DELETED = "https://github.com/pulumi/pulumi-kubernetes/blob/0bad4ed4cb36ee70b15a58ebe5d6665a13dd4928/provider/pkg/await/condition/deleted.go";
const COMMON = [GKE_PERMISSIONS, GKE_ROLES, SSA, PULUMI_AWAIT, PULUMI_DELETED];

/** The permissions of one Kubernetes resource (plural, as GKE names it) applied as described above. */
function applied(resource: string, extra: Partial<Record<Operation, readonly string[]>> = {}): Record<Operation, readonly string[]> {
  const p = (verb: string) => `container.${resource}.${verb}`;
  return {
    create: [p("create"), p("update"), p("get"), ...(extra.create ?? [])],
    update: [p("update"), p("get"), ...(extra.update ?? [])],
    delete: [p("delete"), p("get"), p("list"), ...(extra.delete ?? [])],
  };
}

/** A custom resource: GKE checks `container.thirdPartyObjects.*` whatever its group and kind. */
const CUSTOM_RESOURCE = applied("thirdPartyObjects");

const builtin = { by: "builtin" } as const;

/** The Gateway API CRDs and GKE's policy CRDs come with the GKE Gateway controller, on this setting. */
const GATEWAY_CONTROLLER = { by: "cluster", setting: { path: "gatewayApiConfig.channel", equals: "CHANNEL_STANDARD" } } as const;
const GATEWAY_SOURCES = [
  "https://cloud.google.com/kubernetes-engine/docs/how-to/deploying-gateways#enable-gateway",
  "https://cloud.google.com/kubernetes-engine/docs/concepts/gateway-api#gateway_controller",
];

export const KUBERNETES_KINDS: Readonly<Record<string, KubernetesKindRule>> = {
  "core/v1:Namespace": { permissions: applied("namespaces"), installedBy: builtin, sources: COMMON },
  "core/v1:ServiceAccount": { permissions: applied("serviceAccounts"), installedBy: builtin, sources: COMMON },
  "core/v1:ConfigMap": { permissions: applied("configMaps"), installedBy: builtin, sources: COMMON },

  /** Awaited until its Endpoints target pods: informers on Services and Endpoints in the namespace. */
  "core/v1:Service": {
    permissions: applied("services", { create: ["container.services.list", "container.endpoints.list"], update: ["container.services.list", "container.endpoints.list"] }),
    installedBy: builtin,
    sources: [...COMMON, `${PULUMI_K8S}/service.go`],
  },

  /** Awaited until rolled out: informers on Deployments, ReplicaSets, Pods and PVCs in the namespace. */
  "apps/v1:Deployment": {
    permissions: applied("deployments", {
      create: ["container.deployments.list", "container.replicaSets.list", "container.pods.list", "container.persistentVolumeClaims.list"],
      update: ["container.deployments.list", "container.replicaSets.list", "container.pods.list", "container.persistentVolumeClaims.list"],
    }),
    installedBy: builtin,
    sources: [...COMMON, `${PULUMI_K8S}/deployment.go`],
  },

  "autoscaling/v2:HorizontalPodAutoscaler": { permissions: applied("horizontalPodAutoscalers"), installedBy: builtin, sources: COMMON },
  "policy/v1:PodDisruptionBudget": { permissions: applied("podDisruptionBudgets"), installedBy: builtin, sources: COMMON },
  "apiregistration.k8s.io/v1:APIService": { permissions: applied("apiServices"), installedBy: builtin, sources: COMMON },

  /**
   * Kubernetes refuses a role granting more than the caller holds through RBAC unless the caller
   * may `escalate` roles; an identity whose access comes from IAM holds nothing through RBAC, so
   * GKE's container.clusterRoles.escalate is what lets it write the rules.
   */
  "rbac.authorization.k8s.io/v1:ClusterRole": {
    permissions: applied("clusterRoles", { create: ["container.clusterRoles.escalate"], update: ["container.clusterRoles.escalate"] }),
    installedBy: builtin,
    sources: [...COMMON, RBAC_ESCALATION, GKE_IAM],
  },

  /** Binding a ClusterRole needs `bind` on it for the same reason (container.clusterRoles.bind). */
  "rbac.authorization.k8s.io/v1:ClusterRoleBinding": {
    permissions: applied("clusterRoleBindings", { create: ["container.clusterRoles.bind"], update: ["container.clusterRoles.bind"] }),
    installedBy: builtin,
    sources: [...COMMON, RBAC_ESCALATION, GKE_IAM],
  },

  /**
   * The program's RoleBindings reference Roles (kube-system's extension-apiserver-authentication-
   * reader), checked as container.roles.bind; one referencing a ClusterRole would need
   * container.clusterRoles.bind instead.
   */
  "rbac.authorization.k8s.io/v1:RoleBinding": {
    permissions: applied("roleBindings", { create: ["container.roles.bind"], update: ["container.roles.bind"] }),
    installedBy: builtin,
    sources: [...COMMON, RBAC_ESCALATION, GKE_IAM],
  },

  "gateway.networking.k8s.io/v1:Gateway": { permissions: CUSTOM_RESOURCE, installedBy: GATEWAY_CONTROLLER, sources: [...COMMON, ...GATEWAY_SOURCES] },
  "gateway.networking.k8s.io/v1:HTTPRoute": { permissions: CUSTOM_RESOURCE, installedBy: GATEWAY_CONTROLLER, sources: [...COMMON, ...GATEWAY_SOURCES] },
  "networking.gke.io/v1:GCPBackendPolicy": {
    permissions: CUSTOM_RESOURCE,
    installedBy: GATEWAY_CONTROLLER,
    sources: [...COMMON, ...GATEWAY_SOURCES, "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources"],
  },
  "networking.gke.io/v1:HealthCheckPolicy": {
    permissions: CUSTOM_RESOURCE,
    installedBy: GATEWAY_CONTROLLER,
    sources: [...COMMON, ...GATEWAY_SOURCES, "https://cloud.google.com/kubernetes-engine/docs/how-to/configure-gateway-resources#configure_health_check"],
  },

  /** Multi-cluster Services: the fleet feature installs the CRDs in every member cluster. */
  "net.gke.io/v1:ServiceExport": {
    permissions: CUSTOM_RESOURCE,
    installedBy: { by: "fleet-feature", feature: "multiclusterservicediscovery" },
    sources: [...COMMON, "https://cloud.google.com/kubernetes-engine/docs/how-to/multi-cluster-services#enabling"],
  },

  /** Google Cloud Managed Service for Prometheus installs PodMonitoring when managed collection is on. */
  "monitoring.googleapis.com/v1:PodMonitoring": {
    permissions: CUSTOM_RESOURCE,
    installedBy: { by: "cluster", setting: { path: "monitoringConfig.managedPrometheus.enabled", equals: true } },
    sources: [...COMMON, "https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed#enable-mgdcoll-gke"],
  },

  /**
   * Custom ComputeClasses exist in every GKE Standard and Autopilot cluster from version
   * 1.30.3-gke.1451000, with no setting; a cluster on an older version has no such CRD (the
   * version is not an input this shape can test).
   */
  "cloud.google.com/v1:ComputeClass": {
    permissions: CUSTOM_RESOURCE,
    installedBy: { by: "cluster" },
    sources: [...COMMON, "https://cloud.google.com/kubernetes-engine/docs/concepts/about-custom-compute-classes", "https://cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass"],
  },
};
