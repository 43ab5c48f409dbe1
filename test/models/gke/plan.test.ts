import { beforeAll, describe, expect, it } from "vitest";
import { comparePlans } from "../../../infra/testing/compare";
import { renderInWorker } from "../../../infra/testing/fork";
import { ofType, type Plan, type PlannedResource } from "../../../lib/plan";
import type { WorkerReply } from "../../../infra/testing/worker";
import { ROOT, committedConfig } from "../../helpers/project";
import { manifestProblems } from "./manifests";

const MODEL = "gemma-chat";
const T = {
  deployment: "kubernetes:apps/v1:Deployment",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  route: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  gateway: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  nodePool: "gcp:container/nodePool:NodePool",
} as const;

let prod: Plan;
let dev: Plan;
let devAtPartial: Plan;
let noCluster: WorkerReply;
let openProd: WorkerReply;

/** The prod stack's config with `edit` applied to its parsed `llmops:gke`. */
function prodGkeWith(edit: (gke: Record<string, any>) => void): Record<string, string> {
  const flat = committedConfig("prod");
  const gke = JSON.parse(flat["llmops:gke"]);
  edit(gke);
  return { ...flat, "llmops:gke": JSON.stringify(gke) };
}

/** The dev stack's config with `edit` applied to the parsed `llmops:` keys it names. */
function devWith(edit: (c: Record<string, any>) => void): Record<string, string> {
  const flat = committedConfig("dev");
  const keys = ["llmops:models", "llmops:regions"] as const;
  const parsed: Record<string, any> = Object.fromEntries(keys.map((k) => [k, JSON.parse(flat[k])]));
  edit(parsed);
  return { ...flat, ...Object.fromEntries(keys.map((k) => [k, JSON.stringify(parsed[k])])) };
}

const planOf = (reply: WorkerReply): Plan => {
  if (!reply.ok) throw new Error(`render failed: ${JSON.stringify(reply)}`);
  return reply.plan;
};

beforeAll(async () => {
  // One worker per render: the Pulumi runtime is process-global.
  const replies = await Promise.all([
    renderInWorker({ dir: ROOT, stack: "prod" }),
    renderInWorker({ dir: ROOT, stack: "dev" }),
    renderInWorker({ dir: ROOT, stack: "dev", config: devWith((c) => (c["llmops:models"][MODEL].rollout.stage = "partial")) }),
    renderInWorker({
      dir: ROOT,
      stack: "dev",
      config: devWith((c) => {
        c["llmops:regions"] = ["us-central1", "europe-west4"];
        c["llmops:models"][MODEL].serving.regions = ["us-central1", "europe-west4"];
      }),
    }),
    // The internet at prod's front door, and europe-west4 moved off the stack's VPC.
    renderInWorker({
      dir: ROOT,
      stack: "prod",
      config: prodGkeWith((gke) => {
        gke.frontDoor.allowedSourceRanges = ["0.0.0.0/0"];
        gke.clusters["europe-west4"].network = { existing: { project: "acme-net-host", network: "shared", subnetwork: "gke-euw4", podsRange: "pods", servicesRange: "services" } };
      }),
    }),
  ]);
  [prod, dev, devAtPartial] = replies.slice(0, 3).map(planOf);
  [noCluster, openProd] = replies.slice(3);
});

const inputs = (r: PlannedResource) => r.inputs as Record<string, any>;
const servers = (plan: Plan) => ofType(plan, T.deployment).filter((d) => inputs(d).metadata.labels?.model === MODEL);
const regionOf = (r: PlannedResource) => /-(us-central1|europe-west4)-/.exec(r.name)?.[1];
const named = (plan: Plan, type: string, name: string) => {
  const found = plan.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} ${name} in ${plan.stack}`);
  return inputs(found);
};

describe("the GKE-served model in the prod plan", () => {
  it("runs one Deployment of the stable version per region, with its pinned image and weights", () => {
    expect(servers(prod).map((d) => [regionOf(d), inputs(d).metadata.name]).sort()).toEqual([
      ["europe-west4", "gemma-chat-v1-0-0"],
      ["us-central1", "gemma-chat-v1-0-0"],
    ]);
    for (const d of servers(prod)) {
      const pod = inputs(d).spec.template;
      const [server] = pod.spec.containers;
      expect(server.image).toMatch(/^us-central1-docker\.pkg\.dev\/acme-llmops-prod\/llmops-images-prod\/vllm-openai@sha256:[a-f0-9]{64}$/);
      expect(server.args).toContain("--model=/gcs/model");
      expect(pod.metadata.annotations["gke-gcsfuse/volumes"]).toBe("true");
      expect(pod.spec.volumes[0].csi).toEqual({
        driver: "gcsfuse.csi.storage.gke.io",
        readOnly: true,
        volumeAttributes: expect.objectContaining({ bucketName: "acme-llmops-prod-prod-models", mountOptions: expect.stringMatching(/^only-dir=gemma-chat\/1\.0\.0,/) }),
      });
      expect(pod.spec.serviceAccountName).toBe("model-server");
      expect(inputs(d).spec.replicas).toBeUndefined();
    }
  });

  it("requests the pool's accelerator and tolerates every taint of the node pools its selector matches", () => {
    for (const d of servers(prod)) {
      const spec = inputs(d).spec.template.spec;
      const region = regionOf(d);
      expect(spec.containers[0].resources.requests["nvidia.com/gpu"]).toBe("1");
      expect(spec.containers[0].resources.limits["nvidia.com/gpu"]).toBe("1");
      const pools = ofType(prod, T.nodePool).filter((p) => {
        const node = inputs(p).nodeConfig;
        return (
          inputs(p).location === region &&
          node.guestAccelerators?.[0]?.type === spec.nodeSelector["cloud.google.com/gke-accelerator"] &&
          Object.entries(spec.nodeSelector).every(([k, v]) => k === "cloud.google.com/gke-accelerator" || node.labels?.[k] === v)
        );
      });
      expect(pools.map((p) => inputs(p).name).sort()).toEqual(region === "us-central1" ? ["l4-serving-on-demand", "l4-serving-reservation", "l4-serving-spot"] : ["l4-serving-on-demand"]);
      for (const pool of pools) {
        expect(inputs(pool).nodeConfig.machineType).toBe("g2-standard-12");
        for (const taint of inputs(pool).nodeConfig.taints) {
          expect(spec.tolerations).toContainEqual({ key: taint.key, operator: "Equal", value: taint.value, effect: "NoSchedule" });
        }
      }
    }
  });

  it("probes the health route, giving large weights 30 minutes to load", () => {
    for (const d of servers(prod)) {
      const c = inputs(d).spec.template.spec.containers[0];
      for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe.httpGet).toEqual({ path: "/health", port: "http" });
      expect(c.startupProbe.failureThreshold * c.startupProbe.periodSeconds).toBeGreaterThanOrEqual(1800);
    }
  });

  it("autoscales each version between the model's bounds on vLLM's queue, and drains one replica at a time", () => {
    for (const region of ["us-central1", "europe-west4"]) {
      const hpa = named(prod, T.hpa, `model-${MODEL}-${region}-1-0-0-autoscaler`);
      expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "gemma-chat-v1-0-0" }, minReplicas: 2, maxReplicas: 4 });
      expect(hpa.spec.metrics).toEqual([{ type: "Pods", pods: { metric: { name: "prometheus.googleapis.com|vllm:num_requests_waiting|gauge" }, target: { type: "AverageValue", averageValue: "5" } } }]);
      const pdb = named(prod, T.pdb, `model-${MODEL}-${region}-1-0-0-budget`);
      expect(pdb.spec).toMatchObject({ maxUnavailable: 1, selector: named(prod, T.deployment, `model-${MODEL}-${region}-1-0-0`).spec.selector });
    }
  });

  it("binds the servers' Kubernetes account to the serving account through Workload Identity", () => {
    const account = named(prod, "kubernetes:core/v1:ServiceAccount", `model-${MODEL}-us-central1-account`);
    expect(account.metadata.annotations["iam.gke.io/gcp-service-account"]).toBe("llmops-serving-prod@acme-llmops-prod.iam.gserviceaccount.com");
    expect(named(prod, "gcp:serviceaccount/iAMMember:IAMMember", `model-${MODEL}-workload-identity`)).toEqual({
      serviceAccountId: "projects/acme-llmops-prod/serviceAccounts/llmops-serving-prod@acme-llmops-prod.iam.gserviceaccount.com",
      role: "roles/iam.workloadIdentityUser",
      member: "serviceAccount:acme-llmops-prod.svc.id.goog[gemma-chat/model-server]",
    });
  });

  it("mounts the version's prompt template, safety settings and regional Model Armor template", () => {
    const data = named(prod, "kubernetes:core/v1:ConfigMap", `model-${MODEL}-europe-west4-1-0-0-config`).data;
    expect(data["prompt-template"]).toContain("{instruction}");
    expect(JSON.parse(data["safety.json"])).toMatchObject({ enforcement: "INSPECT_AND_BLOCK", harmCategories: { dangerousContent: "MEDIUM_AND_ABOVE" } });
    expect(data["model-armor-template"]).toBe("projects/acme-llmops-prod/locations/europe-west4/templates/llmops-gemma-chat-1-0-0");
    expect(named(prod, "gcp:modelarmor/template:Template", `model-${MODEL}-safety-1.0.0-europe-west4`).templateId).toBe("llmops-gemma-chat-1-0-0");
  });

  it("has one global front door: fleet memberships, both features, a reserved address and a -mc Gateway", () => {
    expect(ofType(prod, "gcp:gkehub/membership:Membership").map((m) => inputs(m).endpoint.gkeCluster.resourceLink).sort()).toEqual([
      "//container.googleapis.com/projects/acme-llmops-prod/locations/europe-west4/clusters/llmops-prod-europe-west4",
      "//container.googleapis.com/projects/acme-llmops-prod/locations/us-central1/clusters/llmops-prod-us-central1",
    ]);
    expect(named(prod, "gcp:gkehub/feature:Feature", "models-gke-front-door-mcs").name).toBe("multiclusterservicediscovery");
    expect(named(prod, "gcp:gkehub/feature:Feature", "models-gke-front-door-mcg").spec).toEqual({ multiclusteringress: { configMembership: "projects/acme-llmops-prod/locations/us-central1/memberships/llmops-prod-us-central1" } });
    const [gateway] = ofType(prod, T.gateway).map(inputs);
    expect(gateway.spec).toMatchObject({ gatewayClassName: "gke-l7-global-external-managed-mc", addresses: [{ type: "NamedAddress", value: "llmops-models-prod" }] });
    expect(named(prod, "gcp:compute/globalAddress:GlobalAddress", "models-gke-front-door-address")).toMatchObject({ name: "llmops-models-prod", addressType: "EXTERNAL" });
    for (const region of ["us-central1", "europe-west4"]) {
      expect(named(prod, "kubernetes:net.gke.io/v1:ServiceExport", `model-${MODEL}-${region}-1-0-0-export`).metadata).toMatchObject({ name: "gemma-chat-v1-0-0", namespace: "gemma-chat" });
    }
    expect(named(prod, "kubernetes:networking.gke.io/v1:HealthCheckPolicy", `model-${MODEL}-1-0-0-health`).spec.default.config).toEqual({ type: "HTTP", httpHealthCheck: { port: 8000, requestPath: "/health" } });
  });

  it("exports the model like a Vertex-served one, every region answering at the front door's address", () => {
    const models = prod.outputs.models as Record<string, any>;
    expect(Object.keys(models[MODEL]).sort()).toEqual(Object.keys(models["support-assistant"]).sort());
    for (const region of ["us-central1", "europe-west4"]) {
      const r = models[MODEL].regions[region];
      expect(Object.keys(r).sort()).toEqual(Object.keys(models["support-assistant"].regions[region]).sort());
      expect(r.endpoint).toMatch(/^34\.\d+\.\d+\.\d+$/);
      // prod has a domain: callers use HTTPS on it (its DNS record points at the address).
      expect(r.predictUrl).toBe("https://models.acme.example/gemma-chat/v1/chat/completions");
      expect(r.versions).toEqual({ "1.0.0": { deployedModelId: "gemma-chat-v1-0-0", percent: 100 } });
    }
    expect(models[MODEL]).toMatchObject({ platform: "gke", stable: "1.0.0", stageDescription: "stable only", released: { "1.0.0": "sha256:5f0ebe331b33fe95" } });
  });
});

const ARMOR = "gcp:compute/securityPolicy:SecurityPolicy";
const BACKEND_POLICY = "kubernetes:networking.gke.io/v1:GCPBackendPolicy";

describe("the front door denies by default", () => {
  it.each([
    ["dev", ["203.0.113.0/28", "198.51.100.64/27"]],
    ["prod", ["203.0.113.0/28", "198.51.100.64/27", "192.0.2.32/29"]],
  ])("%s: a Cloud Armor policy answers 403 to everyone but the configured ranges", (stack, ranges) => {
    const plan = stack === "prod" ? prod : dev;
    const policies = ofType(plan, ARMOR);
    expect(policies.map((p) => [p.name, inputs(p).name, inputs(p).type])).toEqual([["models-gke-front-door-armor", `llmops-models-${stack}`, "CLOUD_ARMOR"]]);
    const rules = inputs(policies[0]).rules as any[];
    const last = rules.find((r) => r.priority === 2147483647);
    expect(last).toMatchObject({ action: "deny(403)", match: { versionedExpr: "SRC_IPS_V1", config: { srcIpRanges: ["*"] } } });
    const allows = rules.filter((r) => r.action === "allow");
    expect(allows.flatMap((r) => r.match.config.srcIpRanges)).toEqual(ranges);
    expect(allows.every((r) => r.priority < last.priority && r.match.versionedExpr === "SRC_IPS_V1")).toBe(true);
    // Nothing else: every rule is the default deny or an allow of a configured range.
    expect(rules).toHaveLength(allows.length + 1);
  });

  it.each(["dev", "prod"])("%s: every model backend's GCPBackendPolicy attaches the policy", (stack) => {
    const plan = stack === "prod" ? prod : dev;
    const backends = plan.resources.filter((r) => r.type === BACKEND_POLICY);
    const imports = new Set(inputs(ofType(plan, T.route)[0]).spec.rules[0].backendRefs.map((b: any) => b.name));
    expect(backends.map((b) => inputs(b).spec.targetRef.name).sort()).toEqual([...imports].sort());
    for (const b of backends) {
      expect(inputs(b).spec.default.securityPolicy).toBe(`llmops-models-${stack}`);
      expect(b.options.dependsOn).toContainEqual(expect.stringMatching(/::models-gke-front-door-armor$/));
    }
  });

  it("prod: HTTPS on the domain with a Google-managed certificate from the Gateway's certificate map, HTTP redirected", () => {
    expect(named(prod, "gcp:certificatemanager/certificate:Certificate", "models-gke-front-door-certificate")).toMatchObject({ name: "llmops-models-prod", scope: "DEFAULT", managed: { domains: ["models.acme.example"] } });
    expect(named(prod, "gcp:certificatemanager/certificateMap:CertificateMap", "models-gke-front-door-certificate-map")).toMatchObject({ name: "llmops-models-prod" });
    expect(named(prod, "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", "models-gke-front-door-certificate-map-entry")).toMatchObject({
      map: "llmops-models-prod",
      hostname: "models.acme.example",
      certificates: ["projects/acme-llmops-prod/locations/global/certificates/llmops-models-prod"],
    });
    const gateway = named(prod, T.gateway, "models-gke-front-door-gateway");
    expect(gateway.metadata.annotations).toEqual({ "networking.gke.io/certmap": "llmops-models-prod" });
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.protocol, l.port, l.allowedRoutes.namespaces.from])).toEqual([
      ["http", "HTTP", 80, "Same"],
      ["https", "HTTPS", 443, "Selector"],
    ]);
    const redirect = named(prod, T.route, "models-gke-front-door-https-redirect");
    expect(redirect.metadata.namespace).toBe("llmops-gateway");
    expect(redirect.spec.parentRefs[0].sectionName).toBe("http");
    expect(redirect.spec.rules).toEqual([{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }]);
    expect(named(prod, T.route, `model-${MODEL}-route`).spec.parentRefs[0].sectionName).toBe("https");
  });

  it("dev: no domain, so HTTP on 80 only behind the allowlist, no certificate", () => {
    expect(dev.resources.filter((r) => r.type.startsWith("gcp:certificatemanager/"))).toEqual([]);
    const gateway = named(dev, T.gateway, "models-gke-front-door-gateway");
    expect(gateway.metadata.annotations).toBeUndefined();
    expect(gateway.spec.listeners.map((l: any) => [l.name, l.protocol, l.port])).toEqual([["http", "HTTP", 80]]);
    expect(named(dev, T.route, `model-${MODEL}-route`).spec.parentRefs[0].sectionName).toBe("http");
    const r = (dev.outputs.models as any)[MODEL].regions["us-central1"];
    expect(r.predictUrl).toBe(`http://${r.endpoint}/gemma-chat/v1/chat/completions`);
  });

  it("prod refuses 0.0.0.0/0 and a model's regions on two networks, by file and key", () => {
    expect(openProd.ok).toBe(false);
    const problems = "problems" in openProd ? openProd.problems.map((p) => `${p.file}: ${p.key}: ${p.message}`) : [];
    expect(problems).toContainEqual(expect.stringMatching(/^Pulumi\.prod\.yaml: llmops:gke\.frontDoor\.allowedSourceRanges\[0\]: 0\.0\.0\.0\/0 admits the whole internet/));
    expect(problems).toContainEqual(
      expect.stringMatching(/^Pulumi\.prod\.yaml: llmops:gke\.clusters\.europe-west4\.network\.existing\.network: gemma-chat is served in us-central1 \(the stack's network\) and europe-west4 \(network shared of acme-net-host\).*one VPC only/),
    );
  });
});

describe("the HTTPRoute follows the rollout stage", () => {
  const backends = (plan: Plan) => inputs(ofType(plan, T.route)[0]).spec.rules[0].backendRefs;

  it("sends all prod traffic to the stable version's ServiceImport, and splits dev's 90/10 at canary", () => {
    expect(backends(prod)).toEqual([{ group: "net.gke.io", kind: "ServiceImport", name: "gemma-chat-v1-0-0", port: 8000, weight: 100 }]);
    expect(backends(dev).map((b: any) => [b.name, b.weight])).toEqual([
      ["gemma-chat-v1-0-0", 90],
      ["gemma-chat-v1-1-0", 10],
    ]);
    expect(servers(dev).map((d) => inputs(d).spec.template.spec.nodeSelector)).toEqual([
      { "llmops-pool": "l4", "cloud.google.com/gke-accelerator": "nvidia-l4" },
      { "llmops-pool": "l4", "cloud.google.com/gke-accelerator": "nvidia-l4" },
    ]);
  });

  it("moves weights only after every deployed version's Deployment in every region, which the Kubernetes provider awaits until ready", () => {
    for (const plan of [dev, prod, devAtPartial]) {
      const route = plan.resources.find((r) => r.type === T.route && r.name === `model-${MODEL}-route`)!;
      const deployments = servers(plan);
      expect(deployments.length).toBeGreaterThanOrEqual(2);
      expect(route.options.dependsOn).toEqual(expect.arrayContaining(deployments.map((d) => d.urn)));
      expect(route.dependencies).toEqual(expect.arrayContaining(deployments.map((d) => d.urn)));
      // pulumi.com/skipAwait would let the route go first.
      for (const d of deployments) expect(inputs(d).metadata.annotations?.["pulumi.com/skipAwait"]).toBeUndefined();
    }
    expect(new Set(servers(prod).map(regionOf))).toEqual(new Set(["us-central1", "europe-west4"]));
  });

  it("changes only the two weights when dev moves to partial", () => {
    const changes = comparePlans(dev, devAtPartial);
    expect(changes.map((c) => [c.urn.split("::").pop(), c.path, c.before, c.after])).toEqual([
      ["model-gemma-chat-route", "inputs.spec.rules[0].backendRefs[0].weight", 90, 50],
      ["model-gemma-chat-route", "inputs.spec.rules[0].backendRefs[1].weight", 10, 50],
    ]);
    expect((devAtPartial.outputs.models as any)[MODEL].regions["us-central1"].trafficSplit).toEqual({ "gemma-chat-v1-0-0": 50, "gemma-chat-v1-1-0": 50 });
  });
});

describe("every Kubernetes object", () => {
  it.each(["prod", "dev"])("of the %s plan validates", (stack) => {
    const plan = stack === "prod" ? prod : dev;
    const objects = plan.resources.filter((r) => r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
    expect(objects.length).toBeGreaterThan(30);
    expect(objects.flatMap((r) => manifestProblems(r.type, r.inputs).map((p) => `${r.type} ${r.name}: ${p}`))).toEqual([]);
  });
});

describe("a GKE-served model in a region without a cluster", () => {
  it("stops the render with a file-and-key error", () => {
    expect(noCluster.ok).toBe(false);
    const problems = "problems" in noCluster ? noCluster.problems.map((p) => `${p.file}: ${p.key}: ${p.message}`) : [];
    expect(problems).toContainEqual(expect.stringMatching(/^Pulumi\.dev\.yaml: llmops:models\.gemma-chat\.serving\.regions\[1\]: no GKE cluster in europe-west4 to serve gemma-chat on; allowed: .*us-central1/));
  });
});
