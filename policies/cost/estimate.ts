import { type PriceCatalog, type PriceMode, catalogAsOf, missingReason, priceUsd } from "./catalog";
import { type Capacity, type CostResource, type Holder, type Platform, T, clustersOf, holdingsOf, regionOf } from "./holders";

/**
 * The monthly cost of what a plan declares, from the price catalog: per node pool, deployed model
 * and cluster, at the baseline (minimum nodes and replicas: what is paid when idle) and the worst
 * case (every pool and deployment at its maximum), 730 hours a month. Whatever has no price is
 * said so and left out of the totals, which then say they are incomplete: never zero, never a guess.
 */

export const HOURS_PER_MONTH = 730;

export interface CostLine {
  /** Stable across plans (`gke <node pool>`, `vertex <deployment> <deployed model>`, `gke cluster <name>`). */
  readonly key: string;
  readonly platform: Platform;
  readonly kind: "node-pool" | "deployed-model" | "cluster-fee";
  /** The node pool's, EndpointDeployment's or cluster's URN and logical name. */
  readonly urn: string;
  readonly resource: string;
  readonly models: readonly string[];
  readonly region: string;
  readonly machineType: string | null;
  /** Per node or replica; names normalised (`nvidia-l4` for Vertex AI's `NVIDIA_L4`). */
  readonly accelerator: { readonly type: string; readonly count: number } | null;
  readonly capacity: Capacity | null;
  readonly unit: "node" | "replica" | "cluster";
  /** Nodes, replicas or clusters; `worstCase` null when nothing bounds it. */
  readonly units: { readonly baseline: number; readonly worstCase: number | null };
  /** USD per unit and hour, as the catalog has it; null when it has no price. */
  readonly usdPerHour: number | null;
  /** The catalog price used: `spot`, `on-demand`, … and why when the mode has no price of its own. */
  readonly pricedAs: string | null;
  /** The catalog items used (`compute/machine/g2-standard-12`). */
  readonly items: readonly string[];
  /** When the prices used were read from Google. */
  readonly asOf: string | null;
  /** USD a month (730 h), rounded to cents; null when unknown (no price, or no upper bound). */
  readonly monthly: { readonly baseline: number | null; readonly worstCase: number | null };
  /** Why there is no price: "no price in the catalog (as of 2026-07-30): …". */
  readonly unpriced: string | null;
  /** How the baseline was arrived at, when it is more than the declared minimum. */
  readonly note: string | null;
  /** Vertex AI: the deployed version. */
  readonly version?: string;
  /** Vertex AI: set on the candidate of a rollout in flight. */
  readonly role?: "candidate";
}

export interface CostTotals {
  /** Sum of the priced lines, USD a month. */
  readonly baselineMonthlyUsd: number;
  readonly worstCaseMonthlyUsd: number;
  /** False when some line that holds something has no price (or no bound): the total is then a lower bound. */
  readonly complete: { readonly baseline: boolean; readonly worstCase: boolean };
}

export interface BreakdownRow extends CostTotals {
  readonly key: string;
}

/** A charge that depends on use, listed with its unit price, never summed into the totals. */
export interface UsageItem {
  readonly resource: string;
  readonly type: string;
  /** "STANDARD storage in US", "internet egress from us-central1". */
  readonly what: string;
  readonly unit: string | null;
  readonly usdPerUnit: number | null;
  readonly asOf: string | null;
  readonly unpriced: string | null;
}

export interface StackCost extends CostTotals {
  readonly stack: string;
  readonly hoursPerMonth: number;
  readonly catalog: { readonly asOf: string; readonly sources: readonly { readonly name: string; readonly url: string; readonly fetchedAt: string }[] };
  readonly lines: readonly CostLine[];
  readonly breakdown: {
    readonly platform: readonly BreakdownRow[];
    readonly model: readonly BreakdownRow[];
    readonly accelerator: readonly BreakdownRow[];
    readonly region: readonly BreakdownRow[];
    readonly capacity: readonly BreakdownRow[];
  };
  readonly usage: readonly UsageItem[];
}

export const cents = (usd: number) => Math.round(usd * 100) / 100;

/** `NVIDIA_L4` → `nvidia-l4`, `TPU_V5_LITEPOD` → `tpu-v5-litepod`: one spelling for both platforms. */
export function normalizeAccelerator(name: string): string {
  return name.toLowerCase().replace(/_/g, "-");
}

interface Found {
  readonly usd: number;
  readonly asOf: string;
}

function lookup(catalog: PriceCatalog, item: string, region: string, mode: PriceMode): Found | undefined {
  const entry = catalog.items[item];
  const price = entry?.prices[region]?.[mode];
  if (!entry || price === undefined) return undefined;
  return { usd: priceUsd(price), asOf: catalog.sources[entry.source]?.fetchedAt ?? "unknown" };
}

function whyMissing(catalog: PriceCatalog, item: string, region: string, mode: PriceMode): string {
  const entry = catalog.items[item];
  if (!entry) return missingReason(catalog, item) ?? `${item} is not in the catalog`;
  if (!entry.prices[region]) return `${item} has no price in ${region}`;
  return `${item} has no ${mode} price in ${region}`;
}

interface Rate {
  readonly usdPerHour: number | null;
  readonly pricedAs: string | null;
  readonly items: readonly string[];
  readonly asOf: string | null;
  readonly unpriced: string | null;
}

/** Which catalog mode prices a capacity mode, and why when it is not its own. */
function modeFor(capacity: Capacity, has: (mode: PriceMode) => boolean): { mode: PriceMode; why: string } {
  switch (capacity) {
    case "spot":
      return { mode: "spot", why: "spot" };
    case "on-demand":
      return { mode: "on-demand", why: "on-demand" };
    case "reservation":
      return {
        mode: "on-demand",
        why: "on-demand rate: a reservation is billed at on-demand rates for every reserved VM, in use or not (a commitment attached to it would lower that; the plan does not say)",
      };
    case "flex-start":
      return has("flex-start")
        ? { mode: "flex-start", why: "flex-start" }
        : { mode: "on-demand", why: "on-demand rate, an upper bound: the catalog has no flex-start (Dynamic Workload Scheduler) price for this machine and region, and flex-start is billed below on-demand" };
  }
}

/** The hourly price of one node or replica: its machine, plus attached GPUs the machine price leaves out. */
function rateOf(holder: Holder, catalog: PriceCatalog): Rate {
  const parts: { item: string; quantity: number }[] = [];
  const vertex = holder.platform === "vertex";
  if (holder.tpu) {
    parts.push({ item: `compute/tpu/${holder.tpu.version}`, quantity: holder.tpu.chips });
  } else if (holder.machineType) {
    parts.push({ item: `${vertex ? "vertex/prediction/machine" : "compute/machine"}/${holder.machineType}`, quantity: 1 });
    const builtIn = catalog.machines[holder.machineType]?.gpus;
    if (holder.accelerator && !builtIn) parts.push({ item: `${vertex ? "vertex/prediction/gpu" : "compute/gpu"}/${normalizeAccelerator(holder.accelerator.type)}`, quantity: holder.accelerator.count });
  } else {
    return { usdPerHour: null, pricedAs: null, items: [], asOf: null, unpriced: "the plan names no machine type" };
  }
  const has = (mode: PriceMode) => parts.every((p) => lookup(catalog, p.item, holder.region, mode) !== undefined);
  const { mode, why } = modeFor(holder.capacity, has);
  let usd = 0;
  const dates: string[] = [];
  for (const p of parts) {
    const found = lookup(catalog, p.item, holder.region, mode);
    if (!found) {
      const asOf = catalogAsOf(catalog);
      return { usdPerHour: null, pricedAs: why, items: parts.map((x) => x.item), asOf: null, unpriced: `no price in the catalog (as of ${asOf}): ${whyMissing(catalog, p.item, holder.region, mode)}` };
    }
    usd += found.usd * p.quantity;
    dates.push(found.asOf);
  }
  return { usdPerHour: usd, pricedAs: why, items: parts.map((p) => p.item), asOf: dates.sort()[0] ?? null, unpriced: null };
}

const monthly = (units: number | null, usdPerHour: number | null): number | null => (units === 0 ? 0 : units === null || usdPerHour === null ? null : cents(units * usdPerHour * HOURS_PER_MONTH));

function holderLine(holder: Holder, catalog: PriceCatalog, baseline: number, note: string | null): CostLine {
  const rate = rateOf(holder, catalog);
  const worstCase = holder.max ?? null;
  return {
    key: holder.key,
    platform: holder.platform,
    kind: holder.kind,
    urn: holder.urn,
    resource: holder.resource,
    models: holder.models,
    region: holder.region,
    machineType: holder.machineType ?? null,
    accelerator: holder.accelerator ? { type: holder.tpu ? holder.accelerator.type : normalizeAccelerator(holder.accelerator.type), count: holder.accelerator.count } : null,
    capacity: holder.capacity,
    unit: holder.unit,
    units: { baseline, worstCase },
    usdPerHour: rate.usdPerHour,
    pricedAs: rate.pricedAs,
    items: rate.items,
    asOf: rate.asOf,
    monthly: { baseline: monthly(baseline, rate.usdPerHour), worstCase: monthly(worstCase, rate.usdPerHour) },
    unpriced: rate.unpriced ?? (worstCase === null ? "no upper bound: the worst case cannot be priced" : null),
    note,
    ...(holder.version && { version: holder.version }),
  };
}

function clusterLines(resources: readonly CostResource[], catalog: PriceCatalog): CostLine[] {
  return clustersOf(resources).map((c) => {
    const found = lookup(catalog, "gke/cluster-management", "global", "on-demand");
    const usdPerHour = found?.usd ?? null;
    return {
      key: `gke cluster ${c.name}`,
      platform: "gke" as const,
      kind: "cluster-fee" as const,
      urn: c.urn,
      resource: c.name,
      models: [],
      region: c.region,
      machineType: null,
      accelerator: null,
      capacity: null,
      unit: "cluster" as const,
      units: { baseline: 1, worstCase: 1 },
      usdPerHour,
      pricedAs: "cluster management fee",
      items: ["gke/cluster-management"],
      asOf: found?.asOf ?? null,
      monthly: { baseline: monthly(1, usdPerHour), worstCase: monthly(1, usdPerHour) },
      unpriced: found ? null : `no price in the catalog (as of ${catalogAsOf(catalog)}): ${whyMissing(catalog, "gke/cluster-management", "global", "on-demand")}`,
      note: c.zonal ? "a zonal cluster: the GKE free-tier credit (one zonal or Autopilot cluster per billing account) may cover it; not deducted here" : null,
    };
  });
}

/** Sums lines; unknown amounts of lines that hold something make the total incomplete. */
export function totalsOf(lines: readonly CostLine[]): CostTotals {
  let baseline = 0;
  let worstCase = 0;
  const complete = { baseline: true, worstCase: true };
  for (const l of lines) {
    if (l.monthly.baseline === null) complete.baseline = false;
    else if (l.usdPerHour !== null) baseline += l.units.baseline * l.usdPerHour * HOURS_PER_MONTH;
    if (l.monthly.worstCase === null) complete.worstCase = false;
    else if (l.usdPerHour !== null && l.units.worstCase !== null) worstCase += l.units.worstCase * l.usdPerHour * HOURS_PER_MONTH;
  }
  return { baselineMonthlyUsd: cents(baseline), worstCaseMonthlyUsd: cents(worstCase), complete };
}

function breakdown(lines: readonly CostLine[], keysOf: (l: CostLine) => string): BreakdownRow[] {
  const groups = new Map<string, CostLine[]>();
  for (const l of lines) groups.set(keysOf(l), [...(groups.get(keysOf(l)) ?? []), l]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, group]) => ({ key, ...totalsOf(group) }));
}

const STORAGE_CLASS = (v: unknown) => (typeof v === "string" && v !== "" ? v.toUpperCase() : "STANDARD");

function usageItems(resources: readonly CostResource[], lines: readonly CostLine[], catalog: PriceCatalog): UsageItem[] {
  const asOf = catalogAsOf(catalog);
  const priced = (resource: CostResource, what: string, item: string, where: string): UsageItem => {
    const entry = catalog.items[item];
    const found = lookup(catalog, item, where, "on-demand");
    return {
      resource: resource.name,
      type: resource.type,
      what,
      unit: entry?.unit ?? null,
      usdPerUnit: found?.usd ?? null,
      asOf: found?.asOf ?? null,
      unpriced: found ? null : `no price in the catalog (as of ${asOf}): ${whyMissing(catalog, item, where, "on-demand")}`,
    };
  };
  const items: UsageItem[] = [];
  for (const r of resources) {
    const inputs = r.inputs as Record<string, unknown>;
    if (r.type === T.bucket) {
      const location = typeof inputs.location === "string" ? inputs.location : "US";
      const where = /^[A-Z0-9]+$/.test(location) ? location : regionOf(location.toLowerCase());
      const cls = STORAGE_CLASS(inputs.storageClass);
      items.push(priced(r, `${cls} storage in ${location} (stored bytes, noncurrent versions and soft-deleted objects)`, `storage/${cls.toLowerCase()}`, where));
    } else if (r.type === T.schedule) {
      items.push(priced(r, "Vertex AI pipeline runs (the fee per run; the runs' machines are billed as they run)", "vertex/pipelines/run", "global"));
    } else if (r.type === T.armorTemplate) {
      items.push(priced(r, "Model Armor screening of prompts and responses", `modelarmor/${String(inputs.location ?? "global")}`, String(inputs.location ?? "global")));
    } else if (r.type === T.repository) {
      items.push(priced(r, "Artifact Registry storage", `artifactregistry/${String(inputs.format ?? "DOCKER").toLowerCase()}`, String(inputs.location ?? "global")));
    }
  }
  // Responses leave each serving region for callers on the internet.
  const serving = [...new Set(lines.filter((l) => l.kind !== "cluster-fee" && l.models.length > 0).map((l) => l.region))].sort();
  for (const region of serving) {
    items.push(priced({ urn: "", type: "internet egress", name: `egress ${region}`, inputs: {} }, `internet egress of responses from ${region}`, "network/internet-egress", region));
  }
  return items.sort((a, b) => a.type.localeCompare(b.type) || a.resource.localeCompare(b.resource));
}

export interface PlanLike {
  readonly stack: string;
  readonly resources: readonly CostResource[];
  /** Stack outputs, when known: the `models` output says which deployed version is a candidate. */
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/** `models.<m>.candidate` of the stack outputs, by model. */
function candidatesOf(outputs: Readonly<Record<string, unknown>> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const models = outputs?.models;
  if (models === null || typeof models !== "object") return out;
  for (const [model, record] of Object.entries(models as Record<string, unknown>)) {
    const candidate = record !== null && typeof record === "object" ? (record as Record<string, unknown>).candidate : undefined;
    if (typeof candidate === "string") out.set(model, candidate);
  }
  return out;
}

/** The cost of one stack's plan with a catalog. */
export function estimateCost(plan: PlanLike, catalog: PriceCatalog): StackCost {
  const { holders, floors } = holdingsOf(plan.resources);
  const candidates = candidatesOf(plan.outputs);
  const lines: CostLine[] = holders.map((h) => {
    const floor = floors.get(h.key);
    const baseline = h.platform === "gke" ? (floor?.baseline ?? h.min) : h.min;
    const note =
      floor && baseline > h.min
        ? `baseline ${baseline} rather than the minimum ${h.min}: the model servers pinned to pool ${h.pool?.split("/").pop()} need ${floor.needed} node(s) at their minimum replicas`
        : null;
    const line = holderLine(h, catalog, baseline, note);
    const candidate = h.version !== undefined && h.models.some((m) => candidates.get(m) === h.version);
    return candidate ? { ...line, role: "candidate" as const, note: "a candidate in flight: its replicas run beside the stable's until `llmops rollout finish` (a rolled-back candidate stays deployed, and billed, until it is replaced)" } : line;
  });
  lines.push(...clusterLines(plan.resources, catalog));
  lines.sort((a, b) => a.key.localeCompare(b.key));
  const used = [...new Set(lines.flatMap((l) => l.items).map((i) => catalog.items[i]?.source).filter((s): s is string => s !== undefined))].sort();
  return {
    stack: plan.stack,
    hoursPerMonth: HOURS_PER_MONTH,
    catalog: { asOf: catalogAsOf(catalog, used.length ? used : undefined), sources: used.map((s) => ({ name: catalog.sources[s].name, url: catalog.sources[s].url, fetchedAt: catalog.sources[s].fetchedAt })) },
    ...totalsOf(lines),
    lines,
    breakdown: {
      platform: breakdown(lines, (l) => l.platform),
      model: breakdown(lines, (l) => (l.models.length ? l.models.join(", ") : "(platform)")),
      accelerator: breakdown(lines, (l) => l.accelerator?.type ?? "(none)"),
      region: breakdown(lines, (l) => l.region),
      capacity: breakdown(lines, (l) => l.capacity ?? "(fee)"),
    },
    usage: usageItems(plan.resources, lines, catalog),
  };
}

/** A model's lines: its deployments and the GKE pools its servers run on (a shared pool counts in full for each). */
export function linesOfModel(cost: StackCost, model: string): CostLine[] {
  return cost.lines.filter((l) => l.models.includes(model));
}
