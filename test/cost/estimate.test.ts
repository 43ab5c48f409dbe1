import { describe, expect, it } from "vitest";
import { type CostResource, type PriceCatalog, budgetOf, checkBudget, committedCatalog, estimateCost, parseBudget } from "../../policies/cost";
import { priceUsd as catalogPrice } from "../../policies/cost/catalog";

const CATALOG = committedCatalog();
const rate = (item: string, region: string, mode: "on-demand" | "spot" = "on-demand") => catalogPrice(CATALOG.items[item].prices[region][mode]!);
const month = (units: number, usdPerHour: number) => Math.round(units * usdPerHour * 730 * 100) / 100;

const STACK = "urn:pulumi:prod::llmops::";
function res(type: string, name: string, inputs: Record<string, unknown>, parent: string | null = null): CostResource {
  return { urn: `${STACK}${type}::${name}`, type, name, inputs, parent };
}

function pool(name: string, over: { region?: string; machine?: string; gpu?: { type: string; count: number } | null; min?: number; max?: number; capacity?: "spot" | "reservation" | "flex-start"; group?: string; nodeLocations?: string[]; autoscaling?: Record<string, unknown>; tpuTopology?: string } = {}): CostResource {
  const region = over.region ?? "us-central1";
  const gpu = over.gpu === undefined ? { type: "nvidia-l4", count: 1 } : over.gpu;
  return res("gcp:container/nodePool:NodePool", name, {
    cluster: `llmops-prod-${region}`,
    location: region,
    nodeLocations: over.nodeLocations ?? [`${region}-a`],
    autoscaling: over.autoscaling ?? { totalMinNodeCount: over.min ?? 1, totalMaxNodeCount: over.max ?? 4 },
    ...(over.tpuTopology && { placementPolicy: { tpuTopology: over.tpuTopology, type: "COMPACT" } }),
    ...(over.capacity === "flex-start" && { queuedProvisioning: { enabled: true } }),
    nodeConfig: {
      machineType: over.machine ?? "g2-standard-12",
      ...(gpu && { guestAccelerators: [{ type: gpu.type, count: gpu.count }] }),
      ...(over.capacity === "spot" && { spot: true }),
      ...(over.capacity === "reservation" && { reservationAffinity: { consumeReservationType: "SPECIFIC_RESERVATION", key: "compute.googleapis.com/reservation-name", values: ["r"] } }),
      ...(over.capacity === "flex-start" && { flexStart: true }),
      labels: { "llmops-pool": over.group ?? "l4-serving" },
    },
  });
}

const VERTEX_MODEL = `${STACK}llmops:models:Models$llmops:models:VertexModel::model-support-assistant`;
function deployment(region: string, deployed: { version: string; min: number; max: number; machine?: string; accelerator?: string | null }[]): CostResource {
  return res(
    "pulumi-nodejs:dynamic/vertex:EndpointDeployment",
    `model-support-assistant-${region}-deployment`,
    {
      region,
      deployments: deployed.map((d) => ({
        displayName: `support-assistant-${d.version}`,
        machineType: d.machine ?? "g2-standard-12",
        ...(d.accelerator !== null && { acceleratorType: d.accelerator ?? "NVIDIA_L4", acceleratorCount: 1 }),
        minReplicas: d.min,
        maxReplicas: d.max,
      })),
    },
    VERTEX_MODEL,
  );
}

/** A model server on a GKE pool, with its autoscaler, as GkeModel renders them. */
function server(region: string, version: string, minReplicas: number, pool = "l4-serving", model = "gemma-chat"): CostResource[] {
  const name = `model-${model}-${region}-${version}`;
  const meta = { name: `${model}-v${version}`, namespace: model, labels: { model } };
  return [
    res("kubernetes:apps/v1:Deployment", name, { metadata: meta, spec: { template: { metadata: { labels: { model } }, spec: { nodeSelector: { "llmops-pool": pool }, containers: [{ resources: { requests: { "nvidia.com/gpu": "1" }, limits: { "nvidia.com/gpu": "1" } } }] } } } }),
    res("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", `${name}-autoscaler`, { metadata: { namespace: model }, spec: { minReplicas, maxReplicas: 4, scaleTargetRef: { kind: "Deployment", name: meta.name } } }),
  ];
}

const cost = (resources: CostResource[], outputs?: Record<string, unknown>) => estimateCost({ stack: "prod", resources, outputs }, CATALOG);
const line = (c: ReturnType<typeof cost>, key: string) => {
  const found = c.lines.find((l) => l.key === key);
  if (!found) throw new Error(`no line ${key}; lines: ${c.lines.map((l) => l.key).join(", ")}`);
  return found;
};

describe("GKE node pools", () => {
  it("cost nodes × the machine's rate × 730 hours, at the minimum and the maximum, with the catalog's date", () => {
    const c = cost([pool("gke-us-central1-l4", { min: 2, max: 8 })]);
    const r = rate("compute/machine/g2-standard-12", "us-central1");
    const l = line(c, "gke gke-us-central1-l4");
    expect(l).toMatchObject({ platform: "gke", region: "us-central1", machineType: "g2-standard-12", accelerator: { type: "nvidia-l4", count: 1 }, capacity: "on-demand", units: { baseline: 2, worstCase: 8 }, usdPerHour: r, asOf: "2026-07-30", unpriced: null });
    expect(l.monthly).toEqual({ baseline: month(2, r), worstCase: month(8, r) });
    expect([c.baselineMonthlyUsd, c.worstCaseMonthlyUsd, c.complete]).toEqual([month(2, r), month(8, r), { baseline: true, worstCase: true }]);
    expect(c.catalog.asOf).toBe("2026-07-30");
  });

  it("price each capacity mode as declared: spot at spot rates; reservations and flex-start at the on-demand rate, saying why", () => {
    const c = cost([pool("spot", { capacity: "spot" }), pool("reserved", { capacity: "reservation" }), pool("flex", { capacity: "flex-start" })]);
    expect(line(c, "gke spot").usdPerHour).toBe(rate("compute/machine/g2-standard-12", "us-central1", "spot"));
    expect(line(c, "gke spot").pricedAs).toBe("spot");
    expect(line(c, "gke reserved").usdPerHour).toBe(rate("compute/machine/g2-standard-12", "us-central1"));
    expect(line(c, "gke reserved").pricedAs).toMatch(/^on-demand rate: a reservation is billed at on-demand rates for every reserved VM, in use or not/);
    expect(line(c, "gke flex").usdPerHour).toBe(rate("compute/machine/g2-standard-12", "us-central1"));
    expect(line(c, "gke flex").pricedAs).toMatch(/^on-demand rate, an upper bound: the catalog has no flex-start \(Dynamic Workload Scheduler\) price/);
  });

  it("raise the baseline to what the pinned model servers need at their minimum replicas, in the ComputeClass's order", () => {
    const resources = [
      pool("gke-us-central1-l4-serving-reservation", { capacity: "reservation", min: 1, max: 2 }),
      pool("gke-us-central1-l4-serving-on-demand", { min: 0, max: 8 }),
      pool("gke-us-central1-l4-serving-spot", { capacity: "spot", min: 0, max: 8 }),
      // Stable and candidate: 2 + 3 replicas of one L4 each need five nodes.
      ...server("us-central1", "1-0-0", 2),
      ...server("us-central1", "1-1-0", 3),
    ];
    const c = cost(resources);
    expect(line(c, "gke gke-us-central1-l4-serving-reservation").units.baseline).toBe(2);
    expect(line(c, "gke gke-us-central1-l4-serving-on-demand").units.baseline).toBe(3);
    expect(line(c, "gke gke-us-central1-l4-serving-spot").units.baseline).toBe(0);
    expect(line(c, "gke gke-us-central1-l4-serving-on-demand").note).toMatch(/baseline 3 rather than the minimum 0: the model servers pinned to pool l4-serving need 5 node\(s\)/);
    expect(line(c, "gke gke-us-central1-l4-serving-on-demand").models).toEqual(["gemma-chat"]);
    // Servers in another region or on another pool do not count.
    const elsewhere = cost([pool("p", { min: 0, max: 4 }), ...server("europe-west4", "1-0-0", 2), ...server("us-central1", "1-0-0", 2, "other")]);
    expect(line(elsewhere, "gke p").units.baseline).toBe(0);
    expect(line(elsewhere, "gke p").models).toEqual([]);
  });

  it("read per-zone bounds times the zones, and a pool without a maximum as unbounded (an incomplete worst case)", () => {
    const perZone = cost([pool("z", { autoscaling: { minNodeCount: 1, maxNodeCount: 2 }, nodeLocations: ["us-central1-a", "us-central1-b", "us-central1-c"] })]);
    expect(line(perZone, "gke z").units).toEqual({ baseline: 3, worstCase: 6 });
    const open = cost([pool("open", { autoscaling: { totalMinNodeCount: 1 } })]);
    expect(line(open, "gke open").units.worstCase).toBeNull();
    expect(line(open, "gke open").monthly.worstCase).toBeNull();
    expect(line(open, "gke open").unpriced).toBe("no upper bound: the worst case cannot be priced");
    expect(open.complete).toEqual({ baseline: true, worstCase: false });
  });

  it("leave out what the catalog has no price for, saying so with its date: TPU chips, GPUs attached to N1, unknown regions", () => {
    const c = cost([
      pool("tpu", { machine: "ct5lp-hightpu-4t", gpu: null, min: 0, max: 2, tpuTopology: "2x4", region: "europe-west4" }),
      pool("t4", { machine: "n1-standard-8", gpu: { type: "nvidia-tesla-t4", count: 1 }, min: 1, max: 2 }),
      pool("mars", { region: "mars-north1", min: 1, max: 1 }),
    ]);
    expect(line(c, "gke tpu")).toMatchObject({ accelerator: { type: "tpu-v5e 2x4", count: 4 }, usdPerHour: null, monthly: { baseline: 0, worstCase: null } });
    expect(line(c, "gke tpu").unpriced).toMatch(/^no price in the catalog \(as of 2026-07-30\): Cloud TPU chips/);
    expect(line(c, "gke t4").unpriced).toMatch(/^no price in the catalog \(as of 2026-07-30\): GPUs attached to N1 machines/);
    expect(line(c, "gke t4").monthly).toEqual({ baseline: null, worstCase: null });
    expect(line(c, "gke mars").unpriced).toBe("no price in the catalog (as of 2026-07-30): compute/machine/g2-standard-12 has no price in mars-north1");
    // Nothing held costs nothing, priced or not; what is held without a price makes the total a lower bound.
    expect(c.baselineMonthlyUsd).toBe(0);
    expect(c.complete).toEqual({ baseline: false, worstCase: false });
  });

  it("add the cluster management fee per cluster", () => {
    const c = cost([res("gcp:container/cluster:Cluster", "gke-us-central1-cluster", { location: "us-central1" }), res("gcp:container/cluster:Cluster", "zonal", { location: "us-central1-a" })]);
    const fee = rate("gke/cluster-management", "global");
    expect(fee).toBe(0.1);
    expect(line(c, "gke cluster gke-us-central1-cluster").monthly).toEqual({ baseline: month(1, fee), worstCase: month(1, fee) });
    expect(line(c, "gke cluster zonal").note).toMatch(/free-tier credit .* may cover it; not deducted/);
    expect(c.baselineMonthlyUsd).toBe(month(2, fee));
  });
});

describe("Vertex AI deployments", () => {
  it("are listed per deployed model with their replicas, and the committed catalog has no price for them (saying so)", () => {
    const c = cost([deployment("us-central1", [{ version: "1.2.0", min: 2, max: 6 }])]);
    const l = line(c, "vertex model-support-assistant-us-central1-deployment support-assistant-1.2.0");
    expect(l).toMatchObject({ platform: "vertex", models: ["support-assistant"], version: "1.2.0", accelerator: { type: "nvidia-l4", count: 1 }, unit: "replica", units: { baseline: 2, worstCase: 6 }, usdPerHour: null, monthly: { baseline: null, worstCase: null } });
    expect(l.items).toEqual(["vertex/prediction/machine/g2-standard-12"]);
    expect(l.unpriced).toMatch(/^no price in the catalog \(as of 2026-07-30\): Vertex AI online prediction node-hours/);
  });

  it("are priced from a catalog that has Vertex AI prices, and a candidate in flight is marked as such", () => {
    const withVertex: PriceCatalog = JSON.parse(JSON.stringify(CATALOG));
    // Illustrative price, for the arithmetic only.
    withVertex.items["vertex/prediction/machine/g2-standard-12"] = { service: "Vertex AI", description: "test", unit: "hour", source: Object.keys(CATALOG.sources)[0], skus: [], prices: { "us-central1": { "on-demand": 2 } } };
    const outputs = { models: { "support-assistant": { stable: "1.2.0", candidate: "1.3.0" } } };
    const c = estimateCost({ stack: "prod", resources: [deployment("us-central1", [{ version: "1.2.0", min: 2, max: 6 }, { version: "1.3.0", min: 2, max: 6 }])], outputs }, withVertex);
    const [stable, candidate] = c.lines;
    expect(stable.monthly).toEqual({ baseline: month(2, 2), worstCase: month(6, 2) });
    expect(stable.role).toBeUndefined();
    expect(candidate.role).toBe("candidate");
    expect(candidate.note).toMatch(/runs? beside the stable's until `llmops rollout finish`/);
    expect(c.baselineMonthlyUsd).toBe(month(4, 2));
  });
});

describe("totals and breakdowns", () => {
  const c = cost([
    pool("gke-us-central1-l4", { min: 1, max: 2 }),
    pool("gke-europe-west4-l4", { region: "europe-west4", min: 1, max: 2 }),
    pool("gke-us-central1-system", { machine: "e2-standard-4", gpu: null, min: 3, max: 6, group: "system" }),
    ...server("us-central1", "1-0-0", 1),
    deployment("us-central1", [{ version: "1.2.0", min: 1, max: 2 }]),
  ]);

  it("sum by platform, model, accelerator, region and capacity, lower bounds where a price is missing", () => {
    const rows = (k: keyof typeof c.breakdown) => c.breakdown[k].map((r) => [r.key, r.complete.baseline]);
    expect(rows("platform")).toEqual([["gke", true], ["vertex", false]]);
    expect(rows("model")).toEqual([["(platform)", true], ["gemma-chat", true], ["support-assistant", false]]);
    expect(rows("accelerator")).toEqual([["(none)", true], ["nvidia-l4", false]]);
    expect(rows("region")).toEqual([["europe-west4", true], ["us-central1", false]]);
    const gke = c.breakdown.platform.find((r) => r.key === "gke")!;
    expect(gke.baselineMonthlyUsd).toBe(c.baselineMonthlyUsd);
    const expected = month(1, rate("compute/machine/g2-standard-12", "us-central1")) + month(1, rate("compute/machine/g2-standard-12", "europe-west4")) + month(3, rate("compute/machine/e2-standard-4", "us-central1"));
    expect(c.baselineMonthlyUsd).toBeCloseTo(expected, 1);
  });

  it("list usage-priced items with their unit prices, never in the totals", () => {
    const u = cost([res("gcp:storage/bucket:Bucket", "storage-models", { location: "US", storageClass: "STANDARD" }), res("gcp:colab/schedule:Schedule", "schedules-nightly", {}), pool("p")]).usage;
    expect(u.find((x) => x.resource === "storage-models")).toMatchObject({ unit: "GiB-month", usdPerUnit: catalogPrice(CATALOG.items["storage/standard"].prices.US["on-demand"]!), asOf: "2026-07-30", unpriced: null });
    expect(u.find((x) => x.resource === "schedules-nightly")?.unpriced).toMatch(/^no price in the catalog \(as of 2026-07-30\): the per-run fee of Vertex AI Pipelines/);
  });
});

describe("budgets", () => {
  const c = cost([pool("gke-us-central1-l4", { min: 2, max: 8 }), ...server("us-central1", "1-0-0", 2), deployment("us-central1", [{ version: "1.2.0", min: 1, max: 2 }])]);

  it("are read from the budget output, or under CrossGuard from the root stack resource", () => {
    const budget = { baselineMonthlyUsd: 100, worstCaseMonthlyUsd: 200, models: { "gemma-chat": { worstCaseMonthlyUsd: 50 } } };
    expect(budgetOf({ budget })).toEqual(budget);
    expect(budgetOf(undefined, [res("pulumi:pulumi:Stack", "llmops-prod", { budget })])).toEqual(budget);
    expect(budgetOf({})).toBeUndefined();
    expect(parseBudget({ baselineMonthlyUsd: "100" })).toBeUndefined();
    expect(parseBudget({ models: { m: { worstCaseMonthlyUsd: -1 } } })).toBeUndefined();
  });

  it("are exceeded only by what has a price: a lower bound over the limit is a breach, under it is not", () => {
    const checks = checkBudget(c, { baselineMonthlyUsd: 1000, worstCaseMonthlyUsd: 1e6, models: { "gemma-chat": { worstCaseMonthlyUsd: 100 }, "support-assistant": { worstCaseMonthlyUsd: 1 } } });
    const gke = month(2, rate("compute/machine/g2-standard-12", "us-central1"));
    expect(checks).toEqual([
      { scope: "stack", measure: "baseline", limitUsd: 1000, costUsd: gke, complete: false, exceeded: true },
      { scope: "stack", measure: "worstCase", limitUsd: 1e6, costUsd: c.worstCaseMonthlyUsd, complete: false, exceeded: false },
      { scope: "gemma-chat", measure: "worstCase", limitUsd: 100, costUsd: c.worstCaseMonthlyUsd, complete: true, exceeded: true },
      // Vertex AI has no price in the committed catalog: nothing to exceed with.
      { scope: "support-assistant", measure: "worstCase", limitUsd: 1, costUsd: 0, complete: false, exceeded: false },
    ]);
  });
});
