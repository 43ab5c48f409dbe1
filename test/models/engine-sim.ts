import { expect } from "vitest";
import { EndpointDeploymentInputs, EndpointDeploymentOutputs, LiveEndpoint } from "../../infra/models/providers/endpoint-deployment-types";
import { EndpointDeploymentDiff, diffEndpointDeployment } from "../../infra/models/providers/endpoint-diff";
import { normalizeSplit } from "../../infra/models/providers/endpoint-plan";
import { drainEndpoint, observeEndpoint, reconcileEndpoint } from "../../infra/models/providers/endpoint-reconcile";
import { validateEndpointDeployment } from "../../infra/models/providers/endpoint-validate";
import { sameModelVersion } from "../../infra/models/providers/resource-names";
import { FakeVertex } from "./fake-vertex";
import { EndpointSnapshot, FakeEndpoint } from "./fake-vertex-endpoints";
import { inProcessApi, inProcessRun } from "./fake-vertex-api";

/**
 * Pulumi's engine for one EndpointDeployment, as far as the provider can tell it apart, run
 * against the in-process fake: what each `pulumi up` calls and what the state records after it.
 *
 *  - no record: `create`. It succeeds (recorded), fails with partial state (the dynamic-provider
 *    host turns an error carrying `id` and `properties` into ErrorResourceInitFailed; the engine
 *    records those outputs), fails without (nothing recorded), or the process is killed (nothing
 *    recorded: the engine had not heard back).
 *  - a record: `diff` (with the new code, reading the endpoint), then `update` only when it
 *    reports changes. A failed update records its partial state when it has one and otherwise
 *    keeps the old record; a killed one keeps the old record (the checkpoint still holds the
 *    outputs of the last run that finished; Pulumi clears the pending operation on the next run).
 *  - program `undefined` (the resource removed): `delete`. Success forgets the record; a failure
 *    or a kill keeps it, unchanged (a delete cannot report partial state).
 * Sources: pulumi/pulumi sdk/nodejs/cmd/dynamic-provider/index.ts (grpcResponseFromError) and the
 * engine's step executor, which applies a partial failure's outputs as the new state.
 */

export interface Recorded {
  readonly id: string;
  readonly outs: EndpointDeploymentOutputs;
}

export type Outcome = "created" | "updated" | "unchanged" | "deleted" | "failed" | "killed";

export interface RunResult {
  readonly record: Recorded | undefined;
  readonly outcome: Outcome;
  readonly error?: Error;
  readonly diff?: EndpointDeploymentDiff;
}

export interface RunBounds {
  readonly operationTimeoutMs?: number;
  readonly runTimeoutMs?: number;
  readonly pollIntervalMs?: number;
}

function endpointNameOf(inputs: EndpointDeploymentInputs): string {
  return inputs.endpoint.startsWith("projects/") ? inputs.endpoint : `projects/${inputs.project}/locations/${inputs.region}/endpoints/${inputs.endpoint}`;
}

/** The diff as the provider computes it: recorded state and program, plus the live endpoint. */
export async function simulatedDiff(fake: FakeVertex, record: Recorded, program: EndpointDeploymentInputs): Promise<EndpointDeploymentDiff> {
  fake.revive();
  const api = inProcessApi(fake, endpointNameOf(program));
  const retry = { maxAttempts: 2, initialDelayMs: 0, maxDelayMs: 0 };
  const view = await observeEndpoint(api, retry, record.outs, program, () => inProcessApi(fake, record.id));
  return diffEndpointDeployment(record.outs, program, view);
}

/** One `pulumi up` (or, with `program` undefined, the resource's removal) in a fresh process. */
export async function up(fake: FakeVertex, program: EndpointDeploymentInputs | undefined, record: Recorded | undefined, bounds: RunBounds = {}): Promise<RunResult> {
  fake.revive();
  if (!program) {
    if (!record) return { record, outcome: "unchanged" };
    try {
      await drainEndpoint(inProcessRun(fake, record.id, bounds), record.outs);
      return { record: undefined, outcome: "deleted" };
    } catch (err) {
      return { record, outcome: fake.killed ? "killed" : "failed", error: err as Error };
    }
  }
  const failures = validateEndpointDeployment(program);
  if (failures.length > 0) throw new Error(`the program fails check: ${JSON.stringify(failures)}`);
  const id = endpointNameOf(program);
  let diff: EndpointDeploymentDiff | undefined;
  if (record) {
    diff = await simulatedDiff(fake, record, program);
    if (!diff.changes) return { record, outcome: "unchanged", diff };
    if (diff.replaces.length > 0) throw new Error(`the schedules never change the endpoint, yet the diff replaces: ${diff.replaces.join(", ")}`);
  }
  try {
    const outs = await reconcileEndpoint(inProcessRun(fake, id, bounds), program, new Map(), record !== undefined);
    return { record: { id, outs }, outcome: record ? "updated" : "created", diff };
  } catch (err) {
    if (fake.killed) return { record, outcome: "killed", error: err as Error, diff };
    const partial = err as Error & { id?: string; properties?: EndpointDeploymentOutputs };
    const kept = partial.id && partial.properties ? { id: partial.id, outs: partial.properties } : record;
    return { record: kept, outcome: "failed", error: partial, diff };
  }
}

/** The fake endpoint as the provider models it (ids, bounds, split), for comparing with a record. */
export function liveOf(endpoint: FakeEndpoint): LiveEndpoint {
  const deployedModels = [...endpoint.deployedModels]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((d) => ({
      deployedModelId: d.id,
      model: `projects/123456789012/locations/us-central1/models/${d.modelId}@${d.versionId}`,
      displayName: d.displayName,
      machineType: d.machineType,
      minReplicas: d.minReplicaCount,
      maxReplicas: d.maxReplicaCount,
    }));
  return { deployedModels, trafficSplit: normalizeSplit(endpoint.trafficSplit) };
}

/** What a record or a program says is served, in one comparable shape. */
function served(models: readonly { deployedModelId: string; model: string; minReplicas: number; maxReplicas: number }[], split: Readonly<Record<string, number>>) {
  return {
    models: [...models].sort((a, b) => a.deployedModelId.localeCompare(b.deployedModelId)).map((d) => [d.deployedModelId, d.minReplicas, d.maxReplicas]),
    split: normalizeSplit(split),
  };
}

/** The record tells the truth: its deployed models, their bounds and the split are the endpoint's. */
export function expectRecordMatches(record: Recorded, endpoint: FakeEndpoint, context: string): void {
  const live = liveOf(endpoint);
  expect(served(record.outs.deployedModels, record.outs.trafficSplit), context).toEqual(served(live.deployedModels, live.trafficSplit));
  for (const d of record.outs.deployedModels) {
    const l = live.deployedModels.find((m) => m.deployedModelId === d.deployedModelId);
    expect(l !== undefined && (sameModelVersion(l.model, d.model) || d.model.includes("@v")), `${context}: ${d.deployedModelId} records ${d.model}`).toBe(true);
  }
}

/** The endpoint serves exactly the program (`undefined`: nothing). */
export function expectServes(endpoint: FakeEndpoint, program: EndpointDeploymentInputs | undefined, context: string): void {
  const live = liveOf(endpoint);
  const want = program ? served(program.deployments, program.trafficSplit) : { models: [], split: {} };
  expect(served(live.deployedModels, live.trafficSplit), context).toEqual(want);
  for (const d of program?.deployments ?? []) {
    const l = live.deployedModels.find((m) => m.deployedModelId === d.deployedModelId);
    expect(l && sameModelVersion(l.model, d.model), `${context}: ${d.deployedModelId} serves ${l?.model}, declared ${d.model}`).toBe(true);
  }
}

/**
 * Safety at every recorded state the provider produced (a person's edits, "hand: …", are
 * checked only as the state the next change starts from):
 *  - the split names only deployed models and sums to 100, or is empty;
 *  - an endpoint that served never stops serving while it has deployed models;
 *  - a model's share rises only when it has at least its minimum replicas available.
 * An operation that finished after a change by hand it was accepted before has its share rises
 * held to the state it was accepted on (the provider asked on the state it saw). Returns the
 * number of states checked.
 */
export function checkSafety(history: readonly EndpointSnapshot[], from = 0): number {
  let checked = 0;
  const problems: string[] = [];
  for (let i = Math.max(1, from); i < history.length; i++) {
    const [before, after] = [history[i - 1], history[i]];
    if (after.cause.startsWith("hand:") || before.endpointId !== after.endpointId) continue;
    // An operation accepted before a change by hand finishes on the state the hand left: Vertex AI
    // carries it out as accepted (assumed, not documented: a change by hand does not cancel
    // operations in flight), and the provider asked on the state it saw, which is what its share
    // rises are held to (a run killed mid-request cannot even see the operation finish).
    const accepted = after.acceptedAt;
    const handSince = accepted !== undefined && accepted > 0 && history.slice(accepted, i).some((s) => s.endpointId === after.endpointId && s.cause.startsWith("hand:"));
    const asked = handSince ? history[accepted - 1] : undefined;
    checked++;
    const found: string[] = [];
    const ids = new Set(after.deployedModels.map((d) => d.id));
    const split = normalizeSplit(after.trafficSplit);
    for (const id of Object.keys(split)) if (!ids.has(id)) found.push(`the split names ${id}, which is not deployed`);
    const sum = Object.values(split).reduce((a, b) => a + b, 0);
    if (sum !== 100 && sum !== 0) found.push(`the split sums to ${sum}`);
    const served = Object.keys(normalizeSplit(before.trafficSplit)).length > 0;
    if (served && after.deployedModels.length > 0 && sum !== 100) found.push("the endpoint stopped serving with models deployed");
    for (const d of after.deployedModels) {
      const available = asked ? (asked.deployedModels.find((m) => m.id === d.id)?.available ?? d.available) : d.available;
      if ((split[d.id] ?? 0) > ((asked ?? before).trafficSplit[d.id] ?? 0) && available < d.min) {
        found.push(`${d.id}'s share rose with ${available} of its ${d.min} replicas available${asked ? " when the operation was accepted" : ""}`);
      }
    }
    if (found.length > 0) problems.push(`state ${i} (${after.cause}) after ${JSON.stringify(before)}: ${JSON.stringify(after)}: ${found.join("; ")}`);
  }
  if (problems.length > 0) throw new Error(`unsafe endpoint states:\n${problems.join("\n")}`);
  return checked;
}
