/**
 * Vertex AI resource names. Vertex answers with the project *number* where callers wrote the
 * project id, and reports a deployed model as `models/ID` plus a separate `modelVersionId`, so
 * names are compared by their model id and version, never as strings.
 */

export interface ModelRef {
  readonly project: string;
  readonly location: string;
  readonly modelId: string;
  /** Version id (`@3`) or alias (`@v1-2-0`); absent for the model itself. */
  readonly version?: string;
}

const MODEL_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/models\/([^/@]+)(?:@([^/@]+))?$/;
const ENDPOINT_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/]+)$/;
const ENDPOINT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function parseModelName(name: string): ModelRef | undefined {
  const m = MODEL_NAME.exec(name);
  return m ? { project: m[1], location: m[2], modelId: m[3], version: m[4] } : undefined;
}

/** True when both name the same model version, whichever way the project is spelled. */
export function sameModelVersion(a: string, b: string): boolean {
  const ra = parseModelName(a);
  const rb = parseModelName(b);
  return ra !== undefined && rb !== undefined && ra.location === rb.location && ra.modelId === rb.modelId && ra.version === rb.version;
}

export interface EndpointRef {
  readonly project: string;
  readonly location: string;
  readonly endpointId: string;
}

export function parseEndpointName(name: string): EndpointRef | undefined {
  const m = ENDPOINT_NAME.exec(name);
  return m ? { project: m[1], location: m[2], endpointId: m[3] } : undefined;
}

/**
 * The full resource name of `endpoint`, which may already be one (a `gcp.vertex.AiEndpoint`'s
 * `id`) or a bare endpoint id (its `name`). Returns undefined when it is neither.
 */
export function endpointResourceName(project: string, region: string, endpoint: string): string | undefined {
  if (parseEndpointName(endpoint)) return endpoint;
  return ENDPOINT_ID.test(endpoint) ? `projects/${project}/locations/${region}/endpoints/${endpoint}` : undefined;
}
