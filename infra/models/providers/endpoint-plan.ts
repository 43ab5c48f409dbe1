import { apiError } from "../../common/providers/errors";
import { DeploymentSpec, Environment, LiveEndpoint } from "./endpoint-deployment-types";
import { sameModelVersion } from "./resource-names";

/**
 * Turns the live state of an endpoint and the desired one into an ordered list of API steps.
 * Pure: the provider executes the steps, tests check the order and simulate it.
 *
 * The order is what keeps a production endpoint serving throughout:
 *  1. deploy every new deployed model, with the traffic split left unchanged (so at 0%);
 *  2. grow replica bounds that increase, while the current split still applies;
 *  3. set the final traffic split in one update;
 *  4. shrink replica bounds that decrease, now that traffic has moved;
 *  5. undeploy deployed models that are no longer wanted, which by now have 0% traffic.
 * A failure at any step leaves a state in which every model with traffic is still deployed.
 */
export type Step =
  | { readonly kind: "deploy"; readonly deployment: DeploymentSpec }
  | { readonly kind: "mutate"; readonly deployment: DeploymentSpec; readonly from: DeploymentSpec }
  | { readonly kind: "traffic"; readonly split: Readonly<Record<string, number>> }
  | { readonly kind: "undeploy"; readonly deployedModelId: string; readonly model: string };

export interface DesiredEndpoint {
  readonly environment: Environment;
  readonly deployments: readonly DeploymentSpec[];
  readonly trafficSplit: Readonly<Record<string, number>>;
  readonly allowEmpty?: boolean;
}

/** The split without 0% entries, keys sorted: Vertex may or may not list deployed models at 0%. */
export function normalizeSplit(split: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(split).sort()) if (split[key] > 0) out[key] = split[key];
  return out;
}

export function sameSplit(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  return JSON.stringify(normalizeSplit(a)) === JSON.stringify(normalizeSplit(b));
}

/** Fields that differ and that Vertex AI cannot change on a deployed model. */
export function immutableDifferences(live: DeploymentSpec, desired: DeploymentSpec): string[] {
  const diffs: string[] = [];
  if (!sameModelVersion(live.model, desired.model)) diffs.push(`model (${live.model} -> ${desired.model})`);
  if (live.machineType !== desired.machineType) diffs.push(`machineType (${live.machineType} -> ${desired.machineType})`);
  if ((live.acceleratorType ?? "") !== (desired.acceleratorType ?? "")) {
    diffs.push(`acceleratorType (${live.acceleratorType ?? "none"} -> ${desired.acceleratorType ?? "none"})`);
  }
  const count = (d: DeploymentSpec) => (d.acceleratorType ? d.acceleratorCount ?? 1 : 0);
  if (count(live) !== count(desired)) diffs.push(`acceleratorCount (${count(live)} -> ${count(desired)})`);
  if ((live.serviceAccount ?? "") !== (desired.serviceAccount ?? "")) {
    diffs.push(`serviceAccount (${live.serviceAccount ?? "default"} -> ${desired.serviceAccount ?? "default"})`);
  }
  return diffs;
}

function sameAutoscaling(a: DeploymentSpec, b: DeploymentSpec): boolean {
  return a.autoscaling?.metric === b.autoscaling?.metric && a.autoscaling?.target === b.autoscaling?.target;
}

/** True when replicas or autoscaling differ: what `mutateDeployedModel` changes in place. */
export function needsMutation(live: DeploymentSpec, desired: DeploymentSpec): boolean {
  return live.minReplicas !== desired.minReplicas || live.maxReplicas !== desired.maxReplicas || !sameAutoscaling(live, desired);
}

/** A mutation that lowers either bound waits until traffic has moved away (phase 4). */
function shrinks(live: DeploymentSpec, desired: DeploymentSpec): boolean {
  return desired.minReplicas < live.minReplicas || desired.maxReplicas < live.maxReplicas;
}

export function planEndpoint(endpointName: string, live: LiveEndpoint, desired: DesiredEndpoint): Step[] {
  const liveById = new Map(live.deployedModels.map((d) => [d.deployedModelId, d]));
  const desiredIds = new Set(desired.deployments.map((d) => d.deployedModelId));

  const conflicts = desired.deployments.flatMap((d) => {
    const current = liveById.get(d.deployedModelId);
    const diffs = current ? immutableDifferences(current, d) : [];
    return diffs.length > 0 ? [`deployed model ${d.deployedModelId}: ${diffs.join(", ")}`] : [];
  });
  if (conflicts.length > 0) {
    throw apiError(
      `endpoint ${endpointName}: cannot change ${conflicts.join("; ")}. Vertex AI cannot change these on a deployed ` +
        `model; give the new shape its own id (deployedModelId(model, version, deploymentShapeKey(shape))) so it is ` +
        `deployed beside the old one and traffic moves over`,
      "FAILED_PRECONDITION",
    );
  }

  const removed = live.deployedModels.filter((d) => !desiredIds.has(d.deployedModelId));
  if (desired.deployments.length === 0 && live.deployedModels.length > 0 && desired.environment === "prod" && !desired.allowEmpty) {
    throw apiError(
      `endpoint ${endpointName}: refusing to undeploy every model (${removed.map((d) => d.deployedModelId).join(", ")}) ` +
        `from a prod endpoint: the desired deployments are empty. If that is intended, set allowEmpty: true`,
      "FAILED_PRECONDITION",
    );
  }

  const steps: Step[] = [];
  for (const d of desired.deployments) if (!liveById.has(d.deployedModelId)) steps.push({ kind: "deploy", deployment: d });
  const mutations = desired.deployments.flatMap((d) => {
    const current = liveById.get(d.deployedModelId);
    return current && needsMutation(current, d) ? [{ kind: "mutate" as const, deployment: d, from: current }] : [];
  });
  steps.push(...mutations.filter((m) => !shrinks(m.from, m.deployment)));
  if (!sameSplit(live.trafficSplit, desired.trafficSplit)) steps.push({ kind: "traffic", split: normalizeSplit(desired.trafficSplit) });
  steps.push(...mutations.filter((m) => shrinks(m.from, m.deployment)));
  for (const d of removed) steps.push({ kind: "undeploy", deployedModelId: d.deployedModelId, model: d.model });
  return steps;
}

/** The endpoint after `step` succeeded, for tracking progress and for simulating a plan. */
export function applyStep(state: LiveEndpoint, step: Step): LiveEndpoint {
  switch (step.kind) {
    case "deploy":
      return { ...state, deployedModels: [...state.deployedModels, step.deployment] };
    case "mutate": {
      const { minReplicas, maxReplicas, autoscaling } = step.deployment;
      const deployedModels = state.deployedModels.map((d) =>
        d.deployedModelId === step.deployment.deployedModelId ? { ...d, minReplicas, maxReplicas, autoscaling } : d,
      );
      return { ...state, deployedModels };
    }
    case "traffic":
      return { ...state, trafficSplit: step.split };
    case "undeploy": {
      const deployedModels = state.deployedModels.filter((d) => d.deployedModelId !== step.deployedModelId);
      const trafficSplit = deployedModels.length === 0 ? {} : state.trafficSplit;
      return { deployedModels, trafficSplit };
    }
  }
}

/** One line per step, for error messages and logs. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case "deploy":
      return `deploy ${step.deployment.deployedModelId} (${step.deployment.model}) at 0% traffic`;
    case "mutate":
      return `set replicas of ${step.deployment.deployedModelId} to ${step.deployment.minReplicas}-${step.deployment.maxReplicas}`;
    case "traffic":
      return `set traffic split ${JSON.stringify(step.split)}`;
    case "undeploy":
      return `undeploy ${step.deployedModelId} (${step.model})`;
  }
}
