import type { PlannedResource } from "../../../lib/plan";
import { asRecord, asString, at } from "../../lib/values";
import type { CheckContext, PreflightRule } from "../check";
import type { PlanGraph } from "../graph";
import { KUBERNETES_KINDS } from "../kubernetes-kinds";
import { kindOf } from "./apis";

const CLUSTER = "gcp:container/cluster:Cluster";
const FEATURE = "gcp:gkehub/feature:Feature";
const MEMBERSHIP = "gcp:gkehub/membership:Membership";
const LOG_METRIC = "gcp:logging/metric:Metric";
const ALERT = "gcp:monitoring/alertPolicy:AlertPolicy";
const KEY_MEMBER = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember";
const NAMESPACE = "kubernetes:core/v1:Namespace";

/** Every string anywhere in a value, for references written inside filters and member strings. */
function strings(value: unknown): string[] {
  // Into one list: a dashboard's inputs are thousands of values, and a list per value was most
  // of a preflight run's time.
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

const WI_DOC = "https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#enable_on_clusters_and_node_pools";

/**
 * The workload pool `PROJECT.svc.id.goog` exists once a cluster with Workload Identity exists;
 * until then IAM refuses a binding naming one of its members with 400 "Identity Pool does not
 * exist". Grants to Kubernetes service accounts wait for such a cluster.
 */
export const workloadIdentityPool: PreflightRule = {
  id: "workload-identity-pool",
  summary: "grants to Workload Identity members (PROJECT.svc.id.goog) wait for a cluster that creates the pool",
  check(ctx) {
    const clusters = ctx.graph.ofType(CLUSTER);
    for (const r of ctx.graph.resources) {
      if (!/IAMMember|IamMember|IAMBinding|IamBinding/.test(r.type)) continue;
      const members = strings([r.inputs.member, r.inputs.members]);
      const pools = new Set(members.flatMap((m) => [...m.matchAll(/([a-z][a-z0-9-]*\.svc\.id\.goog)/g)].map((x) => x[1])));
      for (const pool of pools) {
        const creators = clusters.filter((c) => asString(at(c.inputs, "workloadIdentityConfig.workloadPool")) === pool);
        if (creators.length === 0) {
          ctx.report("error", r, `grants to a member of the workload pool ${pool}, which no cluster in this stack creates: IAM answers 400 "Identity Pool does not exist". Enable Workload Identity on a cluster of this stack, or drop the grant.`, WI_DOC);
          continue;
        }
        ctx.requireWait(r, creators, `grants to a member of ${pool}, which exists only once a Workload Identity cluster does`, "Make the grant depend on the cluster(s).", WI_DOC);
      }
    }
  },
};

const LOG_METRIC_DOC = "https://cloud.google.com/logging/docs/logs-based-metrics/charts-and-alerts#alert-on-lbm";

/**
 * An alert or SLO on a log-based metric fails with 404 "Cannot find metric(s)" until the metric
 * (`logging.googleapis.com/user/NAME`) exists.
 */
export const logMetricFirst: PreflightRule = {
  id: "log-metric-first",
  summary: "alerts and SLOs on a log-based metric wait for that metric",
  check(ctx) {
    const metrics = new Map(ctx.graph.ofType(LOG_METRIC).map((m) => [asString(m.inputs.name), m]));
    for (const r of ctx.graph.resources) {
      if (!r.type.startsWith("gcp:monitoring/")) continue;
      // (includes() first: a dashboard's strings are long, and few name a log-based metric.)
      const names = new Set(
        strings(r.inputs)
          .filter((s) => s.includes("logging.googleapis.com/user/"))
          .flatMap((s) => [...s.matchAll(/logging\.googleapis\.com\/user\/([A-Za-z0-9_.\-/]+?)(?=["'\s)]|$)/g)].map((m) => m[1])),
      );
      for (const name of names) {
        const metric = metrics.get(name);
        if (!metric) {
          ctx.report("error", r, `reads the log-based metric ${name}, which this stack does not create: Cloud Monitoring answers 404 "Cannot find metric(s)". Create the metric in this stack, or drop the reference.`, LOG_METRIC_DOC);
          continue;
        }
        ctx.requireWait(r, [metric], `reads the log-based metric ${name}`, "Make it depend on the metric (its logging.Metric resource).", LOG_METRIC_DOC);
      }
    }
  },
};

const PROMETHEUS_DOC = "https://cloud.google.com/stackdriver/docs/managed-prometheus/setup-managed#config-mgd-collection";

/** The namespace a Monitoring filter pins (`resource.label.namespace="x"`), if any. */
function filterNamespace(filter: string): string | undefined {
  return /resource\.labels?\.namespace\s*=\s*"([^"]+)"/.exec(filter)?.[1];
}

function metadataOf(r: PlannedResource): { name?: string; namespace?: string } {
  const meta = asRecord(r.inputs.metadata);
  return { name: asString(meta.name), namespace: asString(meta.namespace) };
}

/**
 * Managed Service for Prometheus creates a `prometheus.googleapis.com/...` metric descriptor when
 * it first ingests a sample, so a threshold condition filtering on one is refused (404 "Cannot
 * find metric(s)") until a scraped server has exported it. Alerts on those metrics wait for the
 * workloads that produce them: the Deployment and the PodMonitoring in the filter's namespace.
 * PromQL conditions name no descriptor and are not held to this.
 */
export const workloadMetricFirst: PreflightRule = {
  id: "workload-metric-first",
  summary: "alerts on workload-produced (Prometheus) metrics wait for the workloads and scrape configs that produce them",
  check(ctx) {
    const producers = ctx.graph.resources.filter((r) => /kubernetes:(apps\/v1:Deployment|monitoring\.googleapis\.com\/v1:PodMonitoring)$/.test(r.type));
    for (const r of ctx.graph.ofType(ALERT)) {
      const conditions = (Array.isArray(r.inputs.conditions) ? r.inputs.conditions : []).map(asRecord);
      const filters = conditions.flatMap((c) => [at(c, "conditionThreshold.filter"), at(c, "conditionThreshold.denominatorFilter"), at(c, "conditionAbsent.filter")]).map(asString);
      const checked = new Set<string>();
      for (const filter of filters) {
        const metric = filter ? /prometheus\.googleapis\.com\/[^"]+/.exec(filter)?.[0] : undefined;
        if (!filter || !metric) continue;
        const namespace = filterNamespace(filter);
        const location = /resource\.labels?\.location\s*=\s*"([^"]+)"/.exec(filter)?.[1];
        // The series come from servers in that namespace, in a cluster of that location.
        const sources = producers.filter((p) => (namespace === undefined || metadataOf(p).namespace === namespace) && (location === undefined || asString(clusterOf(ctx.graph, p)?.inputs.location) === location));
        const where = [namespace && `namespace ${namespace}`, location && `location ${location}`].filter(Boolean).join(", ");
        for (const kind of ["Deployment", "PodMonitoring"]) {
          if (checked.has(`${metric} ${kind}`)) continue;
          checked.add(`${metric} ${kind}`);
          const candidates = sources.filter((p) => p.type.endsWith(`:${kind}`));
          if (candidates.length === 0) {
            ctx.report("error", r, `filters on ${metric}${where ? ` (${where})` : ""}, and no ${kind} of this stack there produces it: the metric never exists and the alert is refused. Drop the alert or deploy what produces it.`, PROMETHEUS_DOC);
            continue;
          }
          ctx.requireWait(r, candidates, `filters on ${metric}, which exists only once a scraped server has exported it`, `Make the alert depend on the ${kind}(s) of ${where || "the servers"}.`, PROMETHEUS_DOC);
        }
      }
    }
  },
};

interface Encrypted {
  readonly key: string;
  readonly location: string;
  /** The service agent that encrypts for this service, by its email domain. */
  readonly agent: RegExp;
  readonly agentName: string;
  readonly source: string;
}

/** Resource types encrypted with a customer-managed key, and who must be able to use the key. */
const ENCRYPTED: Readonly<Record<string, Encrypted>> = {
  "gcp:storage/bucket:Bucket": {
    key: "encryption.defaultKmsKeyName",
    location: "location",
    agent: /^serviceAccount:service-\d+@gs-project-accounts\.iam\.gserviceaccount\.com$/,
    agentName: "the Cloud Storage service agent (service-PROJECT_NUMBER@gs-project-accounts.iam.gserviceaccount.com)",
    source: "https://cloud.google.com/storage/docs/encryption/using-customer-managed-keys#prereqs",
  },
  "gcp:artifactregistry/repository:Repository": {
    key: "kmsKeyName",
    location: "location",
    agent: /^serviceAccount:service-\d+@gcp-sa-artifactregistry\.iam\.gserviceaccount\.com$/,
    agentName: "the Artifact Registry service agent (service-PROJECT_NUMBER@gcp-sa-artifactregistry.iam.gserviceaccount.com)",
    source: "https://cloud.google.com/artifact-registry/docs/cmek",
  },
};
const ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter";

/**
 * A resource encrypted with a Cloud KMS key is created only if its service agent may use the key
 * (`roles/cloudkms.cryptoKeyEncrypterDecrypter` on it) and the key is in the resource's location
 * (a multi-region bucket in `US` needs a key in `us`; a repository in `us-central1` one there).
 */
export const kmsKeyReady: PreflightRule = {
  id: "kms-key-ready",
  summary: "CMEK resources use a key in their own location and wait for their service agent's grant on it",
  check(ctx) {
    const keyGrants = ctx.graph.ofType(KEY_MEMBER);
    for (const r of ctx.graph.resources) {
      const spec = ENCRYPTED[r.type];
      const key = spec ? asString(at(r.inputs, spec.key)) : undefined;
      if (!spec || !key) continue;
      const keyLocation = /\/locations\/([^/]+)\//.exec(key)?.[1];
      const location = asString(at(r.inputs, spec.location))?.toLowerCase();
      if (keyLocation && location && keyLocation !== location) {
        ctx.report("error", r, `is in ${location} but its key ${key} is in ${keyLocation}: Google refuses a key from another location. Use a key in ${location}.`, spec.source);
      }
      const grants = keyGrants.filter((g) => asString(g.inputs.cryptoKeyId) === key && asString(g.inputs.role) === ENCRYPTER && spec.agent.test(asString(g.inputs.member) ?? ""));
      if (grants.length === 0) {
        ctx.report("error", r, `is encrypted with ${key}, and nothing grants ${spec.agentName} ${ENCRYPTER} on it: the create fails. Add that grant (a kms.CryptoKeyIAMMember) and make this resource depend on it.`, spec.source);
        continue;
      }
      ctx.requireWait(r, grants, `is encrypted with ${key}`, "Make it depend on its service agent's grant on the key.", spec.source);
    }
  },
};

/** The cluster behind a Kubernetes provider: a cluster it waits for (its kubeconfig reads one). */
function clusterOf(graph: PlanGraph, r: PlannedResource): PlannedResource | undefined {
  const provider = r.options.provider ? graph.get(r.options.provider) : undefined;
  if (!provider) return undefined;
  return [...graph.waitsFor(provider.urn)].map((u) => graph.get(u)!).find((c) => c.type === CLUSTER);
}

const PROVIDER_DOC = "https://www.pulumi.com/registry/packages/kubernetes/installation-configuration/";

/**
 * Kubernetes objects go to a cluster of this stack through its provider, which waits for the
 * cluster; an object on the default provider would go wherever the machine's kubeconfig points.
 */
export const inCluster: PreflightRule = {
  id: "in-cluster",
  summary: "Kubernetes objects use a provider for a cluster of this stack, and wait for their namespace",
  check(ctx) {
    const namespaces = ctx.graph.ofType(NAMESPACE);
    for (const r of ctx.graph.resources) {
      if (!r.type.startsWith("kubernetes:")) continue;
      const cluster = clusterOf(ctx.graph, r);
      if (!cluster) {
        ctx.report("error", r, r.options.provider ? "its Kubernetes provider does not wait for any cluster of this stack, so its kubeconfig is not this stack's." : "uses the default Kubernetes provider: it would be applied to whatever cluster the deploying machine's kubeconfig points at. Pass the cluster's provider.", PROVIDER_DOC);
        continue;
      }
      ctx.requireWait(r, [cluster], `is created in cluster ${asString(cluster.inputs.name) ?? cluster.name}`, "Use that cluster's provider.", PROVIDER_DOC);
      const { namespace } = metadataOf(r);
      const home = namespace ? namespaces.filter((n) => n.options.provider === r.options.provider && metadataOf(n).name === namespace) : [];
      ctx.requireWait(r, home, `lives in namespace ${namespace}, which this stack creates`, "Make it depend on the Namespace.", "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/");
    }
  },
};

/**
 * Objects of a kind the cluster does not have yet are refused ("no matches for kind"): GKE
 * installs its CRDs with cluster settings (managed Prometheus, the Gateway API) or fleet features
 * (multi-cluster Services), and the object must wait for what installs it.
 */
export const crdInstalled: PreflightRule = {
  id: "crd-installed",
  summary: "objects of GKE-installed kinds wait for the cluster setting or fleet feature that installs the kind",
  check(ctx: CheckContext) {
    for (const r of ctx.graph.resources) {
      const kind = kindOf(r.type);
      const rule = kind ? KUBERNETES_KINDS[kind] : undefined;
      if (!rule || rule.installedBy.by === "builtin") continue;
      const source = rule.sources[0];
      const cluster = clusterOf(ctx.graph, r);
      if (!cluster) continue; // in-cluster reports it
      const clusterName = asString(cluster.inputs.name) ?? cluster.name;
      const installer = rule.installedBy;
      if (installer.by === "cluster") {
        if (installer.setting && at(cluster.inputs, installer.setting.path) !== installer.setting.equals) {
          ctx.report("error", r, `is a ${kind}, which cluster ${clusterName} installs only with ${installer.setting.path} = ${JSON.stringify(installer.setting.equals)}; it is ${JSON.stringify(at(cluster.inputs, installer.setting.path) ?? null)}, so the kind does not exist there. Set it on the cluster.`, source);
        }
        continue;
      }
      const feature = ctx.graph.ofType(FEATURE).find((f) => asString(f.inputs.name) === installer.feature);
      if (!feature) {
        ctx.report("error", r, `is a ${kind}, which only the fleet feature ${installer.feature} installs, and this stack does not enable it. Add the gkehub Feature "${installer.feature}".`, source);
        continue;
      }
      ctx.requireWait(r, [feature], `is a ${kind}, installed by the fleet feature ${installer.feature}`, "Make it depend on the feature.", source);
      const memberships = ctx.graph.ofType(MEMBERSHIP).filter((m) => (asString(at(m.inputs, "endpoint.gkeCluster.resourceLink")) ?? "").endsWith(`/clusters/${clusterName}`));
      if (memberships.length === 0) {
        ctx.report("error", r, `is a ${kind}, which ${installer.feature} installs only in fleet members, and cluster ${clusterName} has no gkehub Membership in this stack. Register the cluster in the fleet.`, source);
        continue;
      }
      ctx.requireWait(r, memberships, `is a ${kind}, installed once cluster ${clusterName} is a fleet member`, "Make it depend on the cluster's Membership.", source);
    }
  },
};
