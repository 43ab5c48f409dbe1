import type { PolicyResource } from "../types";
import { regionOf } from "./location";
import { labelsOf, ofType, T } from "./resources";
import { asNumber, asRecord, asString, isRecord, type Json } from "./values";

/**
 * Models as the platform serves them. Serving resources carry the model in their `model` label;
 * the rollout state (stable, candidate, stage, split) is not a resource input, so it is read
 * where each engine has it: the stack's `models` output offline, the `VertexModel` component's
 * registered outputs under CrossGuard (whose stack policies see resource outputs).
 */

export interface RolloutRecord {
  readonly model: string;
  readonly stable?: string;
  readonly candidate?: string;
  readonly stage?: string;
  /** Version → percent of traffic. */
  readonly split: Readonly<Record<string, number>>;
  /** The candidate's stages, first to last, when the record carries them. */
  readonly stages?: readonly { readonly name: string; readonly weight: number }[];
  /** Version → release digest (`sha256:…`) stamped when it was fully rolled out in dev. */
  readonly released?: Readonly<Record<string, string>>;
}

function toRecord(model: string, value: Json): RolloutRecord {
  const split: Record<string, number> = {};
  for (const [v, p] of Object.entries(asRecord(value.split))) if (typeof p === "number") split[v] = p;
  const stages = Array.isArray(value.stages)
    ? value.stages.map(asRecord).flatMap((s) => (typeof s.name === "string" && typeof s.weight === "number" ? [{ name: s.name, weight: s.weight }] : []))
    : undefined;
  const released: Record<string, string> = {};
  for (const [v, d] of Object.entries(asRecord(value.released))) if (typeof d === "string") released[v] = d;
  return {
    model,
    stable: asString(value.stable),
    candidate: asString(value.candidate),
    stage: asString(value.stage),
    split,
    stages,
    released: isRecord(value.released) ? released : undefined,
  };
}

/** `model-support-assistant` → `support-assistant`: VertexModel components are named `model-<name>`. */
function modelOfComponent(name: string): string {
  return name.startsWith("model-") ? name.slice("model-".length) : name;
}

/** Rollout records by model: stack outputs first, then component outputs, then the root stack's outputs. */
export function rolloutRecords(resources: readonly PolicyResource[], outputs?: Readonly<Record<string, unknown>>): RolloutRecord[] {
  const byModel = new Map<string, RolloutRecord>();
  const add = (model: string, value: unknown) => {
    if (isRecord(value) && !byModel.has(model)) byModel.set(model, toRecord(model, value));
  };
  for (const [model, value] of Object.entries(asRecord(outputs?.models))) add(model, value);
  for (const c of ofType(resources, T.vertexModel)) add(modelOfComponent(c.name), c.inputs.rollout);
  for (const s of ofType(resources, T.stack)) for (const [model, value] of Object.entries(asRecord(s.inputs.models))) add(model, value);
  return [...byModel.values()].sort((a, b) => a.model.localeCompare(b.model));
}

/** The model a serving resource belongs to: its `model` label, else its VertexModel parent's name. */
export function modelOf(resource: PolicyResource): string | undefined {
  const label = labelsOf(resource)?.model;
  if (label) return label;
  const parent = resource.parentUrn?.split("::").pop();
  return resource.parentUrn?.includes(`::${T.vertexModel}`) && parent ? modelOfComponent(parent) : undefined;
}

export interface ServedModel {
  readonly model: string;
  readonly endpoints: readonly PolicyResource[];
  readonly regions: readonly string[];
}

/** Models served from Vertex AI endpoints, with the regions their endpoints are in. */
export function servedModels(resources: readonly PolicyResource[]): ServedModel[] {
  const byModel = new Map<string, PolicyResource[]>();
  for (const endpoint of ofType(resources, T.endpoint)) {
    const model = modelOf(endpoint) ?? endpoint.name;
    byModel.set(model, [...(byModel.get(model) ?? []), endpoint]);
  }
  return [...byModel.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([model, endpoints]) => ({ model, endpoints, regions: [...new Set(endpoints.map(endpointRegion).filter((r): r is string => r !== undefined))].sort() }));
}

export function endpointRegion(endpoint: PolicyResource): string | undefined {
  const location = asString(endpoint.inputs.location) ?? asString(endpoint.inputs.region);
  return location ? regionOf(location) : undefined;
}

/** Deployed model id → percent of an EndpointDeployment's split (numbers only). */
export function trafficOf(deployment: PolicyResource): Readonly<Record<string, number>> {
  const split: Record<string, number> = {};
  for (const [id, p] of Object.entries(asRecord(deployment.inputs.trafficSplit))) {
    const n = asNumber(p);
    if (n !== undefined) split[id] = n;
  }
  return split;
}

/** Where to pin a finding about a model: its VertexModel component, else one of its endpoints. */
export function modelUrn(resources: readonly PolicyResource[], model: string): string | undefined {
  const component = resources.find((r) => r.type === T.vertexModel && modelOfComponent(r.name) === model);
  return component?.urn ?? resources.find((r) => r.type === T.endpoint && modelOf(r) === model)?.urn;
}
