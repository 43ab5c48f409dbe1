import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { GPUS, TPUS } from "../../../infra/gke/config/catalog";
import { resolvePool } from "../../../infra/gke/config/resolve";
import type { PoolConfig } from "../../../infra/gke/config/schema";
import { machineShape, serverRequests } from "../../../infra/models/config/machines";
import { serverName } from "../../../infra/models/config/names";
import { choosePool } from "../../../infra/models/config/placement";
import { healthCheckPolicyObject } from "../../../infra/models/gke/routing";
import { type ServerArgs, autoscalerOf, deploymentOf, disruptionBudgetOf, weightsOf } from "../../../infra/models/gke/server";
import { versionSchema } from "../../../infra/models/config/schema";
import { manifestProblems } from "./manifests";

const pool = (name: string, cfg: Partial<PoolConfig>) => {
  const resolved = resolvePool("us-central1", name, { autoscaling: { min: 0, max: 2 }, capacity: ["on-demand"], workload: "serving", ...cfg } as PoolConfig);
  if (!resolved) throw new Error(`pool ${name} did not resolve`);
  return resolved;
};

const version = versionSchema.parse({
  artifactUri: "gemma-tpu/2.0.0/",
  image: `jetstream-maxtext@sha256:${"ab".repeat(32)}`,
  promptTemplate: "{instruction}",
  safety: { harmCategories: { hateSpeech: "HIGH" } },
  port: 9000,
  healthRoute: "/healthz",
});

const tpuServer = (): ServerArgs => {
  const p = pool("tpu", { tpu: { version: "v5e", topology: "2x2" }, capacity: ["spot"] });
  return {
    model: "gemma-tpu",
    version: "2.0.0",
    config: version,
    namespace: "gemma-tpu",
    image: `us-central1-docker.pkg.dev/p/r/${version.image}`,
    weights: weightsOf("gs://models-bucket/gemma-tpu/2.0.0/"),
    pool: p,
    machine: machineShape(p.machineType)!,
    count: 4,
    minReplicas: 1,
    maxReplicas: 3,
    queue: { metric: "jetstream_prefill_backlog_size", target: 10 },
    armorTemplate: "projects/p/locations/us-central1/templates/t",
    labels: { environment: "dev" },
  };
};

describe("server sizing", () => {
  const machines = [...Object.values(GPUS).flatMap((g) => g.shapes.map((s) => ({ machine: s.machineType, perNode: s.gpus }))), ...Object.values(TPUS).flatMap((t) => Object.entries(t.machines).map(([chips, machine]) => ({ machine, perNode: Number(chips) })))];

  it("knows the shape of every machine type the GKE catalog can give a pool", () => {
    expect(machines.filter((m) => !machineShape(m.machine)).map((m) => m.machine)).toEqual([]);
  });

  // GKE's reservations (https://cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes), then
  // DaemonSets (about 0.5 vCPU, 1 GiB) and the Cloud Storage FUSE sidecar (250m, 256Mi) per server.
  const allocatable = (vcpus: number, gib: number) => {
    const cpuReserved = 0.06 + 0.01 * Math.min(1, Math.max(0, vcpus - 1)) + 0.005 * Math.min(2, Math.max(0, vcpus - 2)) + 0.0025 * Math.max(0, vcpus - 4);
    const tiers: [number, number][] = [[4, 0.25], [4, 0.2], [8, 0.1], [112, 0.06], [Infinity, 0.02]];
    let left = gib;
    let memReserved = 0.1;
    for (const [size, rate] of tiers) {
      memReserved += Math.min(left, size) * rate;
      left = Math.max(0, left - size);
    }
    return { cpu: vcpus - cpuReserved - 0.5, memory: gib - memReserved - 1 };
  };

  it.each(machines)("requests fit what $machine leaves a pod, for a whole node and for one accelerator", ({ machine, perNode }) => {
    const shape = machineShape(machine)!;
    const free = allocatable(shape.vcpus, shape.memoryGib);
    for (const count of [1, perNode]) {
      const { cpu, memory } = serverRequests(shape, count, perNode);
      const cores = cpu.endsWith("m") ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu);
      expect(cores + 0.25).toBeLessThanOrEqual((free.cpu * count) / perNode + (count < perNode ? 0.25 : 0));
      expect(Number(memory.slice(0, -2)) + 0.25).toBeLessThanOrEqual((free.memory * count) / perNode + (count < perNode ? 0.25 : 0));
      // And not far below the share: the server's host memory stages weights.
      expect(Number(memory.slice(0, -2))).toBeGreaterThanOrEqual(((shape.memoryGib * 0.75) * count) / perNode - 3);
    }
  });
});

describe("placement", () => {
  const l4 = pool("l4", { accelerator: "nvidia-l4" });
  const l4Big = pool("l4-big", { accelerator: "nvidia-l4", count: 4 });
  const slice = pool("tpu-multi", { tpu: { version: "v5e", topology: "2x4", chipsPerNode: 4 } });

  it("takes the smallest node that fits, so a one-GPU model does not hold a four-GPU machine", () => {
    const placed = choosePool([l4Big, l4], { region: "us-central1", accelerator: "nvidia-l4", count: 1, machineType: "g2-standard-8" });
    expect(placed.ok && placed.pool.name).toBe("l4");
    const two = choosePool([l4Big, l4], { region: "us-central1", accelerator: "nvidia-l4", count: 2, machineType: "g2-standard-48" });
    expect(two.ok && two.pool.name).toBe("l4-big");
  });

  it("refuses a multi-host TPU slice, which one replica cannot span", () => {
    const placed = choosePool([slice], { region: "us-central1", accelerator: "tpu-v5-lite-podslice", count: 4, machineType: "ct5lp-hightpu-4t" });
    expect(placed).toMatchObject({ ok: false, field: "accelerator.count", message: expect.stringMatching(/a replica cannot span hosts/) });
  });
});

describe("names", () => {
  it("stay DNS labels of at most 63 characters, distinct for distinct versions", () => {
    const model = "a-model-name-of-forty-characters-long-xy";
    const names = ["1.0.0", "1.0.0-rc.1+build.very.long.metadata.that.goes.on", "1.0.0-rc.1+build.very.long.metadata.that.goes.on.2"].map((v) => serverName(model, v));
    for (const n of names) expect(n).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(new Set(names).size).toBe(3);
  });
});

describe("a TPU server", () => {
  it("requests every chip of its host, selects the slice's accelerator and topology, and validates", () => {
    const d = deploymentOf(tpuServer()) as any;
    const spec = d.spec.template.spec;
    expect(spec.containers[0].resources.requests["google.com/tpu"]).toBe("4");
    expect(spec.nodeSelector).toEqual({ "llmops-pool": "tpu", "cloud.google.com/gke-tpu-accelerator": "tpu-v5-lite-podslice", "cloud.google.com/gke-tpu-topology": "2x2" });
    expect(spec.tolerations).toContainEqual({ key: "google.com/tpu", operator: "Equal", value: "present", effect: "NoSchedule" });
    expect(spec.volumes[0].csi.volumeAttributes).toMatchObject({ bucketName: "models-bucket", mountOptions: expect.stringMatching(/^only-dir=gemma-tpu\/2\.0\.0,/) });
    for (const [type, object] of [
      ["kubernetes:apps/v1:Deployment", d],
      ["kubernetes:autoscaling/v2:HorizontalPodAutoscaler", autoscalerOf(tpuServer())],
      ["kubernetes:policy/v1:PodDisruptionBudget", disruptionBudgetOf(tpuServer())],
    ] as const) {
      expect(manifestProblems(type, object)).toEqual([]);
    }
  });
});

describe("the validators can fail", () => {
  it("rejects a Deployment whose port is not a number", () => {
    const d = deploymentOf(tpuServer()) as any;
    d.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(manifestProblems("kubernetes:apps/v1:Deployment", d).join()).toMatch(/containerPort must be integer/);
  });

  it("rejects a misspelt field of a custom resource, and a timeout longer than its interval", () => {
    const policy = healthCheckPolicyObject("x", "ns", 8000, "/health", {}) as any;
    expect(manifestProblems("kubernetes:networking.gke.io/v1:HealthCheckPolicy", { ...policy, spec: { ...policy.spec, targetRefs: policy.spec.targetRef } }).join()).toMatch(/targetRefs|Unrecognized/);
    policy.spec.default.timeoutSec = 30;
    expect(manifestProblems("kubernetes:networking.gke.io/v1:HealthCheckPolicy", policy).join()).toMatch(/timeoutSec must not exceed checkIntervalSec/);
  });

  it("rejects a label value Kubernetes would refuse, and a kind it has no validator for", () => {
    const d = deploymentOf(tpuServer()) as any;
    d.metadata.labels.model = "not valid!";
    expect(manifestProblems("kubernetes:apps/v1:Deployment", d).join()).toMatch(/metadata\.labels\.model: not a label value/);
    expect(manifestProblems("kubernetes:example.com/v1:Unknown", {})).toEqual([expect.stringMatching(/no validator/)]);
  });

  it("leaves misspelt fields of built-in and Gateway API kinds to the type checker", () => {
    // @ts-expect-error `replica` is not a field of a DeploymentSpec
    const spec: k8s.types.input.apps.v1.DeploymentSpec = { replica: 2, selector: {}, template: {} };
    // @ts-expect-error `weights` is not a field of a backend reference
    const route: IHTTPRoute = { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", spec: { rules: [{ backendRefs: [{ name: "x", weights: 1 }] }] } };
    expect([spec, route]).toHaveLength(2);
  });
});
