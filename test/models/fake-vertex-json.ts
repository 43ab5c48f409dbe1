
/** JSON helpers and the error type shared by the parts of the fake Vertex AI server. */

export type JsonObject = Record<string, unknown>;

export type FakeStatus = "INVALID_ARGUMENT" | "FAILED_PRECONDITION" | "NOT_FOUND" | "ALREADY_EXISTS" | "RESOURCE_EXHAUSTED" | "UNAVAILABLE" | "INTERNAL" | "UNIMPLEMENTED";

/** The HTTP status Google APIs answer with for each canonical status. */
export const HTTP_STATUS: Readonly<Record<FakeStatus, number>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
  UNIMPLEMENTED: 501,
};

/** gRPC code numbers, which a failed long-running operation reports in `error.code`. */
export const GRPC_CODE: Readonly<Record<FakeStatus, number>> = {
  INVALID_ARGUMENT: 3,
  FAILED_PRECONDITION: 9,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  UNAVAILABLE: 14,
  INTERNAL: 13,
  UNIMPLEMENTED: 12,
};

/** Thrown by the fake's handlers; the server turns it into Google's JSON error body. */
export class FakeError extends Error {
  constructor(
    readonly status: FakeStatus,
    message: string,
  ) {
    super(message);
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function obj(value: unknown, key: string): JsonObject {
  const v = isObject(value) ? value[key] : undefined;
  return isObject(v) ? v : {};
}

export function str(value: unknown, key: string): string | undefined {
  const v = isObject(value) ? value[key] : undefined;
  return typeof v === "string" ? v : undefined;
}

export function num(value: unknown, key: string): number | undefined {
  const v = isObject(value) ? value[key] : undefined;
  if (typeof v === "number") return v;
  return typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export function list(value: unknown, key: string): unknown[] {
  const v = isObject(value) ? value[key] : undefined;
  return Array.isArray(v) ? v : [];
}

/** A traffic split from a request body, checked the way Vertex AI checks it. */
export function parseSplit(value: unknown, where: string): Record<string, number> {
  const split: Record<string, number> = {};
  for (const [id, percent] of Object.entries(isObject(value) ? value : {})) {
    if (typeof percent !== "number" || !Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw new FakeError("INVALID_ARGUMENT", `${where}: traffic percentage for ${id} must be an integer from 0 to 100`);
    }
    split[id] = percent;
  }
  return split;
}

export function splitSum(split: Record<string, number>): number {
  return Object.values(split).reduce((a, b) => a + b, 0);
}

/**
 * google.cloud.aiplatform.v1.AcceleratorType, from its proto (@google-cloud/aiplatform 6.9.0,
 * build/protos/google/cloud/aiplatform/v1/accelerator_type.proto), written out here rather than
 * read from the client's descriptors, which the providers read too: a wrong lookup there would
 * otherwise be mirrored here. Names and numbers both ways.
 */
const ACCELERATOR_NUMBERS: Readonly<Record<string, number>> = {
  ACCELERATOR_TYPE_UNSPECIFIED: 0,
  NVIDIA_TESLA_K80: 1,
  NVIDIA_TESLA_P100: 2,
  NVIDIA_TESLA_V100: 3,
  NVIDIA_TESLA_P4: 4,
  NVIDIA_TESLA_T4: 5,
  TPU_V2: 6,
  TPU_V3: 7,
  NVIDIA_TESLA_A100: 8,
  NVIDIA_A100_80GB: 9,
  TPU_V4_POD: 10,
  NVIDIA_L4: 11,
  TPU_V5_LITEPOD: 12,
  NVIDIA_H100_80GB: 13,
  NVIDIA_H100_MEGA_80GB: 14,
  NVIDIA_H200_141GB: 15,
  NVIDIA_B200: 16,
  NVIDIA_GB200: 17,
  NVIDIA_RTX_PRO_6000: 18,
};
const ACCELERATORS: Record<string | number, string | number> = Object.fromEntries(Object.entries(ACCELERATOR_NUMBERS).flatMap(([name, n]) => [[name, n], [n, name]]));

/** Requests carry enums as numbers (`enum-encoding=int`); the fake stores names. */
export function acceleratorName(value: unknown): string | undefined {
  const name = typeof value === "number" ? ACCELERATORS[value] : value;
  return typeof name === "string" && name !== "ACCELERATOR_TYPE_UNSPECIFIED" ? name : undefined;
}

export function acceleratorNumber(name: string): number {
  return Number(ACCELERATORS[name]);
}

/** "camelCase,snake_case" update masks (body or query) as snake_case paths. */
export function maskPaths(mask: unknown): string[] {
  if (typeof mask !== "string") return [];
  return mask
    .split(",")
    .filter(Boolean)
    .map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}
