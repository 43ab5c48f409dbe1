import type * as pulumi from "@pulumi/pulumi";
import { sameJson } from "../../../lib/json";
import { EndpointDeploymentInputs, EndpointDeploymentOutputs, DeploymentSpec } from "./endpoint-deployment-types";
import { immutableDifferences, needsMutation, sameSplit } from "./endpoint-plan";
import { PROVIDER_CODE, providerCodeChanged } from "../../common/providers/provider-code";
import { EndpointRef, endpointResourceName, parseEndpointName } from "./resource-names";
import { isFullyKnown } from "../../common/providers/validation";

/**
 * `diff` of the EndpointDeployment provider. The dynamic-provider host forwards only `changes`,
 * `replaces` and `stables` to the engine (which then shows its own property diff); `changedKeys`
 * is for tests and tools that call the provider directly.
 */
export interface EndpointDeploymentDiff extends pulumi.dynamic.DiffResult {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly changedKeys: readonly string[];
}

const SETTINGS = ["environment", "allowEmpty", "apiEndpoint", "protocol", "credentials", "retry", "operationTimeoutMs", "pollIntervalMs"] as const;
const DEFAULTS: Partial<Record<(typeof SETTINGS)[number], unknown>> = { allowEmpty: false, protocol: "https", credentials: "application-default" };

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

/**
 * Whether olds and news target the same endpoint. This alone decides replacement: replacing onto
 * the same endpoint would reconcile it and then let the old resource's delete undeploy everything
 * from it. A project number and a project id cannot be told apart offline, so only two different
 * project ids count as different projects.
 */
function sameTarget(olds: EndpointDeploymentInputs, news: EndpointDeploymentInputs): boolean {
  const a = endpointOf(olds);
  const b = endpointOf(news);
  if (!a || !b) return false; // unknown at preview: the endpoint is being created or replaced
  const numeric = (project: string) => /^[0-9]+$/.test(project);
  const projectsDiffer = a.project !== b.project && !numeric(a.project) && !numeric(b.project);
  return a.location === b.location && a.endpointId === b.endpointId && !projectsDiffer;
}

export function diffEndpointDeployment(olds: EndpointDeploymentOutputs, news: EndpointDeploymentInputs): EndpointDeploymentDiff {
  const replaces: string[] = sameTarget(olds, news) ? [] : (["project", "region", "endpoint"] as const).filter((key) => olds[key] !== news[key]);
  if (!sameTarget(olds, news) && replaces.length === 0) replaces.push("endpoint");
  const changedKeys: string[] = [...replaces];
  for (const key of ["project", "region", "endpoint"] as const) if (!replaces.includes(key) && olds[key] !== news[key]) changedKeys.push(key);
  const deploymentsKnown = isFullyKnown(news.deployments);
  if (!deploymentsKnown || !sameJson(byId(olds.deployments ?? []), byId(news.deployments)) || !liveMatches(olds.deployedModels, news.deployments)) {
    changedKeys.push("deployments");
  }
  if (!isFullyKnown(news.trafficSplit) || !sameSplit(olds.trafficSplit ?? {}, news.trafficSplit)) changedKeys.push("trafficSplit");
  for (const key of SETTINGS) if (!sameJson(olds[key] ?? DEFAULTS[key] ?? null, news[key] ?? DEFAULTS[key] ?? null)) changedKeys.push(key);
  if (providerCodeChanged(olds, news)) changedKeys.push(PROVIDER_CODE);

  return {
    changes: changedKeys.length > 0,
    replaces,
    stables: replaces.length === 0 ? ["endpointName"] : [],
    deleteBeforeReplace: false,
    changedKeys,
  };
}
