/**
 * Builds `policies/cost/catalog/prices.json` from a `pricing.yml` of Cyclenerd/google-cloud-pricing-cost-calculator
 * (Apache-2.0; see NOTICE), which that project generates weekly from the Cloud Billing Catalog
 * API (`build/skus.sh` exports the SKUs, `build/pricing.pl` sums them per machine type, region and
 * provisioning model). Used to make the committed catalog where no Google credentials exist;
 * with credentials, `npx llmops prices refresh` reads the Catalog API itself.
 *
 *   git -C <clone> show <commit>:pricing.yml > /tmp/pricing.yml
 *   npx tsx policies/cost/catalog/import-cyclenerd.ts /tmp/pricing.yml <commit> [out]
 *
 * What it keeps: the machine series GKE pools and Vertex AI deployments of this project can run
 * (G2, A2, A3 with their GPUs, N1 standard as T4 hosts, E2 and N2 standard for system pools),
 * Cloud Storage classes per location, the first internet-egress tier per region. What it cannot
 * keep, because the source has no such prices, is listed under `missing` with the reason.
 */
import * as fs from "node:fs";
import { parse } from "yaml";
import { CATALOG_FILE, catalogJson, parseCatalog } from "./index";
import type { CatalogItem, MachineSpec, PriceCatalog, PriceMode } from "./types";

const MACHINE_SERIES = /^(g2-standard|a2-highgpu|a2-megagpu|a2-ultragpu|a3-highgpu|a3-megagpu|n1-standard|e2-standard|e2-highmem|e2-highcpu|n2-standard)-/;

/** The source's GPU keys per machine, as GKE names the accelerators. */
const GPU_KEYS: Readonly<Record<string, string>> = {
  l4: "nvidia-l4",
  a100: "nvidia-tesla-a100",
  "a100-80gb": "nvidia-a100-80gb",
  "h100-80gb": "nvidia-h100-80gb",
  "h100-80gb-mega": "nvidia-h100-mega-80gb",
};

/** SKU descriptions each series is made of, as build/mapping.csv of the source matches them. */
const SERIES_SKUS: Readonly<Record<string, readonly string[]>> = {
  g2: ["G2 Instance Core running in <location>", "G2 Instance Ram running in <location>", "Nvidia L4 GPU running in <location>"],
  a2: ["A2 Instance Core running in <location>", "A2 Instance Ram running in <location>", "Nvidia Tesla A100 GPU running in <location> / Nvidia Tesla A100 80GB GPU running in <location>"],
  a3: ["A3 Instance Core running in <location>", "A3 Instance Ram running in <location>", "Nvidia H100 80GB GPU running in <location> / Nvidia H100 80GB Mega GPU running in <location>"],
  n1: ["N1 Predefined Instance Core running in <location>", "N1 Predefined Instance Ram running in <location>"],
  e2: ["E2 Instance Core running in <location>", "E2 Instance Ram running in <location>"],
  n2: ["N2 Instance Core running in <location>", "N2 Instance Ram running in <location>"],
};

/** Bucket locations as Cloud Storage names them, for the source's multi- and dual-region keys. */
const STORAGE_LOCATIONS: Readonly<Record<string, string>> = { "us-multi": "US", "europe-multi": "EU", "asia-multi": "ASIA", nam4: "NAM4", eur4: "EUR4", asia1: "ASIA1" };
const STORAGE_CLASSES: Readonly<Record<string, string>> = { standard: "STANDARD", nearline: "NEARLINE", coldline: "COLDLINE", archiv: "ARCHIVE" };

type Costs = Record<string, Record<string, number>>;

function generatedDate(about: { generated?: string; timestamp?: number }): string {
  if (typeof about.timestamp !== "number") throw new Error("pricing.yml has no about.timestamp");
  return new Date(about.timestamp * 1000).toISOString().slice(0, 10);
}

export function importCyclenerd(yamlText: string, commit: string): PriceCatalog {
  const doc = parse(yamlText) as any;
  const fetchedAt = generatedDate(doc.about ?? {});
  const source = `cyclenerd-${fetchedAt}`;
  const items: Record<string, CatalogItem> = {};
  const machines: Record<string, MachineSpec> = {};

  for (const [machine, spec] of Object.entries<any>(doc.compute.instance)) {
    if (!MACHINE_SERIES.test(machine)) continue;
    const gpuKey = Object.keys(GPU_KEYS).find((k) => typeof spec[k] === "number");
    machines[machine] = {
      vcpus: spec.cpu,
      memoryGib: spec.ram,
      ...(gpuKey ? { gpus: { type: GPU_KEYS[gpuKey], count: spec[gpuKey] } } : {}),
      ...(spec["local-ssd"] ? { localSsdGib: spec["local-ssd"] } : {}),
    };
    const prices: Record<string, Partial<Record<PriceMode, number>>> = {};
    for (const [region, cost] of Object.entries<any>(spec.cost as Costs)) {
      const byMode: Partial<Record<PriceMode, number>> = {};
      // `hour` is the list price; `month` applies sustained-use discounts (N1, N2), which a
      // worst case must not assume, so monthly figures are made from `hour` × 730 instead.
      if (cost.hour > 0) byMode["on-demand"] = cost.hour;
      if (cost.hour_spot > 0) byMode.spot = cost.hour_spot;
      // Commitments are given per month of 730 hours; the catalog keeps hours throughout.
      // (Rounded to the source's nine decimals.)
      if (cost.month_1y > 0) byMode["commit-1y"] = Math.round((cost.month_1y / 730) * 1e9) / 1e9;
      if (cost.month_3y > 0) byMode["commit-3y"] = Math.round((cost.month_3y / 730) * 1e9) / 1e9;
      if (Object.keys(byMode).length) prices[region] = byMode;
    }
    const m = machines[machine];
    const gpus = m.gpus ? `, ${m.gpus.count} × ${m.gpus.type}` : "";
    const ssd = m.localSsdGib ? `, ${m.localSsdGib} GiB local SSD` : "";
    const attached = machine.startsWith("n1-") ? " (attached GPUs are not included)" : "";
    items[`compute/machine/${machine}`] = {
      service: "Compute Engine",
      description: `${machine} VM: ${m.vcpus} vCPU, ${m.memoryGib} GiB${gpus}${ssd}${attached}`,
      unit: "hour",
      source,
      skus: [...(SERIES_SKUS[machine.split("-")[0]] ?? [])],
      prices,
    };
  }

  for (const [key, bucket] of Object.entries<any>(doc.storage.bucket)) {
    const [cls, kind] = key.split("-") as [string, string | undefined];
    if (!STORAGE_CLASSES[cls]) continue;
    const item = (items[`storage/${STORAGE_CLASSES[cls].toLowerCase()}`] ??= {
      service: "Cloud Storage",
      description: `${STORAGE_CLASSES[cls]} storage, per GiB stored for a month`,
      unit: "GiB-month",
      source,
      skus: [],
      prices: {},
    });
    for (const [location, cost] of Object.entries<any>(bucket.cost)) {
      const where = kind ? STORAGE_LOCATIONS[location] : location;
      if (where && cost.month > 0) item.prices[where] = { "on-demand": cost.month };
    }
  }

  const egress = doc.compute.network.traffic.egress.internet.cost["0-1"];
  items["network/internet-egress"] = {
    service: "Networking",
    description: "internet egress from the region to worldwide destinations other than China and Australia, first tier (up to 1 TiB a month), per GiB",
    unit: "GiB",
    source,
    skus: [],
    prices: Object.fromEntries(Object.entries<any>(egress).filter(([, c]) => c.month > 0).map(([region, c]) => [region, { "on-demand": c.month }])),
  };

  items["gke/cluster-management"] = {
    service: "Kubernetes Engine",
    description: "GKE Standard cluster management fee, per cluster and hour (regional clusters get no free-tier credit)",
    unit: "hour",
    source: "gke-pricing-page",
    skus: ["Regional Kubernetes Clusters", "Zonal Kubernetes Clusters"],
    prices: { global: { "on-demand": { usd: 0.1, effectiveTime: "2020-06-06T00:00:00Z", skus: [] } } },
  };

  const catalog: PriceCatalog = {
    schemaVersion: 1,
    currency: "USD",
    hoursPerMonth: 730,
    sources: {
      [source]: {
        name: "Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml",
        url: `https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/${commit}/pricing.yml`,
        fetchedAt,
        method:
          `Generated by that project on ${fetchedAt} from the Cloud Billing Catalog API (services 6F81-5844-456A Compute Engine, 95FF-2EF5-5EA1 Cloud Storage, E505-1604-58F8 Networking): ` +
          "each machine price is the sum of its series' core, RAM and GPU SKUs in the region (build/pricing.pl, build/mapping.csv), on-demand (`hour`), spot (`hour_spot`) and 1- and 3-year commitments (`month_1y`, `month_3y`, divided by 730 here). " +
          "The source publishes the sums without SKU ids or effective times; `skus` names the SKU descriptions each sum is made of.",
        license: "Apache-2.0, Copyright 2022-2025 Nils Knieling (policies/cost/catalog/NOTICE)",
      },
      "gke-pricing-page": {
        name: "Google Kubernetes Engine pricing",
        url: "https://cloud.google.com/kubernetes-engine/pricing",
        fetchedAt: "2026-12-02",
        method:
          "Checked on 2026-12-02 against a stored copy of Google's pricing page (the copy carries no date of its own): a flat cluster management fee of $0.10 per cluster per hour applies to all GKE clusters (charged since 2020-06-06); the monthly free-tier credit covers one zonal or Autopilot cluster per billing account, never regional clusters. The page names no SKU ids.",
      },
    },
    machines,
    items,
    missing: {
      "vertex/prediction/":
        "Vertex AI online prediction node-hours (service C7E2-9256-1C43, SKUs \"Vertex AI: Online/Batch Prediction …\") are priced apart from Compute Engine, and no citable, dated source of them was available when this catalog was built; `npx llmops prices refresh` reads them from the Catalog API",
      "compute/tpu/":
        "Cloud TPU chips (v5e, v5p, v6e) are not in the source, and no citable, dated per-chip price was available when this catalog was built; `npx llmops prices refresh` does not read the Cloud TPU service yet either",
      "compute/gpu/":
        "GPUs attached to N1 machines (nvidia-tesla-t4): the source prices whole machine types, and an N1 machine's price excludes attached GPUs; `npx llmops prices refresh` reads the GPU SKUs",
      "compute/flex-start/":
        "flex-start (Dynamic Workload Scheduler) VMs have their own SKUs (\"DWS Defined Duration …\"), which the source does not export",
      "compute/machine/a3-ultragpu-8g": "A3 Ultra machines (8 × nvidia-h200-141gb) are not in the source",
      "vertex/pipelines/run": "the per-run fee of Vertex AI Pipelines is not in the source",
      "modelarmor/": "Model Armor is not in the source",
      "artifactregistry/": "Artifact Registry storage is not in the source",
    },
  };
  return parseCatalog(JSON.parse(JSON.stringify(catalog)), "(imported)");
}

if (require.main === module) {
  const [file, commit, out = CATALOG_FILE] = process.argv.slice(2);
  if (!file || !/^[0-9a-f]{40}$/.test(commit ?? "")) {
    console.error("usage: npx tsx policies/cost/catalog/import-cyclenerd.ts <pricing.yml> <40-hex commit> [out]");
    process.exit(1);
  }
  fs.writeFileSync(out, catalogJson(importCyclenerd(fs.readFileSync(file, "utf8"), commit)));
  console.log(out);
}
