import * as fs from "node:fs";
import * as path from "node:path";
import { CATALOG_FILE, type PriceCatalog, catalogJson, committedCatalog } from "../policies/cost";
import { buildCatalog } from "../policies/cost/refresh/build";
import { type FetchPage, RefreshError, SERVICES, type SkuPage, googleFetchPage, listSkus } from "../policies/cost/refresh/catalog-api";
import { UserError } from "./project";

/**
 * `llmops prices refresh`: the price catalog rebuilt from the Cloud Billing Catalog API with the
 * caller's Google credentials (Application Default Credentials), or from recorded replies.
 */

/** The caller's access token, from Application Default Credentials. */
async function adcToken(): Promise<string> {
  const { GoogleAuth } = require("google-auth-library") as typeof import("google-auth-library");
  try {
    const client = await new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-billing.readonly"] }).getClient();
    const { token } = await client.getAccessToken();
    if (!token) throw new Error("no access token");
    return token;
  } catch (err) {
    throw new RefreshError(`no usable Google credentials (${(err as Error).message.split("\n")[0]}); run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS`);
  }
}

/**
 * Replies recorded from the API: `{ "<serviceId>": [ <ListSkusResponse page>, … ] }`, replayed in
 * order (a page's `nextPageToken` must name the next page's position, as the API's would).
 */
export function recordedPages(file: string): FetchPage {
  let recorded: Record<string, SkuPage[]>;
  try {
    recorded = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: cannot read recorded Catalog API replies: ${(err as Error).message}`);
  }
  if (recorded === null || typeof recorded !== "object" || Array.isArray(recorded)) throw new UserError(`${file}: expected { "<serviceId>": [ pages ] }`);
  return async (serviceId, pageToken) => {
    const pages = recorded[serviceId];
    if (!Array.isArray(pages)) throw new RefreshError(`${file}: no recorded replies for service ${serviceId}; allowed: ${Object.values(SERVICES).map((s) => `${s.id} (${s.name})`).join(", ")}`);
    const at = pageToken === undefined ? 0 : pages.findIndex((_, i) => i > 0 && pages[i - 1].nextPageToken === pageToken);
    if (at < 0) throw new RefreshError(`${file}: service ${serviceId}: no recorded page follows token "${pageToken}"`);
    return pages[at];
  };
}

export interface RefreshOptions {
  /** Where to write; default the committed policies/cost/catalog/prices.json. */
  readonly out?: string;
  /** Recorded replies instead of Google. */
  readonly responses?: string;
  readonly now?: Date;
  readonly fetchPage?: FetchPage;
}

export async function refreshPrices(options: RefreshOptions): Promise<PriceCatalog> {
  const fetchPage = options.fetchPage ?? (options.responses ? recordedPages(options.responses) : googleFetchPage(adcToken));
  const fetchedAt = (options.now ?? new Date()).toISOString().slice(0, 10);
  try {
    const skus = {
      compute: await listSkus(SERVICES.compute.id, fetchPage),
      gke: await listSkus(SERVICES.gke.id, fetchPage),
      vertex: await listSkus(SERVICES.vertex.id, fetchPage),
    };
    const { catalog, report } = buildCatalog(committedCatalog(), skus, fetchedAt);
    const out = path.resolve(options.out ?? CATALOG_FILE);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, catalogJson(catalog));
    const fresh = Object.values(catalog.items).filter((i) => catalog.sources[i.source].fetchedAt === fetchedAt).length;
    const kept = Object.entries(catalog.items).filter(([, i]) => catalog.sources[i.source].fetchedAt !== fetchedAt).map(([k, i]) => `${k} (${catalog.sources[i.source].fetchedAt})`);
    const lines = [
      `wrote ${path.relative(process.cwd(), out) || out}: ${fresh} items from the Cloud Billing Catalog API as of ${fetchedAt} (${skus.compute.length + skus.gke.length + skus.vertex.length} SKUs read, ${report.matched} used)`,
      ...(kept.length ? [`kept from the previous catalog: ${kept.join(", ")}`] : []),
      ...Object.entries(catalog.missing).map(([k, why]) => `no price: ${k}: ${why}`),
      ...report.conflicts.map((c) => `two SKUs for one price: ${c}`),
    ];
    console.log(lines.join("\n"));
    return catalog;
  } catch (err) {
    if (err instanceof RefreshError) throw new UserError(`prices refresh: ${err.message}`);
    throw err;
  }
}
