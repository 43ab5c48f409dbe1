import { apiError } from "../../common/providers/errors";
import { DeploymentSpec, Environment, LiveEndpoint } from "./endpoint-deployment-types";
import { sameModelVersion } from "./resource-names";

/**
 * Turns the live state of an endpoint and the desired one into an ordered list of API steps.
 * Pure: the provider executes the steps, tests check the order and simulate it.
 *
 * The order is what keeps a production endpoint serving throughout:
 *  1. deploy every new deployed model, with the traffic split left unchanged (so at 0%);
 *  2. grow replica bounds while the current split still applies. A model whose share is about to
 *     rise holds, for the move, at least the replicas its new share of the serving models'
 *     current replicas needs (plus `trafficHeadroom` percent), capped at its `maxReplicas`:
 *     capacity before traffic, as Argo Rollouts' setCanaryScale;
 *  3. wait until every model whose share rises has that many replicas available;
 *  4. set the final traffic split in one update;
 *  5. shrink replica bounds to the desired ones, now that traffic has moved;
 *  6. undeploy deployed models that are no longer wanted, which by now have 0% traffic.
 * Emptying an endpoint (`planDrain`) undeploys one model at a time, each undeploy handing its
 * share to the models that stay, so the endpoint serves until its last model goes.
 * A failure at any step leaves a state in which every model with traffic is still deployed.
 */
export type Step =
  | { readonly kind: "deploy"; readonly deployment: DeploymentSpec }
  | { readonly kind: "mutate"; readonly deployment: DeploymentSpec; readonly from: DeploymentSpec }
  | { readonly kind: "ready"; readonly replicas: Readonly<Record<string, number>> }
  | { readonly kind: "traffic"; readonly split: Readonly<Record<string, number>> }
  | { readonly kind: "undeploy"; readonly deployedModelId: string; readonly model: string; readonly trafficSplit?: Readonly<Record<string, number>> };

export interface DesiredEndpoint {
  readonly environment: Environment;
  readonly deployments: readonly DeploymentSpec[];
  readonly trafficSplit: Readonly<Record<string, number>>;
  readonly allowEmpty?: boolean;
  /** Percent of extra replicas a model holds before its share rises. @default 0 */
  readonly trafficHeadroom?: number;
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

function sameBounds(a: DeploymentSpec, b: DeploymentSpec): boolean {
  return a.minReplicas === b.minReplicas && a.maxReplicas === b.maxReplicas;
}

/** Replicas serving a deployed model now: the available ones where Vertex reports them, else its minimum. */
function servingReplicas(live: LiveEndpoint, d: DeploymentSpec): number {
  return live.availableReplicas?.[d.deployedModelId] ?? d.minReplicas;
}

/**
 * Replicas deployed model `id` needs before it takes `share` percent of the traffic: the replicas
 * serving the other models per percent of the traffic they carry, times `share`, plus `headroom`
 * percent, rounded up. 0 when the share does not rise, or when nothing else serves (no load to
 * measure; the model's own `minReplicas` applies).
 */
export function capacityNeeded(live: LiveEndpoint, id: string, share: number, headroom: number): number {
  if (share <= (live.trafficSplit[id] ?? 0)) return 0;
  let replicas = 0;
  let shares = 0;
  for (const d of live.deployedModels) {
    const s = live.trafficSplit[d.deployedModelId] ?? 0;
    if (d.deployedModelId === id || s <= 0) continue;
    replicas += servingReplicas(live, d);
    shares += s;
  }
  return shares === 0 ? 0 : Math.ceil((share * replicas * (100 + headroom)) / (shares * 100));
}

/** `split` without `id`, its share handed to the others in proportion to theirs (largest remainder, ties by id). */
export function redistribute(split: Readonly<Record<string, number>>, id: string): Record<string, number> {
  const rest = Object.keys(normalizeSplit(split)).filter((k) => k !== id);
  const total = rest.reduce((sum, k) => sum + split[k], 0);
  if (total === 0) return {};
  const exact = rest.map((k) => ({ k, v: (split[k] * 100) / total }));
  const out: Record<string, number> = Object.fromEntries(exact.map(({ k, v }) => [k, Math.floor(v)]));
  let left = 100 - Object.values(out).reduce((a, b) => a + b, 0);
  const byRemainder = [...exact].sort((a, b) => b.v - Math.floor(b.v) - (a.v - Math.floor(a.v)) || a.k.localeCompare(b.k));
  for (const { k } of byRemainder) {
    if (left-- <= 0) break;
    out[k]++;
  }
  return normalizeSplit(out);
}

/**
 * Steps that empty an endpoint and keep it serving until the end: models without traffic go
 * first; then, smallest share first, each model with traffic is undeployed with a split that hands
 * its share to the models still serving (UndeployModelRequest.traffic_split moves the traffic and
 * removes the model in one call), once they have their minimum replicas available; the last one
 * is undeployed alone, which per the API reference leaves the endpoint's split empty. There is
 * no moment at which models are deployed and the split is empty.
 */
export function planDrain(live: LiveEndpoint): Step[] {
  const share = (d: DeploymentSpec) => live.trafficSplit[d.deployedModelId] ?? 0;
  const steps: Step[] = [];
  for (const d of live.deployedModels) if (share(d) === 0) steps.push({ kind: "undeploy", deployedModelId: d.deployedModelId, model: d.model });
  const serving = live.deployedModels.filter((d) => share(d) > 0).sort((a, b) => share(a) - share(b) || a.deployedModelId.localeCompare(b.deployedModelId));
  let split = normalizeSplit(live.trafficSplit);
  serving.forEach((d, i) => {
    if (i === serving.length - 1) {
      steps.push({ kind: "undeploy", deployedModelId: d.deployedModelId, model: d.model });
      return;
    }
    const next = redistribute(split, d.deployedModelId);
    const receivers = serving.slice(i + 1).filter((r) => (next[r.deployedModelId] ?? 0) > (split[r.deployedModelId] ?? 0));
    if (receivers.length > 0) steps.push({ kind: "ready", replicas: Object.fromEntries(receivers.map((r) => [r.deployedModelId, r.minReplicas])) });
    steps.push({ kind: "undeploy", deployedModelId: d.deployedModelId, model: d.model, trafficSplit: next });
    split = next;
  });
  return steps;
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
  if (desired.deployments.length === 0) return planDrain(live);

  const target = normalizeSplit(desired.trafficSplit);
  const moves = !sameSplit(live.trafficSplit, target);
  const rises = (id: string) => moves && (target[id] ?? 0) > (live.trafficSplit[id] ?? 0);
  const headroom = desired.trafficHeadroom ?? 0;
  // The bounds each model holds while traffic moves: never below the live ones (shrinking waits
  // until the move is done), and for a model whose share rises, what its new share needs.
  const during = (d: DeploymentSpec, current: DeploymentSpec | undefined): DeploymentSpec => {
    const need = rises(d.deployedModelId) ? Math.min(d.maxReplicas, capacityNeeded(live, d.deployedModelId, target[d.deployedModelId], headroom)) : 0;
    const minReplicas = Math.max(current?.minReplicas ?? 0, d.minReplicas, need);
    return { ...d, minReplicas, maxReplicas: Math.max(current?.maxReplicas ?? 0, d.maxReplicas, minReplicas) };
  };

  const deploys: Step[] = [];
  const grow: Step[] = [];
  const shrink: Step[] = [];
  const ready: Record<string, number> = {};
  for (const d of desired.deployments) {
    const current = liveById.get(d.deployedModelId);
    const held = during(d, current);
    if (rises(d.deployedModelId)) ready[d.deployedModelId] = held.minReplicas;
    if (!current) {
      deploys.push({ kind: "deploy", deployment: held });
      if (!sameBounds(held, d)) shrink.push({ kind: "mutate", deployment: d, from: held });
    } else if (sameBounds(held, d)) {
      if (needsMutation(current, d)) grow.push({ kind: "mutate", deployment: d, from: current });
    } else {
      const grows = !sameBounds(held, current);
      if (grows) grow.push({ kind: "mutate", deployment: held, from: current });
      shrink.push({ kind: "mutate", deployment: d, from: grows ? held : current });
    }
  }
  const steps: Step[] = [...deploys, ...grow];
  if (Object.keys(ready).length > 0) steps.push({ kind: "ready", replicas: ready });
  if (moves) steps.push({ kind: "traffic", split: target });
  steps.push(...shrink);
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
    case "ready":
      return state;
    case "traffic":
      return { ...state, trafficSplit: step.split };
    case "undeploy": {
      const deployedModels = state.deployedModels.filter((d) => d.deployedModelId !== step.deployedModelId);
      const trafficSplit: Record<string, number> = { ...(step.trafficSplit ?? state.trafficSplit) };
      delete trafficSplit[step.deployedModelId];
      return { ...state, deployedModels, trafficSplit: deployedModels.length === 0 ? {} : trafficSplit };
    }
  }
}

/** True when `live` already shows what `step` does: how a step whose answer was lost is recognised as done. */
export function stepDone(live: LiveEndpoint, step: Step): boolean {
  switch (step.kind) {
    case "deploy": {
      const found = live.deployedModels.find((d) => d.deployedModelId === step.deployment.deployedModelId);
      return found !== undefined && immutableDifferences(found, step.deployment).length === 0;
    }
    case "mutate": {
      const found = live.deployedModels.find((d) => d.deployedModelId === step.deployment.deployedModelId);
      return found !== undefined && !needsMutation(found, step.deployment);
    }
    case "ready":
      return Object.entries(step.replicas).every(([id, n]) => (live.availableReplicas?.[id] ?? n) >= n);
    case "traffic":
      return sameSplit(live.trafficSplit, step.split);
    case "undeploy":
      return !live.deployedModels.some((d) => d.deployedModelId === step.deployedModelId);
  }
}

/** One line per step, for error messages and logs. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case "deploy":
      return `deploy ${step.deployment.deployedModelId} (${step.deployment.model}) at 0% traffic`;
    case "mutate":
      return `set replicas of ${step.deployment.deployedModelId} to ${step.deployment.minReplicas}-${step.deployment.maxReplicas}`;
    case "ready":
      return `wait for available replicas (${Object.entries(step.replicas).map(([id, n]) => `${id}: ${n}`).join(", ")})`;
    case "traffic":
      return `set traffic split ${JSON.stringify(step.split)}`;
    case "undeploy":
      return step.trafficSplit
        ? `undeploy ${step.deployedModelId} (${step.model}) and move its traffic: split ${JSON.stringify(step.trafficSplit)}`
        : `undeploy ${step.deployedModelId} (${step.model})`;
  }
}
