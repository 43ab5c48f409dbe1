import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../infra/settings";
import { committedConfig } from "../helpers/project";

const REGIONS = ["us-central1", "europe-west4", "europe-west2"];

/** A prod stack whose `llmops:gke` is `gke`; `overrides` replace or (undefined) drop other keys. */
function config(gke: unknown, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const flat: Record<string, string | undefined> = {
    "gcp:project": "acme-llmops-prod",
    "llmops:environment": "prod",
    "llmops:regions": JSON.stringify(REGIONS),
    "llmops:gke": JSON.stringify(gke),
    ...overrides,
  };
  return Object.fromEntries(Object.entries(flat).filter((e): e is [string, string] => e[1] !== undefined));
}

/** `llmops:gke` with one pool in one region, cap 64. */
const onePool = (pool: Record<string, unknown>, region = "us-central1", extra: Record<string, unknown> = {}) => ({
  maxAccelerators: 64,
  clusters: { [region]: { pools: { p1: { autoscaling: { min: 1, max: 2 }, ...pool } } } },
  ...extra,
});

const L4 = { accelerator: "nvidia-l4" };

/**
 * The problems with `llmops:gke`. Other capabilities have prod rules of their own (alert channels,
 * SLOs) that these minimal stacks do not meet; this file is about the GKE key.
 */
function gkeProblems(flat: Record<string, string>, stack = "prod") {
  const result = parseStackConfig(flat, stack);
  return result.ok ? [] : result.problems.filter((p) => p.key.startsWith("llmops:gke"));
}
const POOL = "llmops:gke.clusters.us-central1.pools.p1";

// Each case: the llmops:gke value (or full config), the key path the message must name, words it must contain.
const BAD: [string, Record<string, string>, string, RegExp][] = [
  ["an H100 in a region that has none", config(onePool({ accelerator: "nvidia-h100-80gb", count: 8 }, "europe-west2")), "llmops:gke.clusters.europe-west2.pools.p1.accelerator", /nvidia-h100-80gb is not offered in europe-west2 \(availability checked \d{4}-\d{2}-\d{2}, https:.*\); allowed: a region offering it \(.*europe-west4.*\), or in europe-west2: nvidia-tesla-t4, nvidia-l4/],
  ["a TPU version in a region that has none", config(onePool({ tpu: { version: "v5p", topology: "2x2x1" }, workload: "batch" }, "europe-west2")), "llmops:gke.clusters.europe-west2.pools.p1.tpu.version", /tpu-v5p is not offered in europe-west2/],
  ["a TPU topology that does not exist", config(onePool({ tpu: { version: "v5e", topology: "2x3" } })), `${POOL}.tpu.topology`, /"2x3" is not a v5e topology; allowed: 1x1, 2x2, 2x4, 4x4, 4x8, 8x8, 8x16, 16x16/],
  ["a 2-D topology for v5p", config(onePool({ tpu: { version: "v5p", topology: "2x4" } })), `${POOL}.tpu.topology`, /v5p topologies are 3-D \(AxBxC\), not "2x4"; allowed: 2x2x1/],
  ["a host size the topology does not offer", config(onePool({ tpu: { version: "v5e", topology: "4x4", chipsPerNode: 8 } })), `${POOL}.tpu.chipsPerNode`, /built from 4-chip nodes, not 8; allowed: 4/],
  ["a malformed topology", config(onePool({ tpu: { version: "v5e", topology: "two-by-four" } })), `${POOL}.tpu.topology`, /expected a topology such as 2x4/],
  ["min above max", config(onePool({ ...L4, autoscaling: { min: 3, max: 2 } })), `${POOL}.autoscaling.min`, /min 3 is above max 2; allowed: min ≤ max/],
  ["flex-start with spot", config(onePool({ ...L4, capacity: ["on-demand", "flex-start", "spot"] })), `${POOL}.capacity`, /flex-start and spot exclude each other/],
  ["flex-start without scaling from zero", config(onePool({ ...L4, workload: "batch", capacity: ["flex-start"], autoscaling: { min: 1, max: 2 } })), `${POOL}.autoscaling.min`, /flex-start pools scale from zero, not from 1; allowed: min 0/],
  ["compact placement over several zones (default)", config(onePool({ accelerator: "nvidia-a100-80gb", compactPlacement: true })), `${POOL}.compactPlacement`, /compact placement needs a single zone, and us-central1 offers nvidia-a100-80gb in 2 zones; allowed: zones: \[one of us-central1-a, us-central1-c\]/],
  ["compact placement over listed zones", config(onePool({ ...L4, compactPlacement: true, zones: ["us-central1-a", "us-central1-b"] })), `${POOL}.compactPlacement`, /needs a single zone, and 2 zones are listed/],
  ["compact placement on N1", config(onePool({ accelerator: "nvidia-tesla-t4", compactPlacement: true, zones: ["us-central1-a"] })), `${POOL}.compactPlacement`, /not offered for N1 machines/],
  ["a GPU partition on a GPU without MIG", config(onePool({ ...L4, sharing: { partition: "1g.5gb" } })), `${POOL}.sharing.partition`, /nvidia-l4 has no multi-instance GPU partitions; allowed: a partition on nvidia-tesla-a100, nvidia-a100-80gb, nvidia-h100-80gb/],
  ["a partition the GPU does not have", config(onePool({ accelerator: "nvidia-a100-80gb", sharing: { partition: "1g.5gb" } })), `${POOL}.sharing.partition`, /"1g.5gb" is not a partition of nvidia-a100-80gb; allowed: 1g.10gb/],
  ["MPS on partitions", config(onePool({ accelerator: "nvidia-tesla-a100", sharing: { partition: "1g.5gb", strategy: "mps", maxClientsPerGpu: 2 } })), `${POOL}.sharing.strategy`, /MPS does not run on multi-instance GPU partitions/],
  ["a sharing strategy without a client count", config(onePool({ ...L4, sharing: { strategy: "time-sharing" } })), `${POOL}.sharing.maxClientsPerGpu`, /needs the number of containers per GPU; allowed: 2 to 48/],
  ["a machine type that does not carry the accelerator", config(onePool({ ...L4, machineType: "a2-highgpu-1g" })), `${POOL}.machineType`, /a2-highgpu-1g does not carry nvidia-l4; allowed: g2-standard-8 \(1\)/],
  ["a machine type with another GPU count", config(onePool({ ...L4, count: 2, machineType: "g2-standard-8" })), `${POOL}.machineType`, /g2-standard-8 carries 1 × nvidia-l4, not 2; allowed with count 2: g2-standard-24 \(2\)/],
  ["an N1 machine too big for one T4", config(onePool({ accelerator: "nvidia-tesla-t4", count: 1, machineType: "n1-standard-64" })), `${POOL}.machineType`, /n1-standard-64 carries 4 × nvidia-tesla-t4, not 1/],
  ["a GPU count the accelerator lacks", config(onePool({ accelerator: "nvidia-tesla-a100", count: 3 })), `${POOL}.count`, /nvidia-tesla-a100 comes with 1, 2, 4, 8, 16 GPUs per node, not 3/],
  ["a small A3 shape on demand", config(onePool({ accelerator: "nvidia-h100-80gb", count: 1 })), `${POOL}.capacity[0]`, /a3-highgpu-1g \(1 × nvidia-h100-80gb\) is not offered as on-demand; allowed: flex-start, spot/],
  ["an H200 on demand", config(onePool({ accelerator: "nvidia-h200-141gb" })), `${POOL}.capacity[0]`, /a3-ultragpu-8g .* is not offered as on-demand; allowed: reservation, flex-start, spot/],
  ["an unknown accelerator", config(onePool({ accelerator: "nvidia-h101" })), `${POOL}.accelerator`, /"nvidia-h101" is not allowed.*; allowed: nvidia-tesla-t4, nvidia-l4, .*nvidia-h200-141gb/],
  ["a pool with neither GPU nor TPU", config(onePool({})), POOL, /a pool needs an accelerator or a tpu/],
  ["a pool with both GPU and TPU", config(onePool({ ...L4, tpu: { version: "v5e", topology: "2x4" } })), `${POOL}.tpu`, /exclude each other/],
  ["a machine type on a TPU pool", config(onePool({ tpu: { version: "v5e", topology: "2x4" }, machineType: "ct5lp-hightpu-8t" })), `${POOL}.machineType`, /applies to GPU pools; TPU pools derive it from tpu.topology/],
  ["the cap exceeded in a region", config({ maxAccelerators: 8, clusters: { "us-central1": { pools: { p1: { ...L4, autoscaling: { min: 1, max: 4 }, capacity: ["on-demand", "spot"] }, p2: { ...L4, autoscaling: { min: 1, max: 1 } } } } } }), "llmops:gke.clusters.us-central1.pools", /the pools of us-central1 can reach 9 accelerators: p1 8 \(2 node pool\(s\) of 4 nodes × 1 nvidia-l4\), p2 1 .*; allowed: at most 8 \(llmops:gke.maxAccelerators\)/],
  ["a prod serving pool on spot alone", config(onePool({ ...L4, capacity: ["spot"] })), `${POOL}.capacity`, /a prod serving pool cannot run on spot VMs alone.*; allowed: add reservation or on-demand/],
  ["a prod serving pool that scales to zero", config(onePool({ ...L4, autoscaling: { min: 0, max: 2 } })), `${POOL}.autoscaling.min`, /keeps at least one node warm.*allowed: min ≥ 1/],
  ["a cluster outside llmops:regions", config(onePool(L4, "us-east4")), "llmops:gke.clusters.us-east4", /us-east4 is not one of the stack's serving regions; allowed: us-central1, europe-west4, europe-west2 \(llmops:regions\)/],
  ["a misspelled region", config(onePool(L4, "us-centrall")), "llmops:gke.clusters.us-centrall", /is not a Google Cloud region \(did you mean "us-central1"\?\)/],
  ["a misspelled pool key", config(onePool({ acelerator: "nvidia-l4" })), `${POOL}.acelerator`, /unknown key; did you mean "llmops:gke.clusters.us-central1.pools.p1.accelerator"\? allowed: accelerator, autoscaling/],
  ["a misspelled top-level key", config({ ...onePool(L4), maxAccelerator: 3 }), "llmops:gke.maxAccelerator", /did you mean "llmops:gke.maxAccelerators"/],
  ["no cap", config({ clusters: {} }), "llmops:gke.maxAccelerators", /missing; expected a number/],
  ["a reservation option without a reservation", config(onePool({ ...L4, capacity: ["reservation", "on-demand"] })), `${POOL}.reservation`, /capacity lists reservation but names none/],
  ["a reservation in a zone without the GPU", config(onePool({ ...L4, capacity: ["reservation"], reservation: { name: "r1", zone: "us-central1-f" } })), `${POOL}.reservation.zone`, /us-central1-f does not offer nvidia-l4/],
  ["a reservation never consumed", config(onePool({ ...L4, reservation: { name: "r1", zone: "us-central1-a" } })), `${POOL}.reservation`, /only consumed by the reservation option/],
  ["flexStart settings without flex-start", config(onePool({ ...L4, flexStart: { maxRunHours: 4 } })), `${POOL}.flexStart`, /apply to the flex-start option/],
  ["queued provisioning among fallbacks", config(onePool({ ...L4, workload: "batch", autoscaling: { min: 0, max: 2 }, capacity: ["on-demand", "flex-start"], flexStart: { queued: true } })), `${POOL}.flexStart.queued`, /cannot be one of several capacity options/],
  ["queued provisioning for serving", config(onePool({ ...L4, autoscaling: { min: 0, max: 2 }, capacity: ["flex-start"], flexStart: { queued: true } }), { "llmops:environment": "dev" }), `${POOL}.flexStart.queued`, /for batch work; allowed: workload: batch/],
  ["flex-start TPUs outside their zones", config(onePool({ tpu: { version: "v5e", topology: "2x4" }, workload: "batch", autoscaling: { min: 0, max: 1 }, capacity: ["flex-start"] }, "europe-west4")), "llmops:gke.clusters.europe-west4.pools.p1.capacity[0]", /flex-start TPU v5e is not offered in europe-west4-b.*allowed: zones us-central1-a, us-west4-a/],
  ["a TPU slice over two zones", config(onePool({ tpu: { version: "v6e", topology: "2x4" }, zones: ["us-central1-b", "us-central1-b"] })), `${POOL}.zones`, /a TPU slice lives in one zone, not 2/],
  ["a zone without the GPU", config(onePool({ ...L4, zones: ["us-central1-f"] })), `${POOL}.zones[0]`, /us-central1-f does not offer nvidia-l4 .*; allowed: us-central1-a, us-central1-b, us-central1-c/],
  ["a zone of another region", config(onePool({ ...L4, zones: ["europe-west4-a"] })), `${POOL}.zones[0]`, /europe-west4-a is not a zone of us-central1/],
  ["an invalid pool name", config({ maxAccelerators: 4, clusters: { "us-central1": { pools: { L4: { ...L4, autoscaling: { min: 1, max: 1 } } } } } }), "llmops:gke.clusters.us-central1.pools.L4", /pool name "L4" is invalid/],
  ["a maintenance window too short", config(onePool(L4, "us-central1", { maintenance: { days: ["SU"], start: "03:00", durationHours: 4 } })), "llmops:gke.maintenance", /under 48 hours of maintenance in 32 days; allowed: days × durationHours ≥ 12/],
  ["overlapping network ranges", config({ maxAccelerators: 4, clusters: { "us-central1": { network: { nodes: "10.4.0.0/20" } } } }), "llmops:gke.clusters.us-central1.network.pods", /10.4.0.0\/14 overlaps nodes/],
  ["a control plane range that is not a /28", config({ maxAccelerators: 4, clusters: { "us-central1": { network: { controlPlane: "172.16.0.0/24" } } } }), "llmops:gke.clusters.us-central1.network.controlPlane", /needs a \/28/],
  ["a misaligned range", config({ maxAccelerators: 4, clusters: { "us-central1": { network: { nodes: "10.0.0.1/20" } } } }), "llmops:gke.clusters.us-central1.network.nodes", /not a network range/],
  ["ranges for an existing network", config({ maxAccelerators: 4, clusters: { "us-central1": { network: { nodes: "10.0.0.0/20", existing: { network: "n", subnetwork: "s", podsRange: "p", servicesRange: "v" } } } } }), "llmops:gke.clusters.us-central1.network.nodes", /an existing network brings its own ranges/],
  [
    "explicit ranges overlapping another region's on the stack's VPC",
    config({ maxAccelerators: 4, clusters: { "us-central1": {}, "europe-west4": { network: { nodes: "10.0.0.0/20", pods: "10.32.0.0/14", services: "10.9.0.0/20" } } } }),
    "llmops:gke.clusters.europe-west4.network.nodes",
    /10.0.0.0\/20 overlaps the nodes range of us-central1 \(10.0.0.0\/20\) on the same VPC; allowed: a range apart from every nodes, pods, services and control plane range/,
  ],
  [
    "a default range overlapping another region's explicit one",
    config({ maxAccelerators: 4, clusters: { "us-central1": { network: { pods: "10.16.0.0/14" } }, "europe-west4": {} } }),
    "llmops:gke.clusters.europe-west4.network.pods",
    /10.16.0.0\/14 overlaps the pods range of us-central1 \(10.16.0.0\/14\) on the same VPC \(10.16.0.0\/14 is the default of the region at position 2 of llmops:regions\)/,
  ],
  [
    "control planes overlapping on one existing network",
    config({
      maxAccelerators: 4,
      clusters: {
        "us-central1": { network: { existing: { network: "shared", subnetwork: "a", podsRange: "p", servicesRange: "v" } } },
        "europe-west4": { network: { controlPlane: "172.16.0.0/28", existing: { network: "shared", subnetwork: "b", podsRange: "p", servicesRange: "v" } } },
      },
    }),
    "llmops:gke.clusters.europe-west4.network.controlPlane",
    /172.16.0.0\/28 overlaps the controlPlane range of us-central1/,
  ],
  ["an empty front-door allowlist", config(onePool(L4, "us-central1", { frontDoor: { allowedSourceRanges: [] } })), "llmops:gke.frontDoor.allowedSourceRanges", /list at least one caller range/],
  ["a misaligned front-door range", config(onePool(L4, "us-central1", { frontDoor: { allowedSourceRanges: ["203.0.113.7/24"] } })), "llmops:gke.frontDoor.allowedSourceRanges[0]", /not a network range/],
  ["the whole internet at prod's front door", config(onePool(L4, "us-central1", { frontDoor: { allowedSourceRanges: ["203.0.113.0/24", "0.0.0.0/0"] } })), "llmops:gke.frontDoor.allowedSourceRanges[1]", /0.0.0.0\/0 admits the whole internet to prod's GPUs; allowed:/],
  ["a front-door domain that is no host name", config(onePool(L4, "us-central1", { frontDoor: { allowedSourceRanges: ["203.0.113.0/24"], domain: "https://models" } })), "llmops:gke.frontDoor.domain", /expected a fully qualified host name/],
  ["a system pool with min above max", config({ maxAccelerators: 4, clusters: { "us-central1": { system: { minNodes: 4, maxNodes: 2 } } } }), "llmops:gke.clusters.us-central1.system.minNodes", /minNodes 4 is above maxNodes 2/],
];

describe("bad llmops:gke", () => {
  it.each(BAD)("rejects %s, naming the file and key", (_what, flat, key, message) => {
    const found = gkeProblems(flat);
    const match = found.find((p) => p.key === key);
    expect(match, `problems were: ${JSON.stringify(found, null, 1)}`).toBeDefined();
    expect(match!.file).toBe("Pulumi.prod.yaml");
    expect(match!.message).toMatch(message);
    expect(match!.message).toMatch(/allowed|expected|missing|did you mean/);
  });

  it("reports every problem at once, across pools and regions", () => {
    const gke = {
      maxAccelerators: 64,
      clusters: {
        "europe-west2": { pools: { big: { accelerator: "nvidia-h100-80gb", count: 8, autoscaling: { min: 1, max: 1 } } } },
        "us-central1": { pools: { tpu: { tpu: { version: "v5e", topology: "3x3" }, autoscaling: { min: 1, max: 1 } }, l4: { ...L4, autoscaling: { min: 2, max: 1 } } } },
      },
    };
    expect(gkeProblems(config(gke)).map((p) => p.key).sort()).toEqual([
      "llmops:gke.clusters.europe-west2.pools.big.accelerator",
      "llmops:gke.clusters.us-central1.pools.l4.autoscaling.min",
      "llmops:gke.clusters.us-central1.pools.tpu.tpu.topology",
    ]);
  });

  it("applies a region's own cap over the default", () => {
    const gke = onePool({ ...L4, autoscaling: { min: 1, max: 3 } }, "us-central1");
    (gke.clusters["us-central1"] as Record<string, unknown>).maxAccelerators = 2;
    expect(gkeProblems(config(gke))).toEqual([
      { file: "Pulumi.prod.yaml", key: "llmops:gke.clusters.us-central1.pools", message: expect.stringMatching(/can reach 3 accelerators.*allowed: at most 2 \(maxAccelerators\)/) },
    ]);
  });
});

describe("good llmops:gke", () => {
  it.each(["dev", "prod"])("the committed %s stack's llmops:gke validates", (stack) => {
    expect(gkeProblems(committedConfig(stack), stack)).toEqual([]);
  });

  it.each([
    ["dev may scale serving to zero on spot", onePool({ ...L4, autoscaling: { min: 0, max: 2 }, capacity: ["spot"] }), "dev"],
    ["flex-start behind on-demand holds a baseline", onePool({ ...L4, capacity: ["on-demand", "flex-start"], autoscaling: { min: 1, max: 2 } }), "prod"],
    ["a shared reservation in one zone", onePool({ ...L4, capacity: ["reservation"], reservation: { name: "r1", project: "acme-shared-res", zone: "us-central1-a" } }), "prod"],
    ["an H100 batch pool on flex-start, compact in one zone", onePool({ accelerator: "nvidia-h100-80gb", count: 8, workload: "batch", capacity: ["flex-start"], autoscaling: { min: 0, max: 2 }, compactPlacement: true, zones: ["us-central1-a"] }), "prod"],
    ["queued provisioning for batch", onePool({ accelerator: "nvidia-h100-80gb", count: 8, workload: "batch", capacity: ["flex-start"], flexStart: { queued: true }, autoscaling: { min: 0, max: 4 } }), "prod"],
    ["time-sharing on an L4", onePool({ ...L4, sharing: { strategy: "time-sharing", maxClientsPerGpu: 4 } }), "prod"],
    ["a 3-D v5p slice", onePool({ tpu: { version: "v5p", topology: "2x2x2" }, workload: "batch", autoscaling: { min: 0, max: 1 }, capacity: ["spot"] }), "prod"],
    ["0.0.0.0/0 at dev's front door", onePool(L4, "us-central1", { frontDoor: { allowedSourceRanges: ["0.0.0.0/0"] } }), "dev"],
    ["two regions on the stack's VPC with explicit ranges apart", { maxAccelerators: 4, clusters: { "us-central1": {}, "europe-west4": { network: { nodes: "10.64.0.0/20", pods: "10.68.0.0/14", services: "10.72.0.0/20" } } } }, "prod"],
    ["T4s on any N1 machine within the vCPU limit", onePool({ accelerator: "nvidia-tesla-t4", machineType: "n1-highmem-16" }), "prod"],
  ])("accepts %s", (_what, gke, environment) => {
    expect(gkeProblems(config(gke, { "llmops:environment": environment }))).toEqual([]);
  });

  it("leaves llmops:gke optional", () => {
    const result = parseStackConfig(config(undefined, { "llmops:gke": undefined, "llmops:environment": "dev" }), "dev");
    expect(result.ok ? result.settings.gke : result.problems).toBeUndefined();
  });
});
