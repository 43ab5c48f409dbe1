import type { protos } from "@google-cloud/aiplatform";
import { acceleratorTypes } from "./aiplatform";
import { EndpointApi, EndpointReader, IDeployedModel, IEndpoint, OperationState } from "./endpoint-api";
import { AUTOSCALING_METRIC_NAMES, AutoscalingMetric, AutoscalingTarget, DeploymentSpec, LiveEndpoint } from "./endpoint-deployment-types";
import { Step, applyStep, describeStep, stepDone } from "./endpoint-plan";
import { apiError, describeError, hasStatus } from "../../common/providers/errors";
import { OperationPolicy, awaitOperation } from "./operations";
import { RetryPolicy, sleep, withRetry } from "../../common/providers/retry";

/**
 * Executing a plan against one endpoint. Every mutating call is checked against the live
 * endpoint when it fails: a call whose answer was lost (Vertex AI acted, the caller saw a 503 and
 * its retry met ALREADY_EXISTS, NOT_FOUND or an endpoint busy with the first attempt) counts as
 * done when the endpoint shows its effect. Operations already running on the endpoint (from a run
 * that timed out or was killed, or from a person) are waited for instead of failing the run.
 */

/** One create, update or delete: the API and the bounds every call and wait respects. */
export interface EndpointRun {
  readonly api: EndpointApi;
  readonly retry: RetryPolicy;
  readonly operation: OperationPolicy;
  /** Epoch milliseconds after which nothing more is waited for (`runTimeoutMs` from the start). */
  readonly deadline: number;
}

export const DEFAULT_RUN_TIMEOUT_MS = 2_700_000;

/** The accelerator's enum name; the client answers with numbers, the REST JSON `diff` reads with names. */
function acceleratorName(value: unknown): string | undefined {
  let name = value;
  if (typeof value === "number") {
    name = Object.entries(acceleratorTypes()).find(([, number]) => number === value)?.[0];
  }
  return typeof name === "string" && name !== "ACCELERATOR_TYPE_UNSPECIFIED" ? name : undefined;
}

function autoscalingOf(specs: protos.google.cloud.aiplatform.v1.IAutoscalingMetricSpec[] | null | undefined): AutoscalingTarget | undefined {
  for (const spec of specs ?? []) {
    const metric = (Object.keys(AUTOSCALING_METRIC_NAMES) as AutoscalingMetric[]).find((m) => AUTOSCALING_METRIC_NAMES[m] === spec.metricName);
    if (metric && spec.target) return { metric, target: spec.target };
  }
  return undefined;
}

/**
 * The endpoint as the providers model it: deployed models sorted by id, a 0 for each without
 * traffic, and the available replicas of each model that reports a status (proto3 JSON omits a
 * count of 0, so a status without `availableReplicaCount` means none).
 */
export function toLive(endpoint: IEndpoint): LiveEndpoint {
  const availableReplicas: Record<string, number> = {};
  const deployedModels = (endpoint.deployedModels ?? []).map((dm): DeploymentSpec => {
    const machine = dm.dedicatedResources?.machineSpec;
    const acceleratorType = acceleratorName(machine?.acceleratorType);
    const model = dm.model ?? "";
    const autoscaling = autoscalingOf(dm.dedicatedResources?.autoscalingMetricSpecs);
    if (dm.status) availableReplicas[dm.id ?? ""] = Number(dm.status.availableReplicaCount ?? 0);
    return {
      deployedModelId: dm.id ?? "",
      model: model.includes("@") || !dm.modelVersionId ? model : `${model}@${dm.modelVersionId}`,
      displayName: dm.displayName ?? "",
      machineType: machine?.machineType ?? "",
      ...(acceleratorType ? { acceleratorType, acceleratorCount: machine?.acceleratorCount ?? 1 } : {}),
      minReplicas: dm.dedicatedResources?.minReplicaCount ?? 0,
      maxReplicas: dm.dedicatedResources?.maxReplicaCount ?? 0,
      ...(autoscaling ? { autoscaling } : {}),
      ...(dm.serviceAccount ? { serviceAccount: dm.serviceAccount } : {}),
    };
  });
  deployedModels.sort((a, b) => a.deployedModelId.localeCompare(b.deployedModelId));
  const trafficSplit: Record<string, number> = {};
  for (const d of deployedModels) trafficSplit[d.deployedModelId] = endpoint.trafficSplit?.[d.deployedModelId] ?? 0;
  return { deployedModels, trafficSplit, availableReplicas };
}

function autoscalingSpecs(spec: DeploymentSpec): protos.google.cloud.aiplatform.v1.IAutoscalingMetricSpec[] {
  return spec.autoscaling ? [{ metricName: AUTOSCALING_METRIC_NAMES[spec.autoscaling.metric], target: spec.autoscaling.target }] : [];
}

export function toDeployedModel(spec: DeploymentSpec): IDeployedModel {
  const machineSpec: protos.google.cloud.aiplatform.v1.IMachineSpec = { machineType: spec.machineType };
  if (spec.acceleratorType) {
    machineSpec.acceleratorType = spec.acceleratorType as keyof typeof protos.google.cloud.aiplatform.v1.AcceleratorType;
    machineSpec.acceleratorCount = spec.acceleratorCount ?? 1;
  }
  return {
    id: spec.deployedModelId,
    model: spec.model,
    displayName: spec.displayName,
    ...(spec.serviceAccount ? { serviceAccount: spec.serviceAccount } : {}),
    dedicatedResources: {
      machineSpec,
      minReplicaCount: spec.minReplicas,
      maxReplicaCount: spec.maxReplicas,
      autoscalingMetricSpecs: autoscalingSpecs(spec),
    },
  };
}

export async function readEndpoint(reader: EndpointReader, retry: RetryPolicy): Promise<LiveEndpoint> {
  const endpoint = await withRetry(`endpoint ${reader.endpointName}: read`, retry, () => reader.getEndpoint());
  return toLive(endpoint);
}

/**
 * The operations running on the endpoint now. ListOperations "returns UNIMPLEMENTED" where the
 * server does not support it (google.longrunning.Operations): then none are known, and a busy
 * endpoint shows up as a failed step that the next run retries.
 */
export async function runningOperations(reader: EndpointReader, retry: RetryPolicy): Promise<OperationState[]> {
  try {
    const ops = await withRetry(`endpoint ${reader.endpointName}: list operations`, retry, () => reader.listOperations());
    return ops.filter((op) => !op.done);
  } catch (err) {
    if (hasStatus(err, "UNIMPLEMENTED")) return [];
    throw err;
  }
}

/** How long the next wait may take: one operation's timeout, within what is left of the run. */
function waitPolicy(run: EndpointRun): OperationPolicy {
  return { ...run.operation, timeoutMs: Math.max(0, Math.min(run.operation.timeoutMs, run.deadline - Date.now())) };
}

async function waitFor(run: EndpointRun, what: string, op: OperationState): Promise<void> {
  if (op.done && !op.error) return;
  await awaitOperation(what, op, (name) => run.api.getOperation(name), waitPolicy(run), run.retry);
}

/**
 * Waits for every operation running on the endpoint (however it started) and returns how many
 * there were. One that fails is not an error here: the live endpoint says what it did. One that
 * outlasts the wait is (DEADLINE_EXCEEDED, naming it): the next run waits for it again.
 */
export async function settleOperations(run: EndpointRun): Promise<number> {
  const running = await runningOperations(run.api, run.retry);
  for (const op of running) {
    try {
      await waitFor(run, `endpoint ${run.api.endpointName}: waiting for operation ${op.name}, started before this step`, op);
    } catch (err) {
      if (hasStatus(err, "DEADLINE_EXCEEDED")) throw err;
    }
  }
  return running.length;
}

/** Starts the call of `step`; returns its operation, or undefined for a call that is done on return. */
async function startStep(run: EndpointRun, step: Exclude<Step, { kind: "ready" }>): Promise<OperationState | undefined> {
  const { api } = run;
  switch (step.kind) {
    case "deploy":
      // No trafficSplit: Vertex leaves the endpoint's split untouched, so the new model starts at 0%.
      return api.deployModel(toDeployedModel(step.deployment));
    case "mutate": {
      const deployedModel: IDeployedModel = {
        id: step.deployment.deployedModelId,
        model: step.from.model,
        dedicatedResources: {
          minReplicaCount: step.deployment.minReplicas,
          maxReplicaCount: step.deployment.maxReplicas,
          autoscalingMetricSpecs: autoscalingSpecs(step.deployment),
        },
      };
      const paths = ["dedicated_resources.min_replica_count", "dedicated_resources.max_replica_count", "dedicated_resources.autoscaling_metric_specs"];
      return api.mutateDeployedModel(deployedModel, paths);
    }
    case "traffic":
      await api.setTrafficSplit(step.split);
      return undefined;
    case "undeploy":
      // Either its traffic already moved (an earlier step) or the request moves it; Vertex AI
      // refuses to undeploy a model that would keep traffic.
      return api.undeployModel(step.deployedModelId, step.trafficSplit);
  }
}

/** Polls the endpoint until every model in `step.replicas` has that many replicas available. */
async function waitReady(run: EndpointRun, what: string, step: Extract<Step, { kind: "ready" }>): Promise<void> {
  const { timeoutMs, pollIntervalMs } = waitPolicy(run);
  const limit = Date.now() + timeoutMs;
  for (;;) {
    const live = await readEndpoint(run.api, run.retry);
    const short = Object.entries(step.replicas).filter(([id, n]) => (live.availableReplicas?.[id] ?? n) < n);
    if (short.length === 0) return;
    const remaining = limit - Date.now();
    if (remaining <= 0) {
      const counts = short.map(([id, n]) => `${id} has ${live.availableReplicas?.[id] ?? 0} of ${n}`).join(", ");
      throw apiError(
        `${what}: ${counts} replicas available after ${Math.round(timeoutMs / 1000)}s, so traffic has not moved to it. ` +
          `Vertex AI may still be provisioning (GPU capacity in the region, quota); the next \`pulumi up\` waits again`,
        "DEADLINE_EXCEEDED",
      );
    }
    await sleep(Math.min(pollIntervalMs, remaining));
  }
}

/**
 * The stricter reading of UndeployModelRequest.traffic_split (the last deployed model must have
 * no traffic either): if Vertex AI refuses to undeploy the last model while it serves, empty the
 * split, undeploy, and put the split back if the undeploy fails, so the endpoint serves again.
 */
async function undeployLastServing(run: EndpointRun, what: string, id: string, live: LiveEndpoint): Promise<void> {
  await withRetry(`${what}: emptying the split first`, run.retry, () => run.api.setTrafficSplit({}));
  try {
    const op = await withRetry(what, run.retry, () => run.api.undeployModel(id));
    await waitFor(run, what, op);
  } catch (err) {
    const after = await readEndpoint(run.api, run.retry).catch(() => live);
    if (after.deployedModels.some((d) => d.deployedModelId === id)) {
      await withRetry(`${what}: restoring the split`, run.retry, () => run.api.setTrafficSplit({ [id]: 100 })).catch(() => undefined);
    }
    throw err;
  }
}

/**
 * Runs one step to completion. A failure is checked against the endpoint: operations running on
 * it are waited for, and a step whose effect the endpoint shows is done; if operations were
 * running (the endpoint was busy), the step is tried once more. A timeout is not checked: the
 * operation is still running, and the next run finds and waits for it.
 */
async function runStep(run: EndpointRun, step: Step): Promise<void> {
  const what = `endpoint ${run.api.endpointName}: ${describeStep(step)}`;
  if (step.kind === "ready") return waitReady(run, what, step);
  for (let attempt = 1; ; attempt++) {
    try {
      const op = await withRetry(what, run.retry, () => startStep(run, step));
      if (op) await waitFor(run, what, op);
      return;
    } catch (err) {
      if (hasStatus(err, "DEADLINE_EXCEEDED")) throw err;
      let running: number;
      let live: LiveEndpoint;
      try {
        running = await settleOperations(run);
        live = await readEndpoint(run.api, run.retry);
      } catch {
        throw err;
      }
      if (stepDone(live, step)) return;
      const lastServing = live.deployedModels.length === 1 && (live.trafficSplit[live.deployedModels[0].deployedModelId] ?? 0) > 0;
      if (step.kind === "undeploy" && !step.trafficSplit && lastServing && live.deployedModels[0].deployedModelId === step.deployedModelId && hasStatus(err, "FAILED_PRECONDITION")) {
        // Vertex AI answers FAILED_PRECONDITION to an endpoint busy with another operation (the
        // retry of a request whose answer was lost meets its own, which may have ended by the time
        // the operations are listed) as to a refusal to undeploy a last model that serves. Only a
        // second refusal of the same request, with nothing running, is taken for the latter.
        if (attempt < 2) continue;
        if (running === 0) return undeployLastServing(run, what, step.deployedModelId, live);
      }
      if (running === 0 || attempt >= 2) throw err;
    }
  }
}

export interface ReconcileResult {
  /** The endpoint after the run: re-read from Vertex AI, or as far as known when that failed. */
  readonly live: LiveEndpoint;
  readonly applied: readonly Step[];
  readonly failed?: { readonly step: Step; readonly error: Error };
}

/**
 * Executes `steps` in order, one at a time (Vertex AI serialises changes to an endpoint anyway),
 * stopping at the first failure or when the run's time is up. The live state is re-read at the
 * end either way, so the outputs report what the endpoint really serves rather than what was
 * intended.
 */
export async function executePlan(run: EndpointRun, start: LiveEndpoint, steps: readonly Step[]): Promise<ReconcileResult> {
  let known = start;
  const applied: Step[] = [];
  for (const step of steps) {
    try {
      if (Date.now() >= run.deadline) {
        throw apiError(`endpoint ${run.api.endpointName}: the run's time (runTimeoutMs) is used up before "${describeStep(step)}"`, "DEADLINE_EXCEEDED");
      }
      await runStep(run, step);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(describeError(err).message);
      const live = await readEndpoint(run.api, run.retry).catch(() => known);
      return { live, applied, failed: { step, error } };
    }
    known = applyStep(known, step);
    applied.push(step);
  }
  const live = steps.length === 0 ? start : await readEndpoint(run.api, run.retry).catch(() => known);
  return { live, applied };
}
