import { apiError, describeError } from "./errors";
import type { RetryPolicy } from "./retry";

/**
 * One authenticated REST call to a Google API, shared by the providers that speak plain HTTP
 * (Artifact Registry's KFP host, Cloud Storage, Cloud Build). Like the other helpers here it is
 * serialised with the providers into the Pulumi state: plain functions over plain data.
 */
export interface HttpConnection {
  /** Sends no credentials: only for a local fake or an authenticating proxy. */
  readonly anonymous: boolean;
  /** Deadline of one request. */
  readonly timeoutMs: number;
}

/** The connection inputs of the providers that speak plain HTTP (KfpTemplate, ContainerImageBuild), as a program sets them. */
export interface HttpConnectionInputs {
  /** `"anonymous"` sends no credentials: only for a local fake or an authenticating proxy. @default "application-default" */
  readonly credentials?: "application-default" | "anonymous";
  /** Deadline of one HTTP request. @default 60000 */
  readonly timeoutMs?: number;
  /** Bounds of the retry on 429/503. @default { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 32000 } */
  readonly retry?: Partial<RetryPolicy>;
}

async function authorization(conn: HttpConnection): Promise<Record<string, string>> {
  if (conn.anonymous) return {};
  // Loaded where the provider runs; the token is fetched per call and never kept in the state.
  const { GoogleAuth } = require("google-auth-library") as typeof import("google-auth-library");
  const token = await new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }).getAccessToken();
  if (!token) throw new Error("google-auth-library returned no access token; run `gcloud auth application-default login`");
  return { authorization: `Bearer ${token}` };
}

/**
 * One HTTP request with a deadline; a non-2xx answer becomes an error with its status name (from
 * Google's JSON error body, else from the HTTP status), which `withRetry` classifies and prefixes.
 */
export async function httpRequest(conn: HttpConnection, url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, headers: { ...(await authorization(conn)), ...(init.headers ?? {}) }, signal: AbortSignal.timeout(conn.timeoutMs) });
  } catch (err) {
    if ((err as Error).name === "TimeoutError") throw apiError(`no answer within ${conn.timeoutMs} ms`, "DEADLINE_EXCEEDED", err);
    throw err;
  }
  if (res.ok) return res;
  const { status, message } = describeError({ code: res.status, message: await res.text() });
  throw apiError(`HTTP ${res.status}: ${message}`, status);
}
