import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GCP_REGIONS } from "../../infra/common/regions";
import { computeClassSpec } from "../../infra/gke/compute-class";
import { findPool } from "../../infra/gke/config/find";
import { kubeconfig } from "../../infra/gke/kubeconfig";
import { type AcceleratorPoolArgs, nodePoolArgs } from "../../infra/gke/node-pool";
import { type ResolvedPool, resolvePool } from "../../infra/gke/config/resolve";
import { nodeAccountId, resolveClusters } from "../../infra/gke/config/resolve-cluster";
import { parseCidr } from "../../lib/cidr";
import { MAX_PLANNED_REGIONS, regionNetworkDefaults } from "../../infra/gke/config/rules/network";
import { type PoolConfig, gkeSchema, poolSchema } from "../../infra/gke/config/schema";

const pool = (input: Record<string, unknown>): PoolConfig => poolSchema.parse({ autoscaling: { min: 1, max: 4 }, ...input });
const resolve = (input: Record<string, unknown>, region = "us-central1", name = "p1"): ResolvedPool => {
  const resolved = resolvePool(region, name, pool(input));
  if (!resolved) throw new Error("did not resolve");
  return resolved;
};
const args = (p: ResolvedPool): AcceleratorPoolArgs => ({ project: "acme-llmops-prod", cluster: "llmops-prod-us-central1", pool: p, serviceAccount: "nodes@acme.iam.gserviceaccount.com", labels: { team: "ml" } });

describe("a GPU pool with defaults", () => {
  const p = resolve({ accelerator: "nvidia-l4" });

  it("derives machine type, zones and one on-demand node pool", () => {
    expect(p).toMatchObject({ kind: "gpu", accelerator: "nvidia-l4", machineType: "g2-standard-8", zones: ["us-central1-a", "us-central1-b", "us-central1-c"], capacity: ["on-demand"] });
    expect(p.computeClass).toBeUndefined();
    // min 1 over three zones: initialNodeCount is per zone, so starting 1 would start three nodes.
    expect(p.nodePools.map((n) => [n.name, n.minNodes, n.maxNodes, n.initialNodeCount])).toEqual([["p1-on-demand", 1, 4, 0]]);
  });

  it("renders guest accelerators with a GKE-managed driver, the taint and the labels", () => {
    const a = nodePoolArgs(args(p), p.nodePools[0]);
    expect(a.nodeConfig).toMatchObject({
      machineType: "g2-standard-8",
      imageType: "COS_CONTAINERD",
      guestAccelerators: [{ type: "nvidia-l4", count: 1, gpuDriverInstallationConfig: { gpuDriverVersion: "LATEST" } }],
      taints: [{ key: "nvidia.com/gpu", value: "present", effect: "NO_SCHEDULE" }],
      labels: { workload: "serving", "llmops-pool": "p1", "llmops-capacity": "on-demand" },
      resourceLabels: { team: "ml", workload: "serving", "llmops-pool": "p1", "llmops-capacity": "on-demand" },
      reservationAffinity: { consumeReservationType: "NO_RESERVATION" },
      workloadMetadataConfig: { mode: "GKE_METADATA" },
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
    });
    expect(a.management).toEqual({ autoUpgrade: true, autoRepair: true });
    expect(a.autoscaling).toEqual({ totalMinNodeCount: 1, totalMaxNodeCount: 4, locationPolicy: "ANY" });
    expect(a.upgradeSettings).toEqual({ strategy: "SURGE", maxSurge: 0, maxUnavailable: 1 });
    expect(a.nodeLocations).toEqual(["us-central1-a", "us-central1-b", "us-central1-c"]);
  });

  it("tells a workload how to land there", () => {
    expect(p.scheduling).toEqual({
      nodeSelector: { "llmops-pool": "p1", "cloud.google.com/gke-accelerator": "nvidia-l4" },
      tolerations: [{ key: "nvidia.com/gpu", operator: "Equal", value: "present", effect: "NoSchedule" }],
      resource: "nvidia.com/gpu",
      perNode: 1,
    });
  });
});

describe("a pool with several capacity options", () => {
  // GIVEN options out of order, THEN the ComputeClass tries them reservation → on-demand → spot.
  const p = resolve({ accelerator: "nvidia-l4", autoscaling: { min: 2, max: 6 }, capacity: ["spot", "reservation", "on-demand"], reservation: { name: "r1", zone: "us-central1-b" } });

  it("renders one node pool per option, the baseline on the most preferred", () => {
    expect(p.capacity).toEqual(["reservation", "on-demand", "spot"]);
    expect(p.nodePools.map((n) => [n.name, n.zones, n.minNodes, n.maxNodes, n.initialNodeCount])).toEqual([
      ["p1-reservation", ["us-central1-b"], 2, 6, 2],
      ["p1-on-demand", ["us-central1-a", "us-central1-b", "us-central1-c"], 0, 6, 0],
      ["p1-spot", ["us-central1-a", "us-central1-b", "us-central1-c"], 0, 6, 0],
    ]);
    expect([p.baseline, p.maximum]).toEqual([2, 18]);
  });

  it("consumes the reservation in its pool only, and marks spot", () => {
    const [reserved, onDemand, spot] = p.nodePools.map((n) => nodePoolArgs(args(p), n).nodeConfig as Record<string, unknown>);
    expect(reserved.reservationAffinity).toEqual({ consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: ["r1"] });
    expect(onDemand.reservationAffinity).toEqual({ consumeReservationType: "NO_RESERVATION" });
    expect([reserved.spot, onDemand.spot, spot.spot]).toEqual([undefined, undefined, true]);
  });

  it("puts the ComputeClass label and taint on every node pool, and selects the class", () => {
    for (const n of p.nodePools) {
      expect(n.labels["cloud.google.com/compute-class"]).toBe("p1");
      expect(n.taints).toContainEqual({ key: "cloud.google.com/compute-class", value: "p1", effect: "NO_SCHEDULE" });
    }
    expect(p.scheduling.nodeSelector).toEqual({ "cloud.google.com/compute-class": "p1", "cloud.google.com/gke-accelerator": "nvidia-l4" });
    expect(p.scheduling.tolerations.map((t) => t.key)).toEqual(["nvidia.com/gpu", "cloud.google.com/compute-class"]);
  });

  it("writes the ComputeClass priorities in that order, with nothing outside them", () => {
    expect(computeClassSpec(p)).toEqual({
      priorities: [{ nodepools: ["p1-reservation"] }, { nodepools: ["p1-on-demand"] }, { nodepools: ["p1-spot"] }],
      nodePoolAutoCreation: { enabled: false },
      whenUnsatisfiable: "DoNotScaleUp",
      activeMigration: { optimizeRulePriority: true },
    });
  });

  it("names a reservation of another project by its path", () => {
    const shared = resolve({ accelerator: "nvidia-l4", capacity: ["reservation"], reservation: { name: "r1", project: "acme-res", zone: "us-central1-a" } });
    expect((nodePoolArgs(args(shared), shared.nodePools[0]).nodeConfig as Record<string, any>).reservationAffinity.values).toEqual(["projects/acme-res/reservations/r1"]);
  });
});

describe("flex-start pools", () => {
  it("scale from zero, are not auto-repaired, and run at most maxRunHours", () => {
    const p = resolve({ accelerator: "nvidia-h100-80gb", count: 8, workload: "batch", autoscaling: { min: 0, max: 2 }, capacity: ["flex-start"], flexStart: { maxRunHours: 24 } });
    const a = nodePoolArgs(args(p), p.nodePools[0]);
    expect(p.machineType).toBe("a3-highgpu-8g");
    expect(a.management).toEqual({ autoUpgrade: true, autoRepair: false });
    expect(a.nodeConfig).toMatchObject({ flexStart: true, maxRunDuration: "86400s", reservationAffinity: { consumeReservationType: "NO_RESERVATION" } });
    expect(a.autoscaling).toMatchObject({ totalMinNodeCount: 0, locationPolicy: "ANY" });
    expect(a.queuedProvisioning).toBeUndefined();
    expect(a.upgradeSettings).toBeUndefined();
  });

  it("turn on queued provisioning when asked", () => {
    const p = resolve({ accelerator: "nvidia-a100-80gb", workload: "batch", autoscaling: { min: 0, max: 2 }, capacity: ["flex-start"], flexStart: { queued: true } });
    expect(nodePoolArgs(args(p), p.nodePools[0]).queuedProvisioning).toEqual({ enabled: true });
  });
});

describe("GPU sharing and placement", () => {
  it("renders time-sharing on MIG partitions, and selects them", () => {
    const p = resolve({ accelerator: "nvidia-a100-80gb", sharing: { partition: "1g.10gb", strategy: "time-sharing", maxClientsPerGpu: 3 } }, "europe-west4");
    expect((nodePoolArgs(args(p), p.nodePools[0]).nodeConfig as Record<string, any>).guestAccelerators[0]).toMatchObject({
      gpuPartitionSize: "1g.10gb",
      gpuSharingConfig: { gpuSharingStrategy: "TIME_SHARING", maxSharedClientsPerGpu: 3 },
    });
    expect(p.scheduling.nodeSelector).toMatchObject({ "cloud.google.com/gke-gpu-sharing-strategy": "time-sharing", "cloud.google.com/gke-max-shared-clients-per-gpu": "3", "cloud.google.com/gke-gpu-partition-size": "1g.10gb" });
  });

  it("places a compact GPU pool in its one zone", () => {
    const p = resolve({ accelerator: "nvidia-h100-80gb", count: 8, compactPlacement: true, zones: ["us-central1-a"] });
    expect(nodePoolArgs(args(p), p.nodePools[0])).toMatchObject({ placementPolicy: { type: "COMPACT" }, nodeLocations: ["us-central1-a"] });
  });

  it("never starts more nodes than the baseline (initialNodeCount is per zone), spreading it over zones", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 12 }), (min, extra) => {
        const max = min + extra - 1 || 1;
        fc.pre(min <= max);
        const p = resolve({ accelerator: "nvidia-l4", autoscaling: { min, max } });
        const started = p.nodePools[0].initialNodeCount * p.zones.length;
        expect(started).toBeLessThanOrEqual(min);
        expect(started).toBeGreaterThan(min - p.zones.length);
      }),
    );
  });
});

describe("TPU pools", () => {
  it("renders a single-host slice as one autoscaled pool without a placement policy", () => {
    const p = resolve({ tpu: { version: "v5e", topology: "2x4" }, autoscaling: { min: 1, max: 3 } });
    expect(p).toMatchObject({ kind: "tpu", accelerator: "tpu-v5-lite-podslice", machineType: "ct5lp-hightpu-8t", zones: ["us-central1-a"] });
    expect(p.nodePools.map((n) => [n.name, n.minNodes, n.maxNodes, n.placement])).toEqual([["p1-on-demand", 1, 3, undefined]]);
    const a = nodePoolArgs(args(p), p.nodePools[0]);
    expect(a.nodeConfig).toMatchObject({ machineType: "ct5lp-hightpu-8t", taints: [{ key: "google.com/tpu", value: "present", effect: "NO_SCHEDULE" }] });
    expect((a.nodeConfig as Record<string, unknown>).guestAccelerators).toBeUndefined();
    expect(p.scheduling).toMatchObject({ resource: "google.com/tpu", perNode: 8, nodeSelector: { "cloud.google.com/gke-tpu-accelerator": "tpu-v5-lite-podslice", "cloud.google.com/gke-tpu-topology": "2x4" } });
  });

  it("renders a multi-host slice per node pool, compact with its topology, the baseline slices full", () => {
    const p = resolve({ tpu: { version: "v5p", topology: "2x2x4" }, workload: "batch", autoscaling: { min: 1, max: 3 }, capacity: ["spot"] }, "us-east5");
    expect(p.nodePools.map((n) => [n.name, n.minNodes, n.maxNodes, n.initialNodeCount, n.placement])).toEqual([
      ["p1-spot-s0", 4, 4, 4, { type: "COMPACT", tpuTopology: "2x2x4" }],
      ["p1-spot-s1", 0, 4, 0, { type: "COMPACT", tpuTopology: "2x2x4" }],
      ["p1-spot-s2", 0, 4, 0, { type: "COMPACT", tpuTopology: "2x2x4" }],
    ]);
    expect([p.baseline, p.maximum]).toEqual([16, 48]);
    expect(nodePoolArgs(args(p), p.nodePools[0]).upgradeSettings).toBeUndefined();
  });

  it("counts nodes in whole slices for any slice size", () => {
    fc.assert(
      fc.property(fc.constantFrom("2x4", "4x4", "4x8", "8x8"), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 }), (topology, min, max) => {
        fc.pre(min <= max);
        const p = resolve({ tpu: { version: "v6e", topology, chipsPerNode: 4 }, autoscaling: { min, max } });
        const hosts = p.tpu!.nodes;
        for (const n of p.nodePools) {
          expect(n.maxNodes % hosts).toBe(0);
          expect(n.minNodes % hosts).toBe(0);
        }
        expect(p.maximum).toBe(max * p.tpu!.chips);
      }),
    );
  });
});

describe("finding the pool for a model", () => {
  const gke = gkeSchema.parse({
    maxAccelerators: 100,
    clusters: {
      "us-central1": {
        pools: {
          "l4-one": { accelerator: "nvidia-l4", autoscaling: { min: 1, max: 2 } },
          "l4-four": { accelerator: "nvidia-l4", count: 4, autoscaling: { min: 1, max: 2 } },
          "l4-batch": { accelerator: "nvidia-l4", workload: "batch", autoscaling: { min: 0, max: 2 } },
          tpu: { tpu: { version: "v5e", topology: "2x4" }, autoscaling: { min: 1, max: 1 } },
        },
      },
    },
  });
  const clusters = resolveClusters(gke, { environment: "prod", regions: ["us-central1"] });

  it.each([
    [{ region: "us-central1", accelerator: "nvidia-l4" }, "l4-one"],
    [{ region: "us-central1", accelerator: "nvidia-l4", count: 2 }, "l4-four"],
    [{ region: "us-central1", accelerator: "nvidia-l4", workload: "batch" as const }, "l4-batch"],
    [{ region: "us-central1", accelerator: "v5e", count: 8 }, "tpu"],
    [{ region: "us-central1", accelerator: "tpu-v5-lite-podslice", topology: "2x4" }, "tpu"],
    [{ region: "us-central1", accelerator: "nvidia-l4", count: 8 }, undefined],
    [{ region: "europe-west4", accelerator: "nvidia-l4" }, undefined],
    [{ region: "us-central1", accelerator: "v5e", topology: "4x4" }, undefined],
  ])("%j → %s", (query, expected) => {
    expect(findPool(clusters, query)?.name).toBe(expected);
  });
});

describe("clusters", () => {
  const gke = gkeSchema.parse({ maxAccelerators: 4, clusters: { "europe-west4": {}, "us-central1": { network: { existing: { network: "shared", subnetwork: "s", podsRange: "p", servicesRange: "v", project: "acme-host" } } } } });
  const [primary, second] = resolveClusters(gke, { environment: "prod", regions: ["us-central1", "europe-west4"] });

  it("come in llmops:regions order, named per environment and region", () => {
    expect([primary.name, second.name]).toEqual(["llmops-prod-us-central1", "llmops-prod-europe-west4"]);
  });

  it("default the network ranges, maintenance window and system pool", () => {
    // The second region of llmops:regions: the next ranges of the stack VPC's plan.
    expect(second.network).toEqual({ kind: "created", nodes: "10.0.16.0/20", pods: "10.16.0.0/14", services: "10.8.16.0/20" });
    expect(second.controlPlane).toBe("172.16.0.16/28");
    expect(primary.controlPlane).toBe("172.16.0.0/28");
    expect(second.maintenance).toEqual({ startTime: "2025-01-04T02:00:00Z", endTime: "2025-01-04T08:00:00Z", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU" });
    expect(second.system).toEqual({ machineType: "e2-standard-4", minNodes: 3, maxNodes: 6 });
    expect(primary.network).toMatchObject({ kind: "existing", network: "shared", project: "acme-host" });
  });

  it("keep explicit ranges over the region's defaults", () => {
    const custom = gkeSchema.parse({ maxAccelerators: 4, clusters: { "europe-west4": { network: { nodes: "10.64.0.0/20", controlPlane: "172.16.1.0/28" } } } });
    const [only] = resolveClusters(custom, { environment: "prod", regions: ["us-central1", "europe-west4"] });
    expect(only.network).toEqual({ kind: "created", nodes: "10.64.0.0/20", pods: "10.16.0.0/14", services: "10.8.16.0/20" });
    expect(only.controlPlane).toBe("172.16.1.0/28");
  });

  it("plan ranges per region that never overlap, the first region's unchanged", () => {
    expect(regionNetworkDefaults(0)).toEqual({ nodes: "10.0.0.0/20", pods: "10.4.0.0/14", services: "10.8.0.0/20", controlPlane: "172.16.0.0/28" });
    const all = Array.from({ length: MAX_PLANNED_REGIONS }, (_, i) => Object.values(regionNetworkDefaults(i))).flat();
    const parsed = all.map((c) => parseCidr(c)!);
    expect(parsed.every(Boolean)).toBe(true);
    for (const [i, a] of parsed.entries()) for (const b of parsed.slice(i + 1)) expect(a.first > b.last || b.first > a.last).toBe(true);
    expect(() => regionNetworkDefaults(MAX_PLANNED_REGIONS)).toThrow(/no default network ranges/);
  });

  it("give every region and environment a distinct node account id within 30 characters", () => {
    const ids = new Set<string>();
    for (const region of GCP_REGIONS) {
      for (const env of ["dev", "staging", "prod"]) {
        const id = nodeAccountId(region, env);
        expect(id).toMatch(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/);
        ids.add(id);
      }
    }
    expect(ids.size).toBe(GCP_REGIONS.length * 3);
    expect(nodeAccountId("us-central1", "prod")).toBe("llmops-gke-us-central1-prod");
  });

  it("reach the API through gke-gcloud-auth-plugin, with no credential in the kubeconfig", () => {
    const config = JSON.parse(kubeconfig({ name: "c", endpoint: "34.1.2.3", caCertificate: "Q0E=" }));
    expect(config.clusters[0].cluster).toEqual({ server: "https://34.1.2.3", "certificate-authority-data": "Q0E=" });
    expect(config.users[0].user).toEqual({ exec: expect.objectContaining({ command: "gke-gcloud-auth-plugin", apiVersion: "client.authentication.k8s.io/v1beta1" }) });
    expect(JSON.stringify(config)).not.toMatch(/token|password|client-key/);
  });
});

describe("the schema", () => {
  it("lists the fields of every object alphabetically", () => {
    const shapes = [poolSchema.shape, gkeSchema.shape, gkeSchema.shape.clusters.valueType.shape, gkeSchema.shape.clusters.valueType.shape.network.unwrap().shape];
    for (const shape of shapes) {
      const keys = Object.keys(shape);
      expect(keys).toEqual([...keys].sort());
    }
  });
});
