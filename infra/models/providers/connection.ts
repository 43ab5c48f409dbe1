import type { v1 } from "@google-cloud/aiplatform";
import { OperationPolicy } from "./operations";
import { RetryPolicy, resolveRetry } from "../../common/providers/retry";

/**
 * How a provider reaches Vertex AI. Every field is optional; the defaults talk to the regional
 * public endpoint with Application Default Credentials.
 */
export interface VertexConnection {
  /**
   * `host[:port]` of the Vertex AI API, for Private Service Connect endpoints and for tests
   * against a local fake. An explicit input on purpose: the providers never guess that they
   * run under test.
   * @default `${region}-aiplatform.googleapis.com`
   */
  readonly apiEndpoint?: string;
  /** @default "https" */
  readonly protocol?: "https" | "http";
  /**
   * `"anonymous"` sends a fixed placeholder bearer token and never looks for Google credentials
   * (no metadata server, no key file): only for a local fake or an authenticating proxy.
   * @default "application-default"
   */
  readonly credentials?: "application-default" | "anonymous";
  /** Bounds of the retry on 429/503. @default { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 32000 } */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * How long to wait for one long-running operation. GPU deployments of large models commonly
   * take 15-45 minutes; the default stays below the 60-minute limit of the deploy job
   * (.github/workflows/deploy.yml), so a slow operation ends the run with a report (and the
   * operation keeps running in Vertex AI) rather than with a killed process.
   * @default 2400000 (40 minutes)
   */
  readonly operationTimeoutMs?: number;
  /** @default 10000 */
  readonly pollIntervalMs?: number;
}

export type VertexClientOptions = NonNullable<ConstructorParameters<typeof v1.EndpointServiceClient>[0]>;

export interface ResolvedConnection {
  readonly clientOptions: VertexClientOptions;
  readonly retry: RetryPolicy;
  readonly operation: OperationPolicy;
}

export const DEFAULT_OPERATION_TIMEOUT_MS = 2_400_000;
export const DEFAULT_POLL_INTERVAL_MS = 10_000;

/** Problems with the connection fields, as `[property, reason]` pairs for a provider's `check`. */
export function connectionProblems(conn: VertexConnection): [string, string][] {
  const problems: [string, string][] = [];
  if (conn.apiEndpoint !== undefined && !/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(conn.apiEndpoint)) {
    problems.push(["apiEndpoint", `"${conn.apiEndpoint}" is not host[:port] (no scheme, no path)`]);
  }
  if (conn.protocol !== undefined && conn.protocol !== "https" && conn.protocol !== "http") {
    problems.push(["protocol", `"${String(conn.protocol)}" is not a protocol; allowed: https, http`]);
  }
  if (conn.credentials !== undefined && conn.credentials !== "application-default" && conn.credentials !== "anonymous") {
    problems.push(["credentials", `"${String(conn.credentials)}" is not a credentials mode; allowed: application-default, anonymous`]);
  }
  if (conn.protocol === "http" && conn.credentials !== "anonymous") {
    problems.push(["protocol", `"http" would send Google credentials in clear text; use it only with credentials: "anonymous"`]);
  }
  for (const key of ["operationTimeoutMs", "pollIntervalMs"] as const) {
    const value = conn[key];
    if (value !== undefined && !(typeof value === "number" && value > 0 && Number.isFinite(value))) {
      problems.push([key, `must be a positive number of milliseconds, got ${String(value)}`]);
    }
  }
  return problems;
}

/**
 * Client options for the REST transport (`fallback: true`): plain HTTPS/JSON, which works through
 * proxies and lets tests use an HTTP fake. The host's port is split off here because the generated
 * clients always pass an explicit `port` (443), which would override one embedded in `apiEndpoint`.
 */
export function resolveConnection(region: string, conn: VertexConnection): ResolvedConnection {
  const endpoint = conn.apiEndpoint ?? `${region}-aiplatform.googleapis.com`;
  const protocol = conn.protocol ?? "https";
  const match = /^(.*):(\d+)$/.exec(endpoint);
  const clientOptions: VertexClientOptions = {
    apiEndpoint: match ? match[1] : endpoint,
    port: match ? Number(match[2]) : protocol === "http" ? 80 : 443,
    protocol,
    fallback: true,
  };
  if (conn.credentials === "anonymous") {
    // Required here, not imported: the providers are serialised into the state and must load
    // their dependencies where they run. A token without expiry is never refreshed, so nothing
    // contacts a metadata server or token endpoint.
    const { OAuth2Client } = require("google-auth-library") as typeof import("google-auth-library");
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: "anonymous" });
    clientOptions.authClient = authClient;
  }
  return {
    clientOptions,
    retry: resolveRetry(conn.retry),
    operation: {
      timeoutMs: conn.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS,
      pollIntervalMs: conn.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
    },
  };
}

/**
 * One official client per service, host, port, protocol and credentials mode for the life of the
 * process. Building one compiles the API's protobuf descriptors (a third of a second of CPU, more
 * for the first), and a dynamic provider's process runs every operation of an update: each used
 * to build its own. Clients are meant to be long-lived and are never closed here; the process's
 * exit ends them. The registry lives on globalThis, under a registered symbol, so that the
 * providers Pulumi serialises capture no state of this module.
 */
export function sharedClient<T>(service: string, options: VertexClientOptions, build: () => T): T {
  const store = globalThis as unknown as Record<symbol, Map<string, unknown> | undefined>;
  const clients = (store[Symbol.for("llmops.vertex-clients")] ??= new Map<string, unknown>());
  // Anonymous credentials are the one fixed token resolveConnection sets; anything else is ADC.
  const key = JSON.stringify([service, options.apiEndpoint, options.port, options.protocol, options.fallback, options.authClient ? "anonymous" : "application-default"]);
  let client = clients.get(key) as T | undefined;
  if (client === undefined) {
    client = build();
    clients.set(key, client);
  }
  return client;
}
