import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeploymentSpec, EndpointDeploymentInputs } from "../../infra/models/providers/endpoint-deployment-types";
import { compareTargets, diffEndpointDeployment } from "../../infra/models/providers/endpoint-diff";
import { FakeVertex, FakeVertexOptions } from "./fake-vertex";
import { checkSafety, expectRecordMatches, expectServes, simulatedDiff, up, type Recorded } from "./engine-sim";
import { MODEL_ID, deployment, endpointInputs } from "./fixtures";

/**
 * The cases of "Rollouts that converge after any fault", each as it was reported: the fault, then
 * the next `pulumi up` as the engine runs it (engine-sim.ts) against the in-process fake. Each
 * test checks that the next run converges, that Pulumi's record is then the endpoint's truth, and
 * (after each test) that every state the endpoint went through was safe.
 */

let fake: FakeVertex;
let endpoint: string;
let v1: DeploymentSpec;
let v2: DeploymentSpec;
let checkHistory: boolean;

function start(options: FakeVertexOptions = {}): void {
  fake = FakeVertex.create(options);
  endpoint = fake.createEndpoint("4242");
  v1 = deployment(fake.seedVersion(MODEL_ID, "v1-0-0"), "1.0.0");
  v2 = deployment(fake.seedVersion(MODEL_ID, "v1-1-0"), "1.1.0");
  checkHistory = true;
}

beforeEach(() => start());
afterEach(() => {
  if (checkHistory) checkSafety(fake.endpoints.history);
});

const live = () => fake.endpoints.get("4242");
const program = (models: DeploymentSpec[], split: Record<string, number>, overrides: Partial<EndpointDeploymentInputs> = {}) =>
  endpointInputs(fake, endpoint, models, split, { environment: "dev", ...overrides });
const only = (d: DeploymentSpec, overrides: Partial<EndpointDeploymentInputs> = {}) => program([d], { [d.deployedModelId]: 100 }, overrides);
const both = (candidate: number, overrides: Partial<EndpointDeploymentInputs> = {}) => program([v1, v2], { [v1.deployedModelId]: 100 - candidate, [v2.deployedModelId]: candidate }, overrides);
const effects = (cause: string) => fake.endpoints.history.filter((s) => s.cause === cause).length;
const sorted = (split: Record<string, number>) => JSON.stringify(split, Object.keys(split).sort());
const asLive = (model: string) => model.replace("projects/llmops-test/", "projects/123456789012/");

/** The next `up` converges: the endpoint serves `target`, the record says so, a further preview shows nothing. */
async function converges(target: EndpointDeploymentInputs, record: Recorded | undefined): Promise<Recorded> {
  const result = await up(fake, target, record);
  expect(result.error, result.error?.message).toBeUndefined();
  expectServes(live(), target, "after the next up");
  expectRecordMatches(result.record!, live(), "the record after the next up");
  expect((await simulatedDiff(fake, result.record!, target)).changes, "a further preview").toBe(false);
  return result.record!;
}

async function created(target: EndpointDeploymentInputs): Promise<Recorded> {
  const result = await up(fake, target, undefined);
  expect(result.outcome, result.error?.message).toBe("created");
  return result.record!;
}

describe("a promotion killed before the old version's undeploy, then a revert", () => {
  it("sees that Vertex serves v2 although the record says v1, and moves the traffic back before undeploying v2", async () => {
    const record = await created(only(v1));
    fake.killAfter(2); // deploy v2, set the split: the process dies right after the split moved
    expect((await up(fake, only(v2), record)).outcome).toBe("killed");
    expect(live().trafficSplit).toEqual({ [v2.deployedModelId]: 100 });
    expect(record.outs.trafficSplit).toEqual({ [v1.deployedModelId]: 100 }); // the engine still holds the old outputs

    // The operator reverts the program. The record equals it, the endpoint does not.
    expect(diffEndpointDeployment(record.outs, only(v1)).changes).toBe(false); // what the record alone says
    const diff = await simulatedDiff(fake, record, only(v1));
    expect(diff).toMatchObject({ changes: true, changedKeys: [] });
    expect(diff.liveDifferences).toEqual([`${v2.deployedModelId} (${asLive(v2.model)}) is deployed but not declared`, expect.stringContaining("the split is")]);
    await converges(only(v1), record);
    expect(fake.endpoints.history.at(-1)?.cause).toBe(`undeploy ${v2.deployedModelId}`);
  });
});

describe("a delete that fails half-way", () => {
  it("keeps serving with every model, and a kept resource truthfully shows no change", async () => {
    const record = await created(both(10));
    fake.failNext(/:undeployModel$/, 1, "INTERNAL", "injected undeploy failure");
    const deleted = await up(fake, undefined, record);
    expect(deleted.outcome).toBe("failed");
    expect(deleted.error?.message).toMatch(/injected undeploy failure[\s\S]*now serves: \d+ \(.*\) (90|10)%, \d+ \(.*\) (10|90)%\.\nEvery model with traffic is still deployed\./);
    expect(live().trafficSplit).toEqual({ [v1.deployedModelId]: 90, [v2.deployedModelId]: 10 }); // never an empty split
    expect((await simulatedDiff(fake, deleted.record!, both(10))).changes).toBe(false);
  });

  it("when the last undeploy fails, serves the last model, and the kept resource's next up restores the rest", async () => {
    const record = await created(both(10));
    fake.failNext(/:undeployModel$/, 1, "INTERNAL", "injected undeploy failure", 1); // v2 (10%) goes, v1 stays
    const deleted = await up(fake, undefined, record);
    expect(deleted.outcome).toBe("failed");
    expect(live().trafficSplit).toEqual({ [v1.deployedModelId]: 100 });
    expect(deleted.record).toBe(record); // a failed delete keeps the old record: stale, and the diff sees it
    expect((await simulatedDiff(fake, record, both(10))).liveDifferences).toContain(`${v2.deployedModelId} is declared but not deployed`);
    await converges(both(10), record);
  });

  it("drains a single model in one undeploy, which empties the split with it", async () => {
    const record = await created(only(v1));
    expect((await up(fake, undefined, record)).outcome).toBe("deleted");
    expect(live()).toMatchObject({ deployedModels: [], trafficSplit: {} });
    expect(fake.calls(/^PATCH/)).toHaveLength(1); // the create's split only: no "{}" before the undeploy
  });

  it("where Vertex AI refuses to undeploy a last model that serves: empties the split, and puts it back when the undeploy fails", async () => {
    start({ strictLastUndeploy: true });
    const record = await created(only(v1));
    fake.failNext(/:undeployModel$/, 1, "INTERNAL", "injected undeploy failure", 2); // after the refusal and its retry
    expect((await up(fake, undefined, record)).outcome).toBe("failed");
    expect(live().trafficSplit).toEqual({ [v1.deployedModelId]: 100 });
    // The one unavoidable gap under this reading of the API, closed again at once.
    expect(fake.endpoints.history.slice(-2).map((s) => [s.cause, s.trafficSplit])).toEqual([
      ["traffic", {}],
      ["traffic", { [v1.deployedModelId]: 100 }],
    ]);
    checkHistory = false;
    expect((await up(fake, undefined, record)).outcome).toBe("deleted");
    expect(live()).toMatchObject({ deployedModels: [], trafficSplit: {} });
  });
});

describe("lost responses: the call succeeded, the caller saw a 503 and retried", () => {
  it.each([
    ["finished before the retry (ALREADY_EXISTS)", 0],
    ["still running at the retry (endpoint busy)", 2],
  ])("a deploy whose operation %s is adopted, not failed or repeated", async (_case, operationPolls) => {
    start({ operationPolls });
    fake.loseNext(/:deployModel$/);
    const record = await converges(only(v1), undefined);
    expect(fake.calls(/:deployModel$/).length).toBeGreaterThanOrEqual(2);
    expect(effects(`deploy ${v1.deployedModelId}`)).toBe(1);
    expect(record.outs.trafficSplit).toEqual({ [v1.deployedModelId]: 100 });
  });

  it.each([
    ["still running when the operations are listed", { operationPolls: 2 }],
    ["failed by the time the operations are listed (review)", { operationPolls: 50, operationTicks: 2 }],
  ])("the last model's undeploy, its answer lost, meets its own operation on the retry (busy), %s: when that fails, the undeploy is tried again as it was, the split never emptied", async (_case, options) => {
    start(options);
    const record = await created(only(v1));
    fake.loseNext(/:undeployModel$/);
    fake.failOperations(/:undeployModel$/, "RESOURCE_EXHAUSTED", "injected: the following quota metrics exceed quota limits");
    // Found by fast-check (endpoint-fault-schedules, seed 1841458443): the busy endpoint's
    // FAILED_PRECONDITION was taken for a refusal to undeploy a last model that serves.
    expect((await up(fake, undefined, record)).outcome).toBe("deleted");
    expect(fake.calls(/:undeployModel$/)).toHaveLength(3);
    expect(fake.calls(/^PATCH/)).toHaveLength(1); // the create's split only: no "{}" before the undeploy
    expect(live()).toMatchObject({ deployedModels: [], trafficSplit: {} });
  });

  it("an undeploy that met NOT_FOUND on its retry is done", async () => {
    start({ operationPolls: 0 });
    const record = await created(both(0));
    fake.loseNext(/:undeployModel$/);
    await converges(only(v1), record);
    expect(fake.calls(/:undeployModel$/)).toHaveLength(2);
    expect(effects(`undeploy ${v2.deployedModelId}`)).toBe(1);
  });

  it("a mutation and a split whose answers were lost are done", async () => {
    const record = await created(both(10));
    fake.loseNext(/:mutateDeployedModel$/);
    fake.loseNext(/^PATCH/);
    const bigger = { ...v2, minReplicas: 2, maxReplicas: 3 };
    await converges(program([v1, bigger], { [v1.deployedModelId]: 50, [v2.deployedModelId]: 50 }), record);
  });
});

describe("operations still running", () => {
  it("a candidate dropped while its deploy runs: the preview sees the operation, the next up waits for it and undeploys the orphan", async () => {
    start({ operationPolls: 3 });
    const record = await created(only(v1));
    fake.killAfter(1); // the canary's deploy is sent, then the process dies
    expect((await up(fake, both(10), record)).outcome).toBe("killed");
    expect(fake.running()).toHaveLength(1);
    expect(live().deployedModels.map((d) => d.id)).toEqual([v1.deployedModelId]); // not visible yet

    const diff = await simulatedDiff(fake, record, only(v1));
    expect(diff).toMatchObject({ changes: true, changedKeys: [], liveDifferences: ["1 operation(s) are still running on the endpoint"] });
    await converges(only(v1), record);
    expect(effects(`deploy ${v2.deployedModelId}`)).toBe(1);
    expect(fake.endpoints.history.at(-1)?.cause).toBe(`undeploy ${v2.deployedModelId}`);
  });

  it("a rollback while the candidate's deploy runs waits for it instead of failing as busy and deploying again", async () => {
    start({ operationPolls: 3 });
    const record = await created(only(v1));
    fake.killAfter(1);
    expect((await up(fake, both(10), record)).outcome).toBe("killed");
    await converges(both(0), record); // rollback: the candidate stays deployed at 0%
    expect(fake.calls(/:deployModel$/)).toHaveLength(2); // v1 at create, v2 once
  });

  it("a deploy that outlasts the operation timeout ends the run with the endpoint's state, and the next run adopts it", async () => {
    const record = await created(only(v1));
    fake.hangOperations(/:deployModel$/);
    const slow = await up(fake, both(10), record, { operationTimeoutMs: 5, pollIntervalMs: 1 });
    expect(slow.outcome).toBe("failed");
    expect(slow.error?.message).toMatch(/operation .* did not finish within 0s\. It may still complete in Vertex AI/);
    expect(slow.error?.message).toContain(`now serves: ${v1.deployedModelId} (${v1.model}) 100%`);
    expect(slow.error?.message).toMatch(/Pulumi records this state\. The next `pulumi up` continues from the live endpoint, waiting first for any operation still running on it/);
    expectRecordMatches(slow.record!, live(), "the partial record");
    fake.releaseHungOperations();
    await converges(both(10), slow.record);
    expect(effects(`deploy ${v2.deployedModelId}`)).toBe(1);
  });

  it("goes on without waiting where the server does not implement ListOperations", async () => {
    fake.failNext(/\/operations$/, 10, "UNIMPLEMENTED", "Method not implemented");
    await converges(both(10), await created(only(v1)));
  });

  it("stops before a step once the run's time is used up, saying so", async () => {
    const record = await created(only(v1));
    const result = await up(fake, both(10), record, { runTimeoutMs: -1 });
    expect(result.outcome).toBe("failed");
    expect(result.error?.message).toMatch(/the run's time \(runTimeoutMs\) is used up before "deploy \d+/);
    await converges(both(10), result.record);
  });
});

describe("capacity before traffic", () => {
  it("waits for available replicas after a deploy, not only for its operation", async () => {
    start({ replicaLag: 4 });
    await converges(only(v1), undefined);
    const moved = fake.endpoints.history.find((s) => s.cause === "traffic")!;
    expect(moved.deployedModels).toEqual([{ id: v1.deployedModelId, min: 1, max: 2, available: 1 }]);
    expect(fake.endpoints.history.findIndex((s) => s.cause === "replicas")).toBeLessThan(fake.endpoints.history.indexOf(moved));
  });

  it("gives the canary its share of the stable's autoscaled replicas before 10% -> 100%, then returns to the declared bounds", async () => {
    start({ replicaLag: 2 });
    const stable = { ...v1, minReplicas: 2, maxReplicas: 6 };
    const canary = { ...v2, minReplicas: 1, maxReplicas: 6 };
    const at = (w: number) => program([stable, canary], { [stable.deployedModelId]: 100 - w, [canary.deployedModelId]: w });
    const record = await created(at(10));
    fake.hand.available("4242", stable.deployedModelId, 4); // load scaled the stable to 4
    await converges(at(100), record);
    const moved = fake.endpoints.history.filter((s) => s.cause === "traffic").at(-1)!;
    // 4 replicas carried 90%: 100% needs ceil(4 * 100 / 90) = 5, provisioned before the move.
    expect(moved.deployedModels.find((d) => d.id === canary.deployedModelId)).toEqual({ id: canary.deployedModelId, min: 5, max: 6, available: 5 });
    expect(live().deployedModels.find((d) => d.id === canary.deployedModelId)).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 6 });
  });

  it("adds trafficHeadroom", async () => {
    const stable = { ...v1, minReplicas: 2, maxReplicas: 8 };
    const canary = { ...v2, minReplicas: 1, maxReplicas: 8 };
    const at = (w: number) => program([stable, canary], { [stable.deployedModelId]: 100 - w, [canary.deployedModelId]: w }, { trafficHeadroom: 50 });
    const record = await created(at(10));
    await converges(at(50), record);
    // 2 replicas carried 90%: 50% needs 1.1, with 50% headroom 1.67, so 2.
    expect(fake.endpoints.history.filter((s) => s.cause === "traffic").at(-1)!.deployedModels.find((d) => d.id === canary.deployedModelId)?.min).toBe(2);
  });
});

describe("hand edits", () => {
  it("a split changed in the console shows in the next preview and is undone", async () => {
    const record = await created(both(10));
    fake.hand.split("4242", { [v1.deployedModelId]: 50, [v2.deployedModelId]: 50 });
    expect((await simulatedDiff(fake, record, both(10))).liveDifferences).toEqual([`the split is ${sorted({ [v1.deployedModelId]: 50, [v2.deployedModelId]: 50 })}, declared ${sorted(both(10).trafficSplit)}`]);
    await converges(both(10), record);
  });

  it("a candidate undeployed by hand is deployed again before it gets traffic", async () => {
    const record = await created(both(10));
    fake.hand.split("4242", { [v1.deployedModelId]: 100 });
    fake.hand.undeploy("4242", v2.deployedModelId);
    await converges(both(10), record);
    expect(effects(`deploy ${v2.deployedModelId}`)).toBe(2);
  });

  it("an endpoint emptied by hand serves again", async () => {
    const record = await created(both(10));
    fake.hand.split("4242", {});
    await converges(both(10), record);
  });
});

describe("which endpoint", () => {
  const at = (project: string) => ({ ...endpointInputs(fake, `projects/${project}/locations/us-central1/endpoints/4242`, [], {}), project });

  it("two different project numbers name two endpoints, so the resource is replaced", () => {
    expect(compareTargets(at("111111111111"), at("222222222222"))).toBe("different");
    expect(diffEndpointDeployment({ ...at("111111111111"), endpointName: at("111111111111").endpoint, deployedModels: [] }, at("222222222222")).replaces).toEqual(["project", "endpoint"]);
    expect(compareTargets(at("acme-llmops-prod"), at("acme-llmops-dev"))).toBe("different");
    expect(compareTargets(at("acme-llmops-prod"), at("123456789012"))).toBe("unsure");
  });

  it("a project id and a project number are compared as Vertex AI names them", async () => {
    const byId = await created(only(v1));
    const byNumber = only(v1, { project: "123456789012", endpoint: "projects/123456789012/locations/us-central1/endpoints/4242" });
    expect((await simulatedDiff(fake, byId, byNumber)).replaces).toEqual([]);
    const elsewhere = only(v1, { project: "123456789012", endpoint: "projects/123456789012/locations/us-central1/endpoints/5151" });
    fake.createEndpoint("5151");
    expect(compareTargets(byId.outs, elsewhere)).toBe("different");
  });
});

describe("the safety check itself", () => {
  const state = (cause: string, split: Record<string, number>, models: [string, number, number][]) => ({
    cause,
    endpointId: "4242",
    deployedModels: models.map(([id, min, available]) => ({ id, min, max: min + 1, available })),
    trafficSplit: split,
  });

  it("flags an endpoint that stops serving with models deployed, and a share rising before replicas are available", () => {
    checkHistory = false;
    const emptied = [state("deploy 1", { "1": 100 }, [["1", 1, 1]]), state("traffic", {}, [["1", 1, 1]])];
    expect(() => checkSafety(emptied)).toThrow(/state 1 \(traffic\).*the endpoint stopped serving with models deployed/);
    const early = [state("deploy 2", { "1": 100 }, [["1", 1, 1], ["2", 2, 1]]), state("traffic", { "1": 50, "2": 50 }, [["1", 1, 1], ["2", 2, 1]])];
    expect(() => checkSafety(early)).toThrow(/2's share rose with 1 of its 2 replicas available/);
    const fine = [state("deploy 2", { "1": 100 }, [["1", 1, 1], ["2", 2, 2]]), state("traffic", { "1": 50, "2": 50 }, [["1", 1, 1], ["2", 2, 2]])];
    expect(checkSafety(fine)).toBe(1);
    // A person's edit is where the next state starts from, not something the provider did.
    expect(checkSafety([emptied[0], { ...emptied[1], cause: "hand: split" }])).toBe(0);
  });

  it("holds an operation to the state it was accepted on when a person changed the endpoint while it ran, and only then", () => {
    checkHistory = false;
    // 2 had its replicas when the undeploy of 1 (handing 2 its traffic) was accepted, then lost them by hand.
    const served = state("traffic", { "1": 50, "2": 50 }, [["1", 1, 1], ["2", 1, 1]]);
    const lost = state("hand: 2 has 0 replicas", { "1": 50, "2": 50 }, [["1", 1, 1], ["2", 1, 0]]);
    const undeployed = { ...state("undeploy 1", { "2": 100 }, [["2", 1, 0]]), acceptedAt: 1 };
    expect(checkSafety([served, lost, undeployed])).toBe(1);
    // Accepted after the loss: the provider moved traffic onto a model it could see had no replicas.
    expect(() => checkSafety([served, lost, { ...undeployed, acceptedAt: 2 }])).toThrow(/2's share rose with 0 of its 1 replicas available/);
    // A change by hand to another model does not excuse moving traffic onto one without replicas when asked.
    const bare = state("traffic", { "1": 100 }, [["1", 1, 1], ["2", 1, 0], ["3", 1, 1]]);
    const other = state("hand: 3 has 2 replicas", { "1": 100 }, [["1", 1, 1], ["2", 1, 0], ["3", 1, 2]]);
    const moved = { ...state("undeploy 1", { "2": 100 }, [["2", 1, 0], ["3", 1, 2]]), acceptedAt: 1 };
    expect(() => checkSafety([bare, other, moved])).toThrow(/2's share rose with 0 of its 1 replicas available when the operation was accepted/);
    // Nor a split that does not add up.
    expect(() => checkSafety([served, lost, { ...undeployed, trafficSplit: { "2": 50 } }])).toThrow(/the split sums to 50/);
  });
});
