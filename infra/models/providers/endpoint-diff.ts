import type * as pulumi from "@pulumi/pulumi";
import { sameJson } from "../../../lib/json";
import { EndpointDeploymentInputs, EndpointDeploymentOutputs, DeploymentSpec, LiveEndpoint } from "./endpoint-deployment-types";
import { immutableDifferences, needsMutation, normalizeSplit, sameSplit } from "./endpoint-plan";
import { PROVIDER_CODE, providerCodeChanged } from "../../common/providers/provider-code";
import { EndpointRef, endpointResourceName, parseEndpointName, parseModelName } from "./resource-names";
import { isFullyKnown } from "../../common/providers/validation";

/**
 * `diff` of the EndpointDeployment provider. The dynamic-provider host forwards only `changes`,
 * `replaces` and `deleteBeforeReplace` to the engine (which then shows its own property diff);
 * `changedKeys` and `liveDifferences` are for tests and tools that call the provider directly.
 *
 * Two parts: the recorded state against the program (what every Pulumi provider compares), and,
 * when the provider could read it, the live endpoint against the program. The second is what
 * makes `pulumi up` converge after an interrupted run, a lost response or a hand edit: the
 * recorded state may say the program is applied while Vertex AI serves something else.
 */
export interface EndpointDeploymentDiff extends pulumi.dynamic.DiffResult {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly changedKeys: readonly string[];
  /** How the live endpoint differs from the program, one sentence each; empty when it matches or was not read. */
  readonly liveDifferences: readonly string[];
}

/** What the provider saw of the endpoint for a diff. */
export interface LiveView {
  /** Undefined when the endpoint does not exist. */
  readonly endpoint?: LiveEndpoint;
  /** Long-running operations not finished on the endpoint; undefined when not listed. */
  readonly runningOperations?: number;
  /**
   * Whether the recorded endpoint and the program's are one, as Vertex AI named both (with the
   * project number); set only when the spellings alone could not tell (project id versus number).
   */
  readonly sameEndpoint?: boolean;
}

const SETTINGS = ["environment", "allowEmpty", "apiEndpoint", "protocol", "credentials", "retry", "operationTimeoutMs", "pollIntervalMs", "trafficHeadroom", "runTimeoutMs"] as const;
const DEFAULTS: Partial<Record<(typeof SETTINGS)[number], unknown>> = { allowEmpty: false, protocol: "https", credentials: "application-default", trafficHeadroom: 0 };

function byId(list: readonly DeploymentSpec[]): DeploymentSpec[] {
  return [...list].sort((a, b) => a.deployedModelId.localeCompare(b.deployedModelId));
}

/** True when the live deployed models already are `desired` (ignoring displayName, set at deploy only). */
function liveMatches(live: readonly DeploymentSpec[] | undefined, desired: readonly DeploymentSpec[]): boolean {
  if (!live || live.length !== desired.length) return false;
  const liveById = new Map(live.map((d) => [d.deployedModelId, d]));
  return desired.every((d) => {
    const current = liveById.get(d.deployedModelId);
    return current !== undefined && immutableDifferences(current, d).length === 0 && !needsMutation(current, d);
  });
}

function endpointOf(inputs: Pick<EndpointDeploymentInputs, "project" | "region" | "endpoint">): EndpointRef | undefined {
  if (!isFullyKnown([inputs.project, inputs.region, inputs.endpoint])) return undefined;
  const name = endpointResourceName(inputs.project, inputs.region, inputs.endpoint);
  return name ? parseEndpointName(name) : undefined;
}

const numeric = (project: string) => /^[0-9]+$/.test(project);

/**
 * Whether olds and news target the same endpoint: "same", "different", or "unsure" when one
 * names the project by id and the other by number, which only Vertex AI can settle (the provider
 * then reads both names; see `LiveView.sameEndpoint`). This alone decides replacement: replacing
 * onto the same endpoint would reconcile it and then let the old resource's delete empty it, so
 * "unsure" without an answer counts as the same.
 */
export function compareTargets(olds: EndpointDeploymentInputs, news: EndpointDeploymentInputs): "same" | "different" | "unsure" {
  const a = endpointOf(olds);
  const b = endpointOf(news);
  if (!a || !b) return "different"; // unknown at preview: the endpoint is being created or replaced
  if (a.location !== b.location || a.endpointId !== b.endpointId) return "different";
  if (a.project === b.project) return "same";
  return numeric(a.project) === numeric(b.project) ? "different" : "unsure";
}

/** The live model is the one `desired` names; an alias (`@v1-2-0`) is compared by model only (`update` resolves and checks it). */
function modelMatches(live: string, desired: string): boolean {
  const l = parseModelName(live);
  const d = parseModelName(desired);
  if (!l || !d || l.location !== d.location || l.modelId !== d.modelId) return false;
  return !/^[0-9]+$/.test(d.version ?? "") || l.version === d.version;
}

/** How `live` differs from the program, one sentence each. */
export function liveDifferences(live: LiveView, news: EndpointDeploymentInputs): string[] {
  if (!live.endpoint) return ["the endpoint does not exist"];
  const out: string[] = [];
  const liveById = new Map(live.endpoint.deployedModels.map((d) => [d.deployedModelId, d]));
  const declared = new Set(news.deployments.map((d) => d.deployedModelId));
  for (const d of live.endpoint.deployedModels) if (!declared.has(d.deployedModelId)) out.push(`${d.deployedModelId} (${d.model}) is deployed but not declared`);
  for (const d of news.deployments) {
    const current = liveById.get(d.deployedModelId);
    if (!current) out.push(`${d.deployedModelId} is declared but not deployed`);
    else if (!modelMatches(current.model, d.model)) out.push(`${d.deployedModelId} serves ${current.model}, declared ${d.model}`);
    else if (immutableDifferences({ ...current, model: d.model }, d).length > 0) out.push(`${d.deployedModelId} has another machine shape than declared`);
    else if (needsMutation(current, d)) out.push(`${d.deployedModelId} has replicas ${current.minReplicas}-${current.maxReplicas} (or autoscaling) other than declared ${d.minReplicas}-${d.maxReplicas}`);
  }
  if (!sameSplit(live.endpoint.trafficSplit, news.trafficSplit)) {
    out.push(`the split is ${JSON.stringify(normalizeSplit(live.endpoint.trafficSplit))}, declared ${JSON.stringify(normalizeSplit(news.trafficSplit))}`);
  }
  if ((live.runningOperations ?? 0) > 0) out.push(`${live.runningOperations} operation(s) are still running on the endpoint`);
  return out;
}

export function diffEndpointDeployment(olds: EndpointDeploymentOutputs, news: EndpointDeploymentInputs, live?: LiveView): EndpointDeploymentDiff {
  const target = compareTargets(olds, news);
  const same = target === "same" || (target === "unsure" && live?.sameEndpoint !== false);
  const replaces: string[] = same ? [] : (["project", "region", "endpoint"] as const).filter((key) => olds[key] !== news[key]);
  if (!same && replaces.length === 0) replaces.push("endpoint");
  const changedKeys: string[] = [...replaces];
  for (const key of ["project", "region", "endpoint"] as const) if (!replaces.includes(key) && olds[key] !== news[key]) changedKeys.push(key);
  const deploymentsKnown = isFullyKnown(news.deployments);
  if (!deploymentsKnown || !sameJson(byId(olds.deployments ?? []), byId(news.deployments)) || !liveMatches(olds.deployedModels, news.deployments)) {
    changedKeys.push("deployments");
  }
  if (!isFullyKnown(news.trafficSplit) || !sameSplit(olds.trafficSplit ?? {}, news.trafficSplit)) changedKeys.push("trafficSplit");
  for (const key of SETTINGS) if (!sameJson(olds[key] ?? DEFAULTS[key] ?? null, news[key] ?? DEFAULTS[key] ?? null)) changedKeys.push(key);
  if (providerCodeChanged(olds, news)) changedKeys.push(PROVIDER_CODE);
  const fromLive = live && same && deploymentsKnown && isFullyKnown(news.trafficSplit) ? liveDifferences(live, news) : [];

  return {
    changes: changedKeys.length > 0 || fromLive.length > 0,
    replaces,
    stables: replaces.length === 0 ? ["endpointName"] : [],
    deleteBeforeReplace: false,
    changedKeys,
    liveDifferences: fromLive,
  };
}
