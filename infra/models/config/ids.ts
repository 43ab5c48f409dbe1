import { createHash } from "node:crypto";

/**
 * A Vertex AI endpoint id: numeric, no leading zero, at most 10 digits (the `name` of
 * `gcp.vertex.AiEndpoint`). Derived from the model and region so that it is known before the
 * endpoint exists and never changes between runs.
 */
export function endpointId(project: string, model: string, region: string): string {
  const digest = createHash("sha256").update(JSON.stringify(["endpoint", project, model, region])).digest();
  return ((digest.readBigUInt64BE(0) % 9_000_000_000n) + 1_000_000_000n).toString();
}

/** The Model Registry id of a model: one entry per model per region. */
export function registryModelId(model: string): string {
  return model;
}

/** Template ids: letters, digits, `-` and `_`; one template per model version and region. */
export function templateId(model: string, version: string): string {
  return `llmops-${model}-${version.replace(/[^A-Za-z0-9]/g, "-")}`;
}
