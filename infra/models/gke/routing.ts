import type { IGateway } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/Gateway";
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type * as k8s from "@pulumi/kubernetes";
import { FRONT_DOOR_LABEL, GATEWAY_NAMESPACE, PORT_NAME, SERVER_ACCOUNT, modelLabels } from "../config/names";

/**
 * The model-wide objects (namespace, service account, metrics scraping) and the front door's
 * objects (Gateway, routes, load-balancer policies), as plain values for the components and for
 * validation in tests. The front door's objects live in the fleet's config cluster, where the
 * multi-cluster Gateway controller reads them; its policies target ServiceImports, which the
 * fleet creates from the versions' ServiceExports. Gateway API objects are checked against the
 * types of `@kubernetes-models/gateway-api` (a type-only import: nothing of it loads at run time),
 * built-in kinds against `@pulumi/kubernetes`'s, so a misspelt field fails type-checking.
 */

type Labels = Readonly<Record<string, string>>;

/** An object of a custom resource definition, as `k8s.apiextensions.CustomResource` takes it. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
  readonly [field: string]: unknown;
}

/** The GatewayClass of a global external Application Load Balancer across the fleet's clusters. */
export const GATEWAY_CLASS = "gke-l7-global-external-managed-mc";

/**
 * A model's namespace. The label lets its routes attach to the front door; the namespace also
 * has to exist in the config cluster, because ServiceImports only appear in namespaces that do.
 */
export function namespaceObject(namespace: string, model: string, labels: Labels): k8s.types.input.core.v1.Namespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, labels: { ...modelLabels(labels, model), [FRONT_DOOR_LABEL]: "true" } } };
}

/** The servers' Kubernetes identity, which Workload Identity maps to the serving service account. */
export function serverAccountObject(namespace: string, model: string, servingEmail: string, labels: Labels): k8s.types.input.core.v1.ServiceAccount {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: SERVER_ACCOUNT, namespace, labels: modelLabels(labels, model), annotations: { "iam.gke.io/gcp-service-account": servingEmail } } };
}

/** Managed Service for Prometheus scrapes every server of the model (queue depth, latency, tokens) each 15 s. */
export function podMonitoringObject(namespace: string, model: string, labels: Labels): Manifest {
  return {
    apiVersion: "monitoring.googleapis.com/v1",
    kind: "PodMonitoring",
    metadata: { name: namespace, namespace, labels: modelLabels(labels, model) },
    spec: {
      selector: { matchLabels: { "app.kubernetes.io/name": namespace, "app.kubernetes.io/component": "model-server" } },
      endpoints: [{ port: PORT_NAME, path: "/metrics", interval: "15s" }],
    },
  };
}

/** The Gateway listener the models' routes attach to. */
export type Listener = "http" | "https";

/** The Gateway annotation naming the Certificate Manager map whose certificates the HTTPS listener serves. */
export const CERTMAP_ANNOTATION = "networking.gke.io/certmap";

/**
 * The one front door: a global external Application Load Balancer on the stack's reserved
 * address, accepting model routes from model namespaces only. With a certificate map, model
 * routes attach to HTTPS on 443 (the map's Google-managed certificate) and port 80 only takes the
 * redirect route of the gateway's own namespace; without one, routes attach to HTTP on 80.
 */
export function gatewayObject(name: string, addressName: string, labels: Labels, certificateMap?: string): Manifest {
  const fromModels = { kinds: [{ kind: "HTTPRoute" }], namespaces: { from: "Selector" as const, selector: { matchLabels: { [FRONT_DOOR_LABEL]: "true" } } } };
  const listeners = certificateMap
    ? [
        { name: "http", protocol: "HTTP", port: 80, allowedRoutes: { kinds: [{ kind: "HTTPRoute" }], namespaces: { from: "Same" as const } } },
        { name: "https", protocol: "HTTPS", port: 443, allowedRoutes: fromModels },
      ]
    : [{ name: "http", protocol: "HTTP", port: 80, allowedRoutes: fromModels }];
  const gateway = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: {
      name,
      namespace: GATEWAY_NAMESPACE,
      labels: { ...labels, "app.kubernetes.io/part-of": "llmops" },
      ...(certificateMap ? { annotations: { [CERTMAP_ANNOTATION]: certificateMap } } : {}),
    },
    spec: { gatewayClassName: GATEWAY_CLASS, addresses: [{ type: "NamedAddress", value: addressName }], listeners },
  } satisfies IGateway;
  return gateway;
}

/** With HTTPS: every plain-HTTP request is redirected (301) to the same URL over HTTPS. */
export function httpsRedirectRouteObject(name: string, gateway: string, labels: Labels): Manifest {
  const route = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name, namespace: GATEWAY_NAMESPACE, labels: { ...labels, "app.kubernetes.io/part-of": "llmops" } },
    spec: {
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway, namespace: GATEWAY_NAMESPACE, sectionName: "http" }],
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  } satisfies IHTTPRoute;
  return route;
}

export function gatewayNamespaceObject(labels: Labels): k8s.types.input.core.v1.Namespace {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: GATEWAY_NAMESPACE, labels: { ...labels, "app.kubernetes.io/part-of": "llmops" } } };
}

/** One weighted backend: a version's ServiceImport, its port, its percent of the traffic. */
export interface WeightedBackend {
  readonly name: string;
  readonly port: number;
  readonly weight: number;
}

/**
 * `/<model>/…` on the front door goes to the model's versions, weighted by the rollout stage,
 * with the prefix removed (`/gemma-chat/v1/chat/completions` reaches the server as
 * `/v1/chat/completions`). Each backend is a ServiceImport spanning every region the version is
 * exported from, so the load balancer sends a caller to the nearest region with healthy
 * capacity; the weights split traffic between versions, not between regions.
 */
export function httpRouteObject(model: string, namespace: string, gateway: string, backends: readonly WeightedBackend[], labels: Labels, listener: Listener = "http"): Manifest {
  const route = {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: namespace, namespace, labels: modelLabels(labels, model) },
    spec: {
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway, namespace: GATEWAY_NAMESPACE, sectionName: listener }],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: `/${namespace}` } }],
          filters: [{ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } }],
          backendRefs: backends.map((b) => ({ group: "net.gke.io", kind: "ServiceImport", name: b.name, port: b.port, weight: b.weight })),
        },
      ],
    },
  } satisfies IHTTPRoute;
  return route;
}

const importRef = (name: string) => ({ group: "net.gke.io", kind: "ServiceImport", name });

/** The load balancer's health check of a version: its own health route, not `/`, which vLLM answers with 404. */
export function healthCheckPolicyObject(name: string, namespace: string, port: number, healthRoute: string, labels: Labels): Manifest {
  return {
    apiVersion: "networking.gke.io/v1",
    kind: "HealthCheckPolicy",
    metadata: { name, namespace, labels },
    spec: {
      default: {
        checkIntervalSec: 10,
        timeoutSec: 5,
        healthyThreshold: 1,
        unhealthyThreshold: 3,
        logConfig: { enabled: true },
        config: { type: "HTTP", httpHealthCheck: { port, requestPath: healthRoute } },
      },
      targetRef: importRef(name),
    },
  };
}

/**
 * Backend settings of a version: a generation can take minutes, and the load balancer's default
 * 30 s timeout would cut it off; removed endpoints finish their requests; every request is
 * logged (LLM traffic is low in requests and high in value); and the front door's Cloud Armor
 * policy (by name), which denies every caller outside the allowed source ranges.
 */
export function backendPolicyObject(name: string, namespace: string, labels: Labels, securityPolicy: string): Manifest {
  return {
    apiVersion: "networking.gke.io/v1",
    kind: "GCPBackendPolicy",
    metadata: { name, namespace, labels },
    spec: {
      default: { timeoutSec: 600, connectionDraining: { drainingTimeoutSec: 60 }, logging: { enabled: true, sampleRate: 1_000_000 }, securityPolicy },
      targetRef: importRef(name),
    },
  };
}
