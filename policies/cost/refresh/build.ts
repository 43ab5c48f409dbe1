import type { CatalogItem, CatalogSku, PriceCatalog, PriceMode } from "../catalog/types";
import { type ApiSku, RefreshError, moneyUsd } from "./catalog-api";

/**
 * A new catalog from Catalog API SKUs: every machine of the previous catalog's machine table
 * (vCPUs, memory, built-in GPUs) priced in every region its SKUs list, as the sum of its series'
 * core, RAM and GPU SKUs, per provisioning model; attached GPUs; Vertex AI prediction machines and
 * GPUs; the GKE cluster fee. Each price keeps its SKUs (id, description, unit price, quantity,
 * effective time). What the refresh does not read (storage, egress) is carried over with its own
 * source and date. What it cannot compose is left out and listed under `missing`, never guessed.
 */

/** SKU descriptions, as Google writes them; `<loc>` is a location such as "Americas" or "Iowa". */
const PATTERNS: readonly { re: RegExp; kind: "core" | "ram" | "gpu"; mode?: PriceMode; vertex?: boolean }[] = [
  { re: /^Spot Preemptible (?<family>[A-Z0-9]+)(?: AMD| Intel| Arm)?(?: Predefined)? Instance (?<part>Core|Ram) running in (?<loc>.+)$/i, kind: "core", mode: "spot" },
  { re: /^(?<family>[A-Z0-9]+)(?: AMD| Intel| Arm)?(?: Predefined)? Instance (?<part>Core|Ram) running in (?<loc>.+)$/i, kind: "core", mode: "on-demand" },
  { re: /^DWS Defined Duration (?<family>[A-Z0-9]+) (?<part>Core|Ram) running in (?<loc>.+)$/i, kind: "core", mode: "flex-start" },
  { re: /^Commitment v1: (?<family>[A-Z0-9]+)(?: AMD)? (?<part>Cpu|Core|Ram) in (?<loc>.+) for (?<years>[13]) Years?$/i, kind: "core" },
  { re: /^Nvidia (?<name>.+?) GPU attached to Spot Preemptible VMs running in (?<loc>.+)$/i, kind: "gpu", mode: "spot" },
  { re: /^Nvidia (?<name>.+?) GPU attached to DWS Defined Duration VMs running in (?<loc>.+)$/i, kind: "gpu", mode: "flex-start" },
  { re: /^Nvidia (?<name>.+?) GPU running in (?<loc>.+)$/i, kind: "gpu", mode: "on-demand" },
  { re: /^Commitment v1: Nvidia (?<name>.+?) GPU in (?<loc>.+) for (?<years>[13]) Years?$/i, kind: "gpu" },
  { re: /^Vertex AI: Online\/Batch Prediction (?<family>[A-Z0-9]+)(?: Predefined)? Instance (?<part>Core|Ram) running in (?<loc>.+)$/i, kind: "core", mode: "on-demand", vertex: true },
  { re: /^Vertex AI: Online\/Batch Prediction Nvidia (?<name>.+?) GPU running in (?<loc>.+)$/i, kind: "gpu", mode: "on-demand", vertex: true },
];

/** GPU names in SKU descriptions → GKE's accelerator names. */
const GPU_NAMES: Readonly<Record<string, string>> = {
  l4: "nvidia-l4",
  "tesla t4": "nvidia-tesla-t4",
  "tesla a100": "nvidia-tesla-a100",
  "tesla a100 80gb": "nvidia-a100-80gb",
  "a100 80gb": "nvidia-a100-80gb",
  "h100 80gb": "nvidia-h100-80gb",
  "h100 80gb mega": "nvidia-h100-mega-80gb",
  "h100 mega 80gb": "nvidia-h100-mega-80gb",
  "h200 141gb": "nvidia-h200-141gb",
};

/** The unit each kind of SKU must be in, or the SKU is not used. */
const UNIT: Readonly<Record<"core" | "ram" | "gpu", string>> = { core: "h", ram: "GiBy.h", gpu: "h" };

interface Rate {
  readonly sku: ApiSku;
  readonly usd: number;
  readonly unit: string;
  readonly effectiveTime: string;
}

/** The current price of a SKU: its latest pricing info, the tier that starts at zero (the list price). */
function rateOf(sku: ApiSku): Rate | undefined {
  const info = [...sku.pricingInfo].sort((a, b) => a.effectiveTime.localeCompare(b.effectiveTime)).pop();
  const tier = info?.pricingExpression.tieredRates.find((t) => (t.startUsageAmount ?? 0) === 0);
  if (!info || !tier) return undefined;
  return { sku, usd: moneyUsd(tier.unitPrice, sku.skuId), unit: info.pricingExpression.usageUnit, effectiveTime: info.effectiveTime };
}

type Index = Map<string, Rate>;
const key = (service: "compute" | "vertex", kind: string, name: string, mode: PriceMode, region: string) => `${service}|${kind}|${name}|${mode}|${region}`;

export interface RefreshReport {
  /** SKUs whose description matched a pattern. */
  readonly matched: number;
  /** Two SKUs for one price: the one with the lower skuId is kept. */
  readonly conflicts: readonly string[];
}

function index(skus: readonly ApiSku[], service: "compute" | "vertex", conflicts: string[]): { index: Index; matched: number } {
  const out: Index = new Map();
  let matched = 0;
  for (const sku of [...skus].sort((a, b) => a.skuId.localeCompare(b.skuId))) {
    for (const p of PATTERNS) {
      if (Boolean(p.vertex) !== (service === "vertex")) continue;
      const m = p.re.exec(sku.description);
      if (!m?.groups) continue;
      const part = m.groups.part?.toLowerCase();
      const kind = p.kind === "gpu" ? "gpu" : part === "ram" ? "ram" : "core";
      const name = kind === "gpu" ? GPU_NAMES[m.groups.name.toLowerCase().replace(/\s+/g, " ")] : m.groups.family.toUpperCase();
      const mode: PriceMode = p.mode ?? (m.groups.years === "1" ? "commit-1y" : "commit-3y");
      const rate = rateOf(sku);
      if (!name || !rate || rate.unit !== UNIT[kind]) break;
      matched += 1;
      for (const region of sku.serviceRegions) {
        const k = key(service, kind, name, mode, region);
        if (out.has(k)) conflicts.push(`${k}: ${out.get(k)!.sku.skuId} kept, ${sku.skuId} left`);
        else out.set(k, rate);
      }
      break;
    }
  }
  return { index: out, matched };
}

const MODES: readonly PriceMode[] = ["on-demand", "spot", "flex-start", "commit-1y", "commit-3y"];

function skuOf(rate: Rate, quantity: number): CatalogSku {
  return { id: rate.sku.skuId, description: rate.sku.description, usd: rate.usd, unit: rate.unit, quantity, effectiveTime: rate.effectiveTime };
}

function composed(parts: readonly { rate: Rate; quantity: number }[]) {
  const usd = parts.reduce((sum, p) => sum + p.rate.usd * p.quantity, 0);
  return { usd: Math.round(usd * 1e9) / 1e9, effectiveTime: parts.map((p) => p.rate.effectiveTime).sort().pop()!, skus: parts.map((p) => skuOf(p.rate, p.quantity)) };
}

export function buildCatalog(previous: PriceCatalog, skus: { readonly compute: readonly ApiSku[]; readonly gke: readonly ApiSku[]; readonly vertex: readonly ApiSku[] }, fetchedAt: string): { catalog: PriceCatalog; report: RefreshReport } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fetchedAt)) throw new RefreshError(`fetchedAt "${fetchedAt}" is not a date YYYY-MM-DD`);
  const conflicts: string[] = [];
  const compute = index(skus.compute, "compute", conflicts);
  const vertex = index(skus.vertex, "vertex", conflicts);
  const source = `catalog-api-${fetchedAt}`;
  const items: Record<string, CatalogItem> = {};
  const missing: Record<string, string> = {};
  const regions = (idx: Index) => [...new Set([...idx.keys()].map((k) => k.split("|")[4]))].sort();

  for (const [service, idx, prefix] of [["compute", compute.index, "compute/machine"], ["vertex", vertex.index, "vertex/prediction/machine"]] as const) {
    for (const [machine, spec] of Object.entries(previous.machines).sort(([a], [b]) => a.localeCompare(b))) {
      const item = `${prefix}/${machine}`;
      if (spec.localSsdGib) {
        missing[item] = `${machine} comes with ${spec.localSsdGib} GiB of local SSD, whose SKUs the refresh does not compose: left out rather than priced low`;
        continue;
      }
      const family = machine.split("-")[0].toUpperCase();
      const prices: CatalogItem["prices"] = {};
      for (const region of regions(idx)) {
        for (const mode of MODES) {
          const core = idx.get(key(service, "core", family, mode, region));
          const ram = idx.get(key(service, "ram", family, mode, region));
          const gpu = spec.gpus ? idx.get(key(service, "gpu", spec.gpus.type, mode, region)) : undefined;
          if (!core || !ram || (spec.gpus && !gpu)) continue;
          const parts = [{ rate: core, quantity: spec.vcpus }, { rate: ram, quantity: spec.memoryGib }, ...(gpu && spec.gpus ? [{ rate: gpu, quantity: spec.gpus.count }] : [])];
          (prices[region] ??= {})[mode] = composed(parts);
        }
      }
      if (Object.keys(prices).length === 0) {
        missing[item] = `no ${service === "vertex" ? "Vertex AI prediction " : ""}core, RAM${spec.gpus ? " and GPU" : ""} SKUs of series ${family} were found together in any region`;
        continue;
      }
      const gpus = spec.gpus ? `, ${spec.gpus.count} × ${spec.gpus.type}` : "";
      items[item] = {
        service: service === "vertex" ? "Vertex AI" : "Compute Engine",
        description: `${machine}${service === "vertex" ? " prediction node" : " VM"}: ${spec.vcpus} vCPU, ${spec.memoryGib} GiB${gpus}`,
        unit: "hour",
        source,
        skus: [],
        prices,
      };
    }
    // GPUs on their own, for machines that attach them (N1 with T4).
    const gpuNames = [...new Set([...idx.keys()].filter((k) => k.split("|")[1] === "gpu").map((k) => k.split("|")[2]))].sort();
    for (const gpu of gpuNames) {
      const prices: CatalogItem["prices"] = {};
      for (const region of regions(idx)) {
        for (const mode of MODES) {
          const rate = idx.get(key(service, "gpu", gpu, mode, region));
          if (rate) (prices[region] ??= {})[mode] = composed([{ rate, quantity: 1 }]);
        }
      }
      items[`${service === "vertex" ? "vertex/prediction/gpu" : "compute/gpu"}/${gpu}`] = { service: service === "vertex" ? "Vertex AI" : "Compute Engine", description: `one ${gpu} GPU`, unit: "hour", source, skus: [], prices };
    }
  }

  const clusters = skus.gke.filter((s) => s.description === "Regional Kubernetes Clusters").sort((a, b) => a.skuId.localeCompare(b.skuId))[0];
  const fee = clusters && rateOf(clusters);
  if (fee && fee.unit === "h") {
    items["gke/cluster-management"] = {
      service: "Kubernetes Engine",
      description: "GKE cluster management fee, per cluster and hour (regional clusters get no free-tier credit)",
      unit: "hour",
      source,
      skus: ["Regional Kubernetes Clusters"],
      prices: { global: { "on-demand": composed([{ rate: fee, quantity: 1 }]) } },
    };
  }

  // What the refresh does not read keeps its old price, source and date.
  for (const [k, item] of Object.entries(previous.items)) if (!items[k] && !missing[k] && !/^(compute|vertex\/prediction)\/(machine|gpu)\//.test(k) && k !== "gke/cluster-management") items[k] = item;
  const covered = (prefix: string) => Object.keys(items).some((k) => k.startsWith(prefix) && items[k].source === source);
  for (const [k, why] of Object.entries(previous.missing)) {
    const stillMissing = k === "compute/flex-start/" ? !Object.values(items).some((i) => i.source === source && Object.values(i.prices).some((p) => p["flex-start"])) : !covered(k);
    if (stillMissing && !missing[k]) missing[k] = why;
  }
  const used = new Set(Object.values(items).map((i) => i.source));
  const sources: PriceCatalog["sources"] = {
    [source]: {
      name: "Cloud Billing Catalog API (services.skus.list)",
      url: "https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list",
      fetchedAt,
      method:
        "npx llmops prices refresh: SKUs of Compute Engine (6F81-5844-456A), Kubernetes Engine (CCD8-9BF1-090E) and Vertex AI (C7E2-9256-1C43) in USD; the latest pricing info of each SKU, its tier starting at 0; a machine's price is its series' core SKU × vCPUs + RAM SKU × GiB + GPU SKU × GPUs in the region, per provisioning model; every price lists its SKUs.",
    },
    ...Object.fromEntries(Object.entries(previous.sources).filter(([k]) => used.has(k) && k !== source)),
  };
  if (Object.values(items).every((i) => i.source !== source)) throw new RefreshError("no SKU matched anything the catalog prices: the replies hold none of the expected SKU descriptions");
  const catalog: PriceCatalog = { schemaVersion: 1, currency: "USD", hoursPerMonth: 730, sources, machines: previous.machines, items, missing };
  return { catalog, report: { matched: compute.matched + vertex.matched, conflicts } };
}
