/**
 * Error vocabulary shared by the dynamic providers.
 *
 * google-gax reports failures in three shapes: a `GoogleError` with a numeric gRPC code (for
 * long-running operations that finished with an error), a `GaxiosError` whose `code` is the HTTP
 * status and whose `message` is the raw JSON error body (for REST calls rejected by the server),
 * and plain network errors (`ECONNREFUSED`). Everything here maps them onto the canonical gRPC
 * status names Vertex AI itself uses, so callers branch on one vocabulary.
 *
 * Every function in this file is serialised into the Pulumi state together with the providers
 * that call it: keep them plain functions over plain data.
 */

export type StatusName =
  | "OK"
  | "CANCELLED"
  | "UNKNOWN"
  | "INVALID_ARGUMENT"
  | "DEADLINE_EXCEEDED"
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "PERMISSION_DENIED"
  | "RESOURCE_EXHAUSTED"
  | "FAILED_PRECONDITION"
  | "ABORTED"
  | "OUT_OF_RANGE"
  | "UNIMPLEMENTED"
  | "INTERNAL"
  | "UNAVAILABLE"
  | "DATA_LOSS"
  | "UNAUTHENTICATED";

/** Indexed by gRPC code number. */
const GRPC_STATUS_NAMES: readonly StatusName[] = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
];

/** The HTTP mapping of https://cloud.google.com/apis/design/errors, used when the body has no `status`. */
const HTTP_STATUS_NAMES: Readonly<Record<number, StatusName>> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  412: "FAILED_PRECONDITION",
  429: "RESOURCE_EXHAUSTED",
  499: "CANCELLED",
  500: "INTERNAL",
  501: "UNIMPLEMENTED",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

export interface ApiError {
  readonly status: StatusName;
  readonly message: string;
}

function isStatusName(value: unknown): value is StatusName {
  return typeof value === "string" && (GRPC_STATUS_NAMES as readonly string[]).includes(value);
}

function statusFromCode(code: unknown): StatusName | undefined {
  if (typeof code === "string" && code === "ECONNREFUSED") return "UNAVAILABLE"; // nothing was sent: safe to retry
  if (typeof code !== "number") return undefined;
  if (code >= 100) return HTTP_STATUS_NAMES[code] ?? (code >= 500 ? "INTERNAL" : "UNKNOWN");
  return GRPC_STATUS_NAMES[code];
}

interface JsonErrorBody {
  readonly error?: { readonly code?: number; readonly message?: string; readonly status?: string };
}

function parseJsonBody(text: string): JsonErrorBody | undefined {
  if (!text.trimStart().startsWith("{")) return undefined;
  try {
    return JSON.parse(text) as JsonErrorBody;
  } catch {
    return undefined;
  }
}

/** Normalises any thrown value into a status name and a human message. */
export function describeError(err: unknown): ApiError {
  if (typeof err !== "object" || err === null) return { status: "UNKNOWN", message: String(err) };
  const e = err as { status?: unknown; code?: unknown; message?: unknown };
  const rawMessage = typeof e.message === "string" ? e.message : String(err);
  const body = parseJsonBody(rawMessage)?.error;
  const status =
    (isStatusName(e.status) ? e.status : undefined) ??
    (isStatusName(body?.status) ? body.status : undefined) ??
    statusFromCode(body?.code) ??
    statusFromCode(e.code) ??
    statusFromCode(e.status) ??
    "UNKNOWN";
  return { status, message: body?.message ?? rawMessage };
}

/** 429 and 503: Vertex AI rejected the call before acting on it, so repeating it is safe. */
export function isTransient(err: unknown): boolean {
  const { status } = describeError(err);
  return status === "RESOURCE_EXHAUSTED" || status === "UNAVAILABLE";
}

export function hasStatus(err: unknown, status: StatusName): boolean {
  return describeError(err).status === status;
}

/** An error that keeps its status name, so `describeError` still classifies it after wrapping. */
export function apiError(message: string, status: StatusName, cause?: unknown): Error & ApiError {
  return Object.assign(new Error(message, { cause }), { status });
}

/**
 * A failure after the cloud was already changed. The Pulumi dynamic-provider host turns an error
 * carrying `id` and `properties` into ErrorResourceInitFailed, so the engine records what really
 * exists (instead of the stale previous state) and reports the failure; the next `pulumi up`
 * continues from there. `properties` must include `__provider`, which the host does not add back.
 */
export function partialFailure(
  message: string,
  id: string,
  properties: object,
  cause?: unknown,
): Error & { readonly id: string; readonly properties: object; readonly reasons: string[] } {
  return Object.assign(new Error(message, { cause }), { id, properties, reasons: [message] });
}
