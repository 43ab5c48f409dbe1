import { EndpointReader } from "./endpoint-api";
import { EndpointRun, ReconcileResult, executePlan, readEndpoint, runningOperations, settleOperations, toLive } from "./endpoint-apply";
import { DeploymentSpec, EndpointDeploymentInputs, EndpointDeploymentOutputs, LiveEndpoint } from "./endpoint-deployment-types";
import { LiveView, compareTargets } from "./endpoint-diff";
import { describeStep, planDrain, planEndpoint } from "./endpoint-plan";
import { apiError, hasStatus, partialFailure } from "../../common/providers/errors";
import { RetryPolicy, withRetry } from "../../common/providers/retry";
import { sameModelVersion } from "./resource-names";

/**
 * What EndpointDeployment's create, update, delete, read and diff do, given an `EndpointRun` (or
 * an `EndpointReader` for diff): endpoint-deployment.ts opens those on the official client and
 * the tests on an in-process fake, so the provider's behaviour is tested without the transport.
 */

/**
 * Vertex spells the project as a number and the version as an id; where a live deployed model is
 * the one the caller asked for (possibly by alias), keep the caller's spelling so the outputs
 * compare equal to the inputs.
 */
function inCallerSpelling(live: readonly DeploymentSpec[], desired: readonly DeploymentSpec[], pins: ReadonlyMap<string, string>): DeploymentSpec[] {
  return live.map((d) => {
    const wanted = desired.find((w) => w.deployedModelId === d.deployedModelId && sameModelVersion(pins.get(w.model) ?? w.model, d.model));
    return wanted ? { ...d, model: wanted.model } : d;
  });
}

/** The outputs: the inputs as given, and the live deployed models and split, which are what the diff compares. */
export function outputsOf(inputs: EndpointDeploymentInputs, endpointName: string, live: LiveEndpoint, pins: ReadonlyMap<string, string>): EndpointDeploymentOutputs {
  return {
    ...inputs,
    endpointName,
    deployedModels: inCallerSpelling(live.deployedModels, inputs.deployments ?? [], pins),
    trafficSplit: { ...live.trafficSplit },
  };
}

/** `deployments` with every model pinned to a version id. */
function pinned(deployments: readonly DeploymentSpec[], pins: ReadonlyMap<string, string>): DeploymentSpec[] {
  return deployments.map((d) => ({ ...d, model: pins.get(d.model) ?? d.model }));
}

/** "123 (models/m@2) 90%, 456 (models/m@3) 10%": what an endpoint serves, for error messages. */
export function summarizeEndpoint(live: LiveEndpoint): string {
  if (live.deployedModels.length === 0) return "no deployed models";
  return live.deployedModels.map((d) => `${d.deployedModelId} (${d.model}) ${live.trafficSplit[d.deployedModelId] ?? 0}%`).join(", ");
}

function failureMessage(endpointName: string, result: ReconcileResult, now: LiveEndpoint, recorded: boolean): string {
  const done = result.applied.map(describeStep).join("; ") || "nothing";
  return (
    `${result.failed?.error.message}\nCompleted before the failure: ${done}.\n` +
    `Endpoint ${endpointName} now serves: ${summarizeEndpoint(now)}.\n` +
    `Every model with traffic is still deployed${recorded ? "; Pulumi records this state" : ""}. The next \`pulumi up\` ` +
    `continues from the live endpoint, waiting first for any operation still running on it.`
  );
}

async function readOrExplain(run: EndpointRun): Promise<LiveEndpoint> {
  try {
    return await readEndpoint(run.api, run.retry);
  } catch (err) {
    if (hasStatus(err, "NOT_FOUND")) {
      throw apiError(`endpoint ${run.api.endpointName} does not exist; create it first (gcp.vertex.AiEndpoint) and pass its id`, "NOT_FOUND", err);
    }
    throw err;
  }
}

/**
 * Brings the endpoint to `inputs`, the shared body of create and update: wait for operations
 * already running on it, read it, plan from what it really is, apply. A failure after the
 * endpoint was read is a partial failure carrying the re-read endpoint, so Pulumi records what
 * Vertex AI serves; `update` does so even when nothing was applied (`recordAlways`), since the
 * previous record may no longer be true.
 */
export async function reconcileEndpoint(
  run: EndpointRun,
  inputs: EndpointDeploymentInputs,
  pins: ReadonlyMap<string, string>,
  recordAlways: boolean,
): Promise<EndpointDeploymentOutputs> {
  const endpointName = run.api.endpointName;
  let live: LiveEndpoint | undefined;
  try {
    await settleOperations(run);
    live = await readOrExplain(run);
    const steps = planEndpoint(endpointName, live, { ...inputs, deployments: pinned(inputs.deployments, pins) });
    const result = await executePlan(run, live, steps);
    const outs = outputsOf(inputs, endpointName, result.live, pins);
    if (result.failed) throw partialFailure(failureMessage(endpointName, result, outs, true), endpointName, outs, result.failed.error);
    return outs;
  } catch (err) {
    if ((err as { properties?: unknown }).properties !== undefined || !recordAlways) throw err;
    const now = await readEndpoint(run.api, run.retry).catch(() => live);
    if (!now) throw err;
    const message = `${(err as Error).message}\nNothing was changed. Endpoint ${endpointName} serves: ${summarizeEndpoint(now)}; Pulumi records this state.`;
    throw partialFailure(message, endpointName, outputsOf(inputs, endpointName, now, pins), err);
  }
}

/**
 * Empties the endpoint for a delete: operations already running first, then `planDrain`, which
 * keeps it serving until the last model goes. On a prod endpoint this needs `allowEmpty: true`
 * in the last applied inputs. The engine keeps the resource's previous record when a delete
 * fails (a delete cannot report partial state), so the message says what the endpoint serves;
 * the next preview reads the endpoint and shows the difference.
 */
export async function drainEndpoint(run: EndpointRun, props: EndpointDeploymentInputs): Promise<void> {
  const id = run.api.endpointName;
  let live: LiveEndpoint;
  try {
    await settleOperations(run);
    live = await readEndpoint(run.api, run.retry);
  } catch (err) {
    if (hasStatus(err, "NOT_FOUND")) return;
    throw err;
  }
  if (live.deployedModels.length === 0) return;
  if (props.environment === "prod" && props.allowEmpty !== true) {
    throw apiError(
      `endpoint ${id}: refusing to undeploy ${summarizeEndpoint(live)} from a prod endpoint on delete. ` +
        `To really empty it, set allowEmpty: true and run \`pulumi up\`, then delete`,
      "FAILED_PRECONDITION",
    );
  }
  const result = await executePlan(run, live, planDrain(live));
  if (result.failed) throw new Error(failureMessage(id, result, result.live, false), { cause: result.failed.error });
}

/**
 * `read` (refresh and import): `base` (the recorded inputs) with the live deployed models and
 * split. For `pulumi import` (`adopt`), the live ones become the inputs too: the endpoint is
 * adopted as it is. Undefined when the endpoint is gone.
 */
export async function readDeployment(
  run: EndpointRun,
  base: EndpointDeploymentInputs,
  adopt: boolean,
  pins: (models: readonly string[]) => Promise<ReadonlyMap<string, string>>,
): Promise<EndpointDeploymentOutputs | undefined> {
  let live: LiveEndpoint;
  try {
    live = await readEndpoint(run.api, run.retry);
  } catch (err) {
    if (hasStatus(err, "NOT_FOUND")) return undefined;
    throw err;
  }
  const inputs = adopt ? { ...base, deployments: live.deployedModels, trafficSplit: live.trafficSplit } : base;
  // An alias that no longer resolves just leaves the live spelling, which the next diff reports.
  const resolved = await pins(inputs.deployments.map((d) => d.model)).catch(() => new Map<string, string>());
  return outputsOf(inputs, run.api.endpointName, live, resolved);
}

/**
 * What `diff` reads: the operations running on the endpoint, then the endpoint (a deploy still
 * running is invisible in the endpoint and would otherwise leave "no changes"). In that order:
 * an operation that finishes between the two reads is then seen in the endpoint; read the other
 * way round, it could be missed by both. When the recorded endpoint and the program's differ only
 * in how the project is spelled, both names are read and compared as Vertex AI returns them
 * (with the project number).
 */
export async function observeEndpoint(
  reader: EndpointReader,
  retry: RetryPolicy,
  olds: EndpointDeploymentOutputs,
  news: EndpointDeploymentInputs,
  oldReader: () => EndpointReader,
): Promise<LiveView> {
  let sameEndpoint: boolean | undefined;
  let raw: { name?: string | null } | undefined;
  let endpoint: LiveEndpoint | undefined;
  let running = 0;
  try {
    running = (await runningOperations(reader, retry)).length;
    raw = await withRetry(`endpoint ${reader.endpointName}: read`, retry, () => reader.getEndpoint());
    endpoint = toLive(raw);
  } catch (err) {
    if (!hasStatus(err, "NOT_FOUND")) throw err;
  }
  if (compareTargets(olds, news) === "unsure") {
    const old = oldReader();
    try {
      const before = await withRetry(`endpoint ${old.endpointName}: read`, retry, () => old.getEndpoint()).catch((err: unknown) =>
        hasStatus(err, "NOT_FOUND") ? undefined : Promise.reject(err),
      );
      sameEndpoint = before !== undefined && raw !== undefined && before.name === raw.name;
    } finally {
      await old.close();
    }
  }
  return { endpoint, runningOperations: running, sameEndpoint };
}
