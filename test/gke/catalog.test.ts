import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRegion } from "../../infra/common/regions";
import {
  AVAILABILITY_CHECKED,
  AVAILABILITY_SOURCES,
  GPU_CATALOG_CHECKED,
  GPU_TYPES,
  GPUS,
  type GpuType,
  TPU_CATALOG_CHECKED,
  TPU_VERSIONS,
  TPUS,
  type TpuVersion,
  ZONES,
  countsForMachine,
  defaultMachineType,
  gpuCounts,
  gpuShape,
  offeredZones,
  regionOfZone,
  topologyChips,
  tpuChipsOfMachine,
  tpuSlice,
} from "../../infra/gke/config/catalog";

// GIVEN an accelerator and a GPU count, THEN the default machine type is the catalog's shape.
const GPU_DEFAULTS: [GpuType, number, string][] = [
  ["nvidia-tesla-t4", 1, "n1-standard-8"],
  ["nvidia-tesla-t4", 2, "n1-standard-16"],
  ["nvidia-tesla-t4", 4, "n1-standard-32"],
  ["nvidia-l4", 1, "g2-standard-8"],
  ["nvidia-l4", 2, "g2-standard-24"],
  ["nvidia-l4", 4, "g2-standard-48"],
  ["nvidia-l4", 8, "g2-standard-96"],
  ["nvidia-tesla-a100", 1, "a2-highgpu-1g"],
  ["nvidia-tesla-a100", 2, "a2-highgpu-2g"],
  ["nvidia-tesla-a100", 4, "a2-highgpu-4g"],
  ["nvidia-tesla-a100", 8, "a2-highgpu-8g"],
  ["nvidia-tesla-a100", 16, "a2-megagpu-16g"],
  ["nvidia-a100-80gb", 1, "a2-ultragpu-1g"],
  ["nvidia-a100-80gb", 2, "a2-ultragpu-2g"],
  ["nvidia-a100-80gb", 4, "a2-ultragpu-4g"],
  ["nvidia-a100-80gb", 8, "a2-ultragpu-8g"],
  ["nvidia-h100-80gb", 1, "a3-highgpu-1g"],
  ["nvidia-h100-80gb", 2, "a3-highgpu-2g"],
  ["nvidia-h100-80gb", 4, "a3-highgpu-4g"],
  ["nvidia-h100-80gb", 8, "a3-highgpu-8g"],
  ["nvidia-h100-mega-80gb", 8, "a3-megagpu-8g"],
  ["nvidia-h200-141gb", 8, "a3-ultragpu-8g"],
];

describe("GPU shapes", () => {
  it.each(GPU_DEFAULTS)("%s × %i defaults to %s", (type, count, machine) => {
    expect(defaultMachineType(type, count)).toBe(machine);
    expect(gpuShape(type, machine, count)?.gpus).toBe(count);
  });

  it("offers exactly the counts above, and no others", () => {
    for (const type of GPU_TYPES) {
      expect(gpuCounts(type)).toEqual(GPU_DEFAULTS.filter(([t]) => t === type).map(([, n]) => n));
    }
  });

  it.each([
    ["nvidia-l4", "g2-standard-4", [1]],
    ["nvidia-l4", "g2-standard-32", [1]],
    ["nvidia-l4", "a2-highgpu-1g", []],
    ["nvidia-h100-80gb", "a3-highgpu-8g", [8]],
    ["nvidia-h100-80gb", "a3-megagpu-8g", []],
    ["nvidia-tesla-t4", "n1-standard-4", [1, 2, 4]],
    ["nvidia-tesla-t4", "n1-highmem-48", [1, 2, 4]],
    ["nvidia-tesla-t4", "n1-standard-64", [4]],
    ["nvidia-tesla-t4", "n1-standard-96", [4]],
    ["nvidia-tesla-t4", "n2-standard-8", []],
  ] as [GpuType, string, number[]][])("%s on %s: %j GPUs per node", (type, machine, counts) => {
    expect(countsForMachine(type, machine)).toEqual(counts);
  });

  it.each([
    ["nvidia-h100-80gb", "a3-highgpu-1g", 1, ["flex-start", "spot"]],
    ["nvidia-h100-80gb", "a3-highgpu-4g", 4, ["flex-start", "spot"]],
    ["nvidia-h100-80gb", "a3-highgpu-8g", 8, ["reservation", "on-demand", "flex-start", "spot"]],
    ["nvidia-h200-141gb", "a3-ultragpu-8g", 8, ["reservation", "flex-start", "spot"]],
    ["nvidia-tesla-t4", "n1-standard-8", 1, ["reservation", "on-demand", "spot"]],
    ["nvidia-l4", "g2-standard-8", 1, ["reservation", "on-demand", "flex-start", "spot"]],
  ] as [GpuType, string, number, string[]][])("%s %s is obtainable as %j", (type, machine, count, capacity) => {
    expect(gpuShape(type, machine, count)?.capacity).toEqual(capacity);
  });

  it("offers H100 Mega and H200 only as whole 8-GPU machines", () => {
    expect(gpuCounts("nvidia-h100-mega-80gb")).toEqual([8]);
    expect(gpuCounts("nvidia-h200-141gb")).toEqual([8]);
  });

  it("lists multi-instance partitions only for A100 and H100", () => {
    expect(GPU_TYPES.filter((t) => GPUS[t].migPartitions.length > 0)).toEqual(["nvidia-tesla-a100", "nvidia-a100-80gb", "nvidia-h100-80gb"]);
  });
});

// GIVEN a version, topology and host size, THEN the machine type and hosts per slice follow.
const TPU_SLICES: [TpuVersion, string, number | undefined, string, number, boolean][] = [
  ["v5e", "1x1", undefined, "ct5lp-hightpu-1t", 1, false],
  ["v5e", "2x2", undefined, "ct5lp-hightpu-4t", 1, false],
  ["v5e", "2x4", undefined, "ct5lp-hightpu-8t", 1, false],
  ["v5e", "2x4", 8, "ct5lp-hightpu-8t", 1, false],
  ["v5e", "2x4", 4, "ct5lp-hightpu-4t", 2, true],
  ["v5e", "4x4", undefined, "ct5lp-hightpu-4t", 4, true],
  ["v5e", "4x8", undefined, "ct5lp-hightpu-4t", 8, true],
  ["v5e", "8x8", undefined, "ct5lp-hightpu-4t", 16, true],
  ["v5e", "16x16", undefined, "ct5lp-hightpu-4t", 64, true],
  ["v5p", "2x2x1", undefined, "ct5p-hightpu-4t", 1, false],
  ["v5p", "2x2x2", undefined, "ct5p-hightpu-4t", 2, true],
  ["v5p", "2x2x4", undefined, "ct5p-hightpu-4t", 4, true],
  ["v5p", "4x4x4", undefined, "ct5p-hightpu-4t", 16, true],
  ["v5p", "16x16x24", undefined, "ct5p-hightpu-4t", 1536, true],
  ["v6e", "1x1", undefined, "ct6e-standard-1t", 1, false],
  ["v6e", "2x2", undefined, "ct6e-standard-4t", 1, false],
  ["v6e", "2x4", undefined, "ct6e-standard-8t", 1, false],
  ["v6e", "2x4", 4, "ct6e-standard-4t", 2, true],
  ["v6e", "8x16", undefined, "ct6e-standard-4t", 32, true],
];

describe("TPU slices", () => {
  it.each(TPU_SLICES)("%s %s with %s chips per node: %s × %i (multi-host %s)", (version, topology, perNode, machine, nodes, multiHost) => {
    expect(tpuSlice(version, topology, perNode)).toMatchObject({ machineType: machine, nodes, multiHost, chips: topologyChips(topology) });
  });

  it.each([
    ["v5e", "2x3", undefined],
    ["v5e", "2x2x2", undefined],
    ["v5p", "2x4", undefined],
    ["v5e", "4x4", 8],
    ["v5e", "2x2", 1],
    ["v6e", "toString", undefined],
  ] as [TpuVersion, string, number | undefined][])("has no %s %s slice with %s chips per node", (version, topology, perNode) => {
    expect(tpuSlice(version, topology, perNode)).toBeUndefined();
  });

  it("chips per node × nodes = the product of the topology's dimensions, for every slice offered", () => {
    const offered = fc.constantFrom(...TPU_VERSIONS).chain((version) =>
      fc.constantFrom(...Object.entries(TPUS[version].topologies)).chain(([topology, hosts]) => fc.constantFrom(...hosts).map((perNode) => ({ version, topology, perNode }))),
    );
    fc.assert(
      fc.property(offered, ({ version, topology, perNode }) => {
        const slice = tpuSlice(version, topology, perNode)!;
        const dims = topology.split("x").map(Number);
        expect(dims).toHaveLength(TPUS[version].dimensions);
        expect(slice.chipsPerNode * slice.nodes).toBe(dims.reduce((a, b) => a * b, 1));
        expect(Number.isInteger(slice.nodes) && slice.nodes >= 1).toBe(true);
        expect(slice.multiHost).toBe(slice.nodes > 1);
        expect(tpuChipsOfMachine(slice.machineType)).toEqual({ version, chips: perNode });
      }),
    );
  });

  it("derives no slice from a topology outside the catalog", () => {
    const topology = fc.array(fc.integer({ min: 1, max: 32 }), { minLength: 1, maxLength: 4 }).map((d) => d.join("x"));
    fc.assert(
      fc.property(fc.constantFrom(...TPU_VERSIONS), topology, (version, t) => {
        fc.pre(!Object.hasOwn(TPUS[version].topologies, t));
        expect(tpuSlice(version, t)).toBeUndefined();
      }),
    );
  });
});

describe("the availability table", () => {
  it("is dated and sourced", () => {
    for (const date of [AVAILABILITY_CHECKED, GPU_CATALOG_CHECKED, TPU_CATALOG_CHECKED]) expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const url of Object.values(AVAILABILITY_SOURCES)) expect(url).toMatch(/^https:\/\/cloud\.google\.com\//);
  });

  it("lists each accelerator in zones of known regions, each zone once", () => {
    for (const [accelerator, zones] of Object.entries(ZONES)) {
      expect(zones.length, accelerator).toBeGreaterThan(0);
      expect(new Set(zones).size, accelerator).toBe(zones.length);
      for (const zone of zones) expect(isRegion(regionOfZone(zone)), zone).toBe(true);
    }
  });

  it("answers per region", () => {
    expect(offeredZones("nvidia-h100-80gb", "europe-west2")).toEqual([]);
    expect(offeredZones("nvidia-l4", "us-central1")).toEqual(["us-central1-a", "us-central1-b", "us-central1-c"]);
    expect(offeredZones("tpu-v5e", "europe-west4")).toEqual(["europe-west4-b"]);
  });

  it("offers flex-start TPUs only in zones that offer the version", () => {
    for (const version of TPU_VERSIONS) for (const zone of TPUS[version].flexStartZones) expect(ZONES[`tpu-${version}`], zone).toContain(zone);
  });
});
