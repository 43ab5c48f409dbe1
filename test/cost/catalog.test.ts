import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CATALOG_FILE, CatalogError, catalogJson, committedCatalog, missingReason, parseCatalog, priceUsd, readCatalog } from "../../policies/cost/catalog";
import { GCP_REGIONS } from "../../infra/common/regions";
import { GPUS, GPU_TYPES, offeredRegions } from "../../infra/gke/config/catalog";

const catalog = committedCatalog();
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("the committed price catalog", () => {
  it("is valid, dated, and names where every price came from", () => {
    expect(readCatalog(CATALOG_FILE)).toEqual(catalog);
    expect(Object.keys(catalog.sources).sort()).toEqual(["cyclenerd-2026-07-30", "gke-pricing-page"]);
    const source = catalog.sources["cyclenerd-2026-07-30"];
    expect(source).toMatchObject({ fetchedAt: "2026-07-30", url: "https://github.com/Cyclenerd/google-cloud-pricing-cost-calculator/blob/fd66b26ff84fee5cdd94f341ea89206e76c06b99/pricing.yml" });
    expect(source.license).toMatch(/Apache-2\.0/);
    expect(fs.existsSync(path.join(path.dirname(CATALOG_FILE), "NOTICE"))).toBe(true);
    for (const [key, item] of Object.entries(catalog.items)) {
      expect(catalog.sources[item.source], key).toBeDefined();
      for (const [region, modes] of Object.entries(item.prices)) for (const [mode, price] of Object.entries(modes)) expect(priceUsd(price!), `${key} ${region} ${mode}`).toBeGreaterThan(0);
    }
  });

  it("is its own canonical text: a refresh changes only the lines whose prices change", () => {
    expect(fs.readFileSync(CATALOG_FILE, "utf8")).toBe(catalogJson(catalog));
    expect(catalogJson(parseCatalog(JSON.parse(catalogJson(catalog)), "x"))).toBe(catalogJson(catalog));
  });

  it("prices every GPU machine shape GKE can run, in every region offering its GPU, on-demand and spot, except the gaps of its source", () => {
    const unpriced: string[] = [];
    for (const type of GPU_TYPES) {
      for (const shape of GPUS[type].shapes) {
        for (const region of offeredRegions(type)) {
          const prices = catalog.items[`compute/machine/${shape.machineType}`]?.prices[region];
          if (!prices?.["on-demand"] || !prices.spot) unpriced.push(`${shape.machineType} ${region}`);
        }
      }
    }
    expect(unpriced).toEqual(["a3-megagpu-8g us-central1", "a3-ultragpu-8g asia-south1", "a3-ultragpu-8g europe-west1", "a3-ultragpu-8g us-central1", "a3-ultragpu-8g us-east4"]);
    expect(missingReason(catalog, "compute/machine/a3-ultragpu-8g")).toMatch(/A3 Ultra/);
    // G2 machines keep their GPU count, which the estimate relies on.
    expect(catalog.machines["g2-standard-24"]).toEqual({ vcpus: 24, memoryGib: 96, gpus: { type: "nvidia-l4", count: 2 } });
  });

  it("covers every region the region list allows for G2 and the system pools' E2 machines, where Google sells them", () => {
    const regions = Object.keys(catalog.items["compute/machine/e2-standard-4"].prices);
    expect(GCP_REGIONS.filter((r) => !regions.includes(r))).toEqual([]);
    expect(offeredRegions("nvidia-l4").filter((r) => !catalog.items["compute/machine/g2-standard-8"].prices[r])).toEqual([]);
  });

  it("says why it has no price for Vertex AI prediction, TPUs, attached GPUs and flex-start", () => {
    for (const key of ["vertex/prediction/machine/g2-standard-12", "vertex/prediction/gpu/nvidia-l4", "compute/tpu/v5e", "compute/gpu/nvidia-tesla-t4", "compute/flex-start/g2-standard-12"]) {
      expect(missingReason(catalog, key), key).toMatch(/.{20}/);
    }
    expect(missingReason(catalog, "compute/machine/g2-standard-12")).toBeUndefined();
  });

  it("holds the GKE fee as Google's pricing page states it", () => {
    expect(catalog.items["gke/cluster-management"].prices.global["on-demand"]).toEqual({ usd: 0.1, effectiveTime: "2020-06-06T00:00:00Z", skus: [] });
  });
});

describe("a broken catalog", () => {
  const write = (text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-catalog-"));
    dirs.push(dir);
    const file = path.join(dir, "prices.json");
    fs.writeFileSync(file, text);
    return file;
  };
  const valid = () => JSON.parse(catalogJson(catalog));

  it.each([
    ["not JSON", () => "{", /prices\.json: not JSON/],
    ["another schema version", () => JSON.stringify({ ...valid(), schemaVersion: 2 }), /prices\.json: schemaVersion: /],
    ["a price of zero", () => {
      const c = valid();
      c.items["compute/machine/g2-standard-12"].prices["us-central1"]["on-demand"] = 0;
      return JSON.stringify(c);
    }, /prices\.json: items\.compute\/machine\/g2-standard-12\.prices\.us-central1\.on-demand/],
    ["an unknown capacity mode", () => {
      const c = valid();
      c.items["compute/machine/g2-standard-12"].prices["us-central1"].preemptible = 1;
      return JSON.stringify(c);
    }, /prices\.json: items\.compute\/machine\/g2-standard-12\.prices\.us-central1/],
    ["an item without a known source", () => {
      const c = valid();
      c.items["storage/standard"].source = "nowhere";
      return JSON.stringify(c);
    }, /prices\.json: items\.storage\/standard\.source: unknown source "nowhere"; allowed: cyclenerd-2026-07-30, gke-pricing-page/],
    ["a fetch date that is not a date", () => {
      const c = valid();
      c.sources["gke-pricing-page"].fetchedAt = "last week";
      return JSON.stringify(c);
    }, /prices\.json: sources\.gke-pricing-page\.fetchedAt: expected a date YYYY-MM-DD/],
    ["a SKU id of the wrong form", () => {
      const c = valid();
      c.items["gke/cluster-management"].prices.global["on-demand"].skus = [{ id: "abc", description: "x", usd: 0.1, unit: "h", quantity: 1, effectiveTime: "t" }];
      return JSON.stringify(c);
    }, /expected a Catalog API skuId such as A88A-5A60-E821/],
  ] as [string, () => string, RegExp][])("is refused with the file and the path: %s", (_what, text, message) => {
    const file = write(text());
    expect(() => readCatalog(file)).toThrow(CatalogError);
    expect(() => readCatalog(file)).toThrow(message);
  });

  it("that does not exist is refused with its name", () => {
    expect(() => readCatalog("/nonexistent/prices.json")).toThrow(/\/nonexistent\/prices\.json: cannot read the price catalog/);
  });
});
