import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { committedCatalog, parseCatalog, priceUsd } from "../../policies/cost/catalog";
import type { Price } from "../../policies/cost/catalog";
import { buildCatalog } from "../../policies/cost/refresh/build";
import { type FetchPage, RefreshError, SERVICES, type SkuPage, googleFetchPage, listSkus, moneyUsd } from "../../policies/cost/refresh/catalog-api";
import { llmops } from "../cli/cli";
import { ROOT } from "../helpers/project";
import { COMPUTE_PAGES, GKE_PAGES, RATES, RECORDED, VERTEX_PAGES } from "./fixtures/catalog-api";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-prices-"));
  dirs.push(dir);
  return dir;
};

const replay = (pages: readonly SkuPage[]): FetchPage => async (_service, token) => pages[token === undefined ? 0 : pages.findIndex((_, i) => i > 0 && pages[i - 1].nextPageToken === token)];

const built = () =>
  buildCatalog(committedCatalog(), { compute: [...COMPUTE_PAGES.flatMap((p) => p.skus ?? [])], gke: [...(GKE_PAGES[0].skus ?? [])], vertex: [...(VERTEX_PAGES[0].skus ?? [])] }, "2026-12-02");

const object = (p: Price | undefined) => {
  if (p === undefined || typeof p === "number") throw new Error(`expected a price with SKUs, got ${JSON.stringify(p)}`);
  return p;
};

describe("the Catalog API client", () => {
  it("follows nextPageToken across pages and stops where the API gives none", async () => {
    const skus = await listSkus(SERVICES.compute.id, replay(COMPUTE_PAGES));
    expect(skus.map((s) => s.skuId)).toEqual(COMPUTE_PAGES.flatMap((p) => (p.skus ?? []).map((s) => s.skuId)));
  });

  it("refuses a page token repeated (a loop) and a reply that is not a ListSkusResponse", async () => {
    const loop: FetchPage = async () => ({ skus: [], nextPageToken: "again" });
    await expect(listSkus("X", loop)).rejects.toThrow(/returned page token "again" twice/);
    await expect(listSkus("X", async () => ({ skus: "none" }) as unknown as SkuPage)).rejects.toThrow(/not a ListSkusResponse/);
  });

  it("reads Money as units plus nanos, in USD only", async () => {
    expect(moneyUsd({ currencyCode: "USD", units: "1", nanos: 250_000_000 }, "S")).toBe(1.25);
    expect(moneyUsd({ currencyCode: "USD", nanos: 3_000_000 }, "S")).toBe(0.003);
    expect(() => moneyUsd({ currencyCode: "EUR", units: "1" }, "F000-0000-0001")).toThrow(/SKU F000-0000-0001: price in EUR; the catalog is in USD/);
  });

  it("asks Google with the caller's token, in USD, 5000 a page, and says what to do on 403", async () => {
    const calls: { url: string; auth: string }[] = [];
    const ok = (async (url: URL, init: RequestInit) => {
      calls.push({ url: String(url), auth: (init.headers as Record<string, string>).Authorization });
      return new Response(JSON.stringify({ skus: [] }), { status: 200 });
    }) as unknown as typeof fetch;
    await googleFetchPage(async () => "tok", ok)(SERVICES.vertex.id, "p2");
    expect(calls).toEqual([{ url: "https://cloudbilling.googleapis.com/v1/services/C7E2-9256-1C43/skus?currencyCode=USD&pageSize=5000&pageToken=p2", auth: "Bearer tok" }]);
    const denied = (async () => new Response(JSON.stringify({ error: { message: "Cloud Billing API has not been used in project 123" } }), { status: 403 })) as unknown as typeof fetch;
    await expect(googleFetchPage(async () => "tok", denied)(SERVICES.compute.id, undefined)).rejects.toThrow(/HTTP 403: Cloud Billing API has not been used in project 123 \(enable cloudbilling.googleapis.com/);
    const garbage = (async () => new Response("<html>", { status: 200 })) as unknown as typeof fetch;
    await expect(googleFetchPage(async () => "tok", garbage)(SERVICES.compute.id, undefined)).rejects.toThrow(RefreshError);
  });
});

describe("a catalog built from recorded SKUs", () => {
  const { catalog, report } = built();

  it("is a valid catalog, dated the day it was fetched, naming the API as its source", async () => {
    expect(parseCatalog(JSON.parse(JSON.stringify(catalog)), "built")).toEqual(catalog);
    expect(catalog.sources["catalog-api-2026-12-02"]).toMatchObject({ fetchedAt: "2026-12-02", url: "https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list" });
    // Every recorded Compute Engine and Vertex AI SKU but the network one is used.
    expect(report.matched).toBe(COMPUTE_PAGES.flatMap((p) => p.skus ?? []).length - 1 + VERTEX_PAGES[0].skus!.length);
  });

  it("prices a machine as cores × core SKU + GiB × RAM SKU + GPUs × GPU SKU, per region and provisioning model", async () => {
    const g2 = catalog.items["compute/machine/g2-standard-12"];
    const { g2: r, g2Emea: e } = RATES;
    expect(priceUsd(g2.prices["us-central1"]["on-demand"]!)).toBeCloseTo(12 * r.core + 48 * r.ram + r.l4, 9);
    expect(priceUsd(g2.prices["us-east1"]["on-demand"]!)).toBeCloseTo(12 * r.core + 48 * r.ram + r.l4, 9);
    expect(priceUsd(g2.prices["us-central1"].spot!)).toBeCloseTo(12 * r.spotCore + 48 * r.spotRam + r.spotL4, 9);
    expect(priceUsd(g2.prices["us-central1"]["commit-1y"]!)).toBeCloseTo(12 * r.commitCore + 48 * r.commitRam + r.commitL4, 9);
    expect(priceUsd(g2.prices["europe-west4"]["on-demand"]!)).toBeCloseTo(12 * e.core + 48 * e.ram + e.l4, 9);
    // No spot SKUs for EMEA in the replies: no spot price there, rather than a guess.
    expect(g2.prices["europe-west4"].spot).toBeUndefined();
    expect(Object.keys(g2.prices).sort()).toEqual(["europe-west4", "us-central1", "us-east1"]);
  });

  it("keeps every SKU of a price with its id, description, unit, quantity and effective time; the latest price of each, its first tier", async () => {
    const price = object(catalog.items["compute/machine/g2-standard-12"].prices["us-central1"]["on-demand"]);
    expect(price.skus).toEqual([
      { id: "F000-0000-0001", description: "G2 Instance Core running in Americas", usd: 0.025, unit: "h", quantity: 12, effectiveTime: "2026-11-01T08:00:00.000Z" },
      { id: "F000-0000-0002", description: "G2 Instance Ram running in Americas", usd: 0.003, unit: "GiBy.h", quantity: 48, effectiveTime: "2026-11-01T08:00:00.000Z" },
      { id: "F000-0000-0003", description: "Nvidia L4 GPU running in Americas", usd: 0.5, unit: "h", quantity: 1, effectiveTime: "2026-11-01T08:00:00.000Z" },
    ]);
    expect(price.effectiveTime).toBe("2026-11-01T08:00:00.000Z");
  });

  it("prices CPU machines, attached GPUs, Vertex AI prediction nodes and the GKE fee", async () => {
    expect(priceUsd(catalog.items["compute/machine/e2-standard-4"].prices["us-central1"]["on-demand"]!)).toBeCloseTo(4 * 0.02 + 16 * 0.0025, 9);
    expect(priceUsd(catalog.items["compute/gpu/nvidia-tesla-t4"].prices["us-central1"]["on-demand"]!)).toBe(0.35);
    const v = RATES.vertexG2;
    expect(priceUsd(catalog.items["vertex/prediction/machine/g2-standard-12"].prices["us-central1"]["on-demand"]!)).toBeCloseTo(12 * v.core + 48 * v.ram + v.l4, 9);
    expect(object(catalog.items["gke/cluster-management"].prices.global["on-demand"]).skus.map((s) => s.id)).toEqual(["F000-0000-0102"]);
  });

  it("carries over what it does not read, with its own source and date, and lists what it could not price", async () => {
    expect(catalog.items["storage/standard"]).toEqual(committedCatalog().items["storage/standard"]);
    expect(catalog.sources[catalog.items["storage/standard"].source].fetchedAt).toBe("2026-07-30");
    // TPUs are not read; A2 has no SKUs in the replies; A2 Ultra comes with local SSD.
    expect(catalog.missing["compute/tpu/"]).toMatch(/Cloud TPU/);
    expect(catalog.missing["compute/machine/a2-highgpu-1g"]).toMatch(/no core, RAM and GPU SKUs of series A2/);
    expect(catalog.missing["compute/machine/a2-ultragpu-1g"]).toMatch(/local SSD/);
    expect(catalog.items["compute/machine/a2-highgpu-1g"]).toBeUndefined();
    // Vertex AI prediction is priced now: its "missing" entry is gone.
    expect(catalog.missing["vertex/prediction/"]).toBeUndefined();
  });

  it("refuses replies in which nothing matches, and dates that are not dates", async () => {
    expect(() => buildCatalog(committedCatalog(), { compute: [], gke: [], vertex: [] }, "2026-12-02")).toThrow(/no SKU matched anything/);
    expect(() => buildCatalog(committedCatalog(), { compute: [], gke: [], vertex: [] }, "yesterday")).toThrow(/not a date YYYY-MM-DD/);
  });
});

describe("llmops prices refresh", () => {
  it("writes a valid catalog from recorded replies (--responses), creating the folder", async () => {
    const dir = tmp();
    const responses = path.join(dir, "replies.json");
    fs.writeFileSync(responses, JSON.stringify(RECORDED));
    const out = path.join(dir, "nested", "prices.json");
    const run = await llmops(ROOT, "prices", "refresh", "--responses", responses, "--out", out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*prices\.json: \d+ items from the Cloud Billing Catalog API as of \d{4}-\d{2}-\d{2}/);
    expect(run.stdout).toMatch(/kept from the previous catalog: .*storage\/standard \(2026-07-30\)/);
    expect(run.stdout).toMatch(/no price: compute\/tpu\/: /);
    const written = parseCatalog(JSON.parse(fs.readFileSync(out, "utf8")), out);
    expect(Object.keys(written.items)).toContain("vertex/prediction/machine/g2-standard-12");
  });

  it("refuses replies it cannot read, and a missing service, without a stack trace", async () => {
    const dir = tmp();
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, "{ not json");
    const run = await llmops(ROOT, "prices", "refresh", "--responses", bad, "--out", path.join(dir, "x.json"));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.json: cannot read recorded Catalog API replies/);
    const partial = path.join(dir, "partial.json");
    fs.writeFileSync(partial, JSON.stringify({ [SERVICES.compute.id]: COMPUTE_PAGES }));
    const missing = await llmops(ROOT, "prices", "refresh", "--responses", partial, "--out", path.join(dir, "x.json"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/prices refresh: .*no recorded replies for service CCD8-9BF1-090E; allowed: 6F81-5844-456A \(Compute Engine\)/);
    expect(missing.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(fs.existsSync(path.join(dir, "x.json"))).toBe(false);
  });

  it("without credentials, says how to get them (exit 1) and writes nothing", async () => {
    const dir = tmp();
    // GOOGLE_APPLICATION_CREDENTIALS pointing nowhere fails at once, without a network call.
    const noCreds = spawnSync(process.execPath, [path.join(ROOT, "bin/llmops.js"), "prices", "refresh", "--out", path.join(dir, "y.json")], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, GOOGLE_APPLICATION_CREDENTIALS: path.join(dir, "absent.json") },
    });
    expect(noCreds.status).toBe(1);
    expect(noCreds.stderr).toMatch(/prices refresh: no usable Google credentials .*run gcloud auth application-default login/);
    expect(fs.existsSync(path.join(dir, "y.json"))).toBe(false);
  });
});
