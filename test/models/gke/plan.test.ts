import { beforeAll, describe, expect, it } from "vitest";
import { comparePlans } from "../../../infra/testing/compare";
import { renderInWorker } from "../../../infra/testing/fork";
import { ofType, type Plan, type PlannedResource } from "../../../infra/testing/plan";
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
  ]);
  [prod, dev, devAtPartial] = replies.slice(0, 3).map(planOf);
  noCluster = replies[3];
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
      expect(r.predictUrl).toBe(`http://${r.endpoint}/gemma-chat/v1/chat/completions`);
      expect(r.versions).toEqual({ "1.0.0": { deployedModelId: "gemma-chat-v1-0-0", percent: 100 } });
    }
    expect(models[MODEL]).toMatchObject({ platform: "gke", stable: "1.0.0", stageDescription: "stable only", released: { "1.0.0": "sha256:5f0ebe331b33fe95" } });
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
