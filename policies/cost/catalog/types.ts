import { z } from "zod";

/**
 * The price catalog: what this project provisions, priced per unit, per region and per way of
 * obtaining it, with where every price came from and when. `policies/cost/catalog/prices.json` is the
 * committed one; `npx llmops prices refresh` regenerates it from the Cloud Billing Catalog API.
 */

/** How capacity is bought, as the catalog prices it. Reservations are billed at one of these (see estimate.ts). */
export const PRICE_MODES = ["on-demand", "spot", "flex-start", "commit-1y", "commit-3y"] as const;
export type PriceMode = (typeof PRICE_MODES)[number];

export const UNITS = ["hour", "GiB-month", "GiB"] as const;
export type Unit = (typeof UNITS)[number];

/** One SKU a price is made of, as the Catalog API lists it. */
const skuSchema = z.strictObject({
  /** `skuId`, e.g. `A88A-5A60-E821`. */
  id: z.string().regex(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/, "expected a Catalog API skuId such as A88A-5A60-E821"),
  description: z.string().min(1),
  /** USD per `unit` of the SKU (the last tier's `unitPrice`). */
  usd: z.number().nonnegative(),
  /** The SKU's `usageUnit` (`h`, `GiBy.h`, `GiBy.mo`). */
  unit: z.string().min(1),
  /** How many SKU units one catalog unit holds (12 cores of a 12-vCPU machine). */
  quantity: z.number().positive(),
  /** `pricingInfo[].effectiveTime` of the price used. */
  effectiveTime: z.string().min(1),
});
export type CatalogSku = z.infer<typeof skuSchema>;

/**
 * USD per unit. A bare number comes from a source that publishes aggregated prices without SKU
 * ids (its `method` says how they were made); an object carries the SKUs and effective time.
 */
const priceSchema = z.union([
  z.number().positive(),
  z.strictObject({ usd: z.number().positive(), effectiveTime: z.string().min(1), skus: z.array(skuSchema).default([]) }),
]);
export type Price = z.infer<typeof priceSchema>;

const itemSchema = z.strictObject({
  service: z.string().min(1),
  /** What one unit is: "g2-standard-12 VM: 12 vCPU, 48 GiB, 1 × nvidia-l4". */
  description: z.string().min(1),
  unit: z.enum(UNITS),
  /** Key of `sources`. */
  source: z.string().min(1),
  /** Descriptions of the Catalog API SKUs this item is made of (`<location>` stands for the SKU's location). */
  skus: z.array(z.string()).default([]),
  /** Region (or `global`, or a bucket location such as `US`) → mode → price. */
  prices: z.record(z.string(), z.partialRecord(z.enum(PRICE_MODES), priceSchema)),
});
export type CatalogItem = z.infer<typeof itemSchema>;

const sourceSchema = z.strictObject({
  name: z.string().min(1),
  url: z.string().min(1),
  /** The date the prices were read from Google (`YYYY-MM-DD`): the catalog's age is counted from it. */
  fetchedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD"),
  /** How the prices were obtained and derived. */
  method: z.string().min(1),
  license: z.string().optional(),
});
export type CatalogSource = z.infer<typeof sourceSchema>;

const machineSchema = z.strictObject({
  vcpus: z.number().positive(),
  memoryGib: z.number().positive(),
  gpus: z.strictObject({ type: z.string().min(1), count: z.number().int().positive() }).optional(),
  localSsdGib: z.number().positive().optional(),
});
export type MachineSpec = z.infer<typeof machineSchema>;

export const catalogSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    currency: z.literal("USD"),
    hoursPerMonth: z.literal(730),
    sources: z.record(z.string(), sourceSchema),
    machines: z.record(z.string(), machineSchema),
    /** `compute/machine/<type>`, `gke/cluster-management`, `storage/<class>`, `network/internet-egress`, `vertex/prediction/<type>`, … */
    items: z.record(z.string(), itemSchema),
    /** Item keys (or prefixes ending in `/`) the catalog has no price for, and why. */
    missing: z.record(z.string(), z.string()),
  })
  .superRefine((catalog, ctx) => {
    for (const [key, item] of Object.entries(catalog.items)) {
      if (!Object.hasOwn(catalog.sources, item.source)) ctx.addIssue({ code: "custom", path: ["items", key, "source"], message: `unknown source "${item.source}"; allowed: ${Object.keys(catalog.sources).join(", ")}` });
    }
  });
export type PriceCatalog = z.infer<typeof catalogSchema>;

export function priceUsd(price: Price): number {
  return typeof price === "number" ? price : price.usd;
}
