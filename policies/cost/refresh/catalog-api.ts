/**
 * A client of the Cloud Billing Catalog API's `services.skus.list`
 * (https://cloud.google.com/billing/docs/reference/rest/v1/services.skus/list): every public SKU
 * of a service with its prices in USD, page by page. The page fetcher is a parameter, so tests
 * replay recorded responses and `llmops prices refresh` calls Google with the caller's credentials.
 */

/** Services whose SKUs the catalog is built from (serviceId as the Catalog API names them). */
export const SERVICES = {
  compute: { id: "6F81-5844-456A", name: "Compute Engine" },
  gke: { id: "CCD8-9BF1-090E", name: "Kubernetes Engine" },
  vertex: { id: "C7E2-9256-1C43", name: "Vertex AI" },
} as const;
export type ServiceKey = keyof typeof SERVICES;

/** `Money` (units as a decimal string, nanos as billionths). */
export interface ApiMoney {
  readonly currencyCode: string;
  readonly units?: string;
  readonly nanos?: number;
}

export interface ApiSku {
  readonly name: string;
  readonly skuId: string;
  readonly description: string;
  readonly category: { readonly serviceDisplayName?: string; readonly resourceFamily?: string; readonly resourceGroup?: string; readonly usageType?: string };
  readonly serviceRegions: readonly string[];
  readonly pricingInfo: readonly {
    readonly effectiveTime: string;
    readonly summary?: string;
    readonly pricingExpression: {
      readonly usageUnit: string;
      readonly usageUnitDescription?: string;
      readonly baseUnit?: string;
      readonly baseUnitConversionFactor?: number;
      readonly displayQuantity?: number;
      readonly tieredRates: readonly { readonly startUsageAmount?: number; readonly unitPrice: ApiMoney }[];
    };
    readonly currencyConversionRate?: number;
  }[];
  readonly serviceProviderName?: string;
}

export interface SkuPage {
  readonly skus?: readonly ApiSku[];
  readonly nextPageToken?: string;
}

export type FetchPage = (serviceId: string, pageToken: string | undefined) => Promise<SkuPage>;

export class RefreshError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefreshError";
  }
}

/** At 5000 SKUs a page, Compute Engine (the largest service) needs a handful; this only stops a loop. */
const MAX_PAGES = 200;

/** Every SKU of a service, following `nextPageToken` until the API returns none. */
export async function listSkus(serviceId: string, fetchPage: FetchPage): Promise<ApiSku[]> {
  const skus: ApiSku[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await fetchPage(serviceId, token);
    if (reply === null || typeof reply !== "object" || (reply.skus !== undefined && !Array.isArray(reply.skus))) {
      throw new RefreshError(`services/${serviceId}/skus: the reply is not a ListSkusResponse ({ skus: [...], nextPageToken })`);
    }
    skus.push(...(reply.skus ?? []));
    token = reply.nextPageToken || undefined;
    if (!token) return skus;
    if (seen.has(token)) throw new RefreshError(`services/${serviceId}/skus: the API returned page token "${token}" twice`);
    seen.add(token);
  }
  throw new RefreshError(`services/${serviceId}/skus: more than ${MAX_PAGES} pages`);
}

/** USD of a `Money`. Anything but USD is refused: the catalog is in USD. */
export function moneyUsd(m: ApiMoney, sku: string): number {
  if (m.currencyCode !== "USD") throw new RefreshError(`SKU ${sku}: price in ${m.currencyCode}; the catalog is in USD (currencyCode=USD)`);
  return Number(m.units ?? "0") + (m.nanos ?? 0) / 1e9;
}

/**
 * Pages from Google: `GET https://cloudbilling.googleapis.com/v1/services/{id}/skus` with the
 * caller's bearer token, `currencyCode=USD`, `pageSize=5000`.
 */
export function googleFetchPage(token: () => Promise<string>, fetchImpl: typeof fetch = fetch): FetchPage {
  return async (serviceId, pageToken) => {
    const url = new URL(`https://cloudbilling.googleapis.com/v1/services/${serviceId}/skus`);
    url.searchParams.set("currencyCode", "USD");
    url.searchParams.set("pageSize", "5000");
    if (pageToken) url.searchParams.set("pageToken", pageToken);
    const response = await fetchImpl(url, { headers: { Authorization: `Bearer ${await token()}` } });
    const text = await response.text();
    if (!response.ok) {
      let detail = text.slice(0, 300);
      try {
        detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail;
      } catch {
        // not JSON: keep the text
      }
      const hint = response.status === 403 ? " (enable cloudbilling.googleapis.com in the credentials' quota project, and check they may call it)" : response.status === 401 ? " (the credentials were refused: run gcloud auth application-default login)" : "";
      throw new RefreshError(`services/${serviceId}/skus: HTTP ${response.status}: ${detail}${hint}`);
    }
    try {
      return JSON.parse(text) as SkuPage;
    } catch {
      throw new RefreshError(`services/${serviceId}/skus: the reply is not JSON`);
    }
  };
}
