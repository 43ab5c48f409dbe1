import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { endpointDeploymentProvider } from "../../infra/models/providers/endpoint-deployment";
import { EndpointDeploymentOutputs } from "../../infra/models/providers/endpoint-deployment-types";
import { FakeVertex } from "./fake-vertex";
import { MODEL_ID, apply, deployment, endpointInputs } from "./fixtures";

/** Failure paths of EndpointDeployment: each test gets a fresh fake with v1 and v2 in the registry. */

let fake: FakeVertex;
let endpoint: string;
let v1: string;
let v2: string;

beforeEach(async () => {
  fake = await FakeVertex.start();
  endpoint = fake.createEndpoint("4242");
  v1 = fake.seedVersion(MODEL_ID, "v1-0-0");
  v2 = fake.seedVersion(MODEL_ID, "v1-1-0");
});
afterEach(async () => fake.close());

/** v1 deployed with all traffic: the usual starting point. */
async function serveV1(): Promise<EndpointDeploymentOutputs> {
  const d = deployment(v1, "1.0.0");
  return apply(endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }));
}

/** `value` carrying serialised provider code, as the engine passes inputs and state to a provider. */
const withCode = <T extends object>(value: T, code: string): T => ({ ...value, __provider: code });

function mutatingCalls(): string[] {
  return fake.calls(/^(POST|PATCH|DELETE) endpoints/);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { id?: string; properties?: EndpointDeploymentOutputs }> {
  try {
    await promise;
  } catch (err) {
    return err as Error & { id?: string; properties?: EndpointDeploymentOutputs };
  }
  throw new Error("expected a rejection");
}

describe("transient errors", () => {
  it("retries 503 UNAVAILABLE and then succeeds", async () => {
    fake.failNext(/:deployModel$/, 2, "UNAVAILABLE");
    const state = await serveV1();
    expect(fake.calls(/:deployModel$/)).toHaveLength(3);
    expect(state.trafficSplit).toEqual({ [deployment(v1, "1.0.0").deployedModelId]: 100 });
  });

  it("gives up on 429 after the configured attempts, naming the endpoint and what is deployed", async () => {
    fake.failNext(/^PATCH endpoints\/4242$/, 10, "RESOURCE_EXHAUSTED", "Quota exceeded for aiplatform.googleapis.com/online_prediction_requests");
    const d = deployment(v1, "1.0.0");
    const inputs = { ...endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }), __provider: "serialised-provider" };
    const err = await rejection(endpointDeploymentProvider.create(inputs));
    expect(fake.calls(/^PATCH endpoints\/4242$/)).toHaveLength(3);
    expect(err.message).toContain(`endpoint ${endpoint}: set traffic split`);
    expect(err.message).toMatch(/still RESOURCE_EXHAUSTED after 3 attempts \(Quota exceeded/);
    expect(err.message).toContain(`now serves: ${d.deployedModelId} (${v1}) 0%`);
    // Partial state for the engine: the deploy happened, the split did not.
    expect(err.id).toBe(endpoint);
    expect(err.properties?.deployedModels.map((m) => m.deployedModelId)).toEqual([d.deployedModelId]);
    expect(err.properties?.trafficSplit).toEqual({ [d.deployedModelId]: 0 });
    expect((err.properties as unknown as Record<string, unknown>).__provider).toBe("serialised-provider");
  });

  it("does not retry a 400, and passes its message through", async () => {
    fake.failNext(/:deployModel$/, 1, "INVALID_ARGUMENT", "Machine type g2-standard-12 is not supported for NVIDIA_L4 in us-central1-a");
    const err = await rejection(serveV1());
    expect(fake.calls(/:deployModel$/)).toHaveLength(1);
    expect(err.message).toMatch(/deploy \d{10} \(.*support-llm@1\) at 0% traffic: INVALID_ARGUMENT: Machine type g2-standard-12 is not supported/);
  });
});

describe("long-running operations", () => {
  it("times out on an operation that never completes, and a re-run continues from the live state", async () => {
    fake.hangOperations(/:deployModel$/);
    const d = deployment(v1, "1.0.0");
    const inputs = endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }, { operationTimeoutMs: 50 });
    const err = await rejection(endpointDeploymentProvider.create(inputs));
    expect(err.message).toMatch(/operation projects\/123456789012\/locations\/us-central1\/endpoints\/4242\/operations\/\d+ did not finish within 0s/);
    expect(err.properties?.deployedModels).toEqual([]);

    fake.releaseHungOperations(); // Vertex finished the deployment after all
    const state = await apply(inputs, err.properties);
    expect(fake.calls(/:deployModel$/)).toHaveLength(1); // not deployed twice
    expect(state.trafficSplit).toEqual({ [d.deployedModelId]: 100 });
  });

  it("reports an operation that fails", async () => {
    fake.failOperations(/:deployModel$/, "RESOURCE_EXHAUSTED", "The following quota metrics exceed quota limits: custom_model_serving_nvidia_l4_gpus");
    const err = await rejection(serveV1());
    expect(err.message).toMatch(/failed: RESOURCE_EXHAUSTED: The following quota metrics exceed quota limits/);
    expect(fake.endpoints.get("4242").deployedModels).toEqual([]);
  });
});

describe("production guard", () => {
  it("refuses to undeploy the last serving model of a prod endpoint", async () => {
    const state = await serveV1();
    const inputs = endpointInputs(fake, endpoint, [], {});
    const { failures } = await endpointDeploymentProvider.check(state, inputs);
    expect(failures).toEqual([{ property: "deployments", reason: expect.stringContaining("set allowEmpty: true") }]);
    const before = mutatingCalls().length;
    await expect(endpointDeploymentProvider.update(endpoint, state, inputs)).rejects.toThrow(/refusing to undeploy every model \(\d{10}\) from a prod endpoint/);
    expect(mutatingCalls()).toHaveLength(before);
    expect(fake.endpoints.get("4242").deployedModels).toHaveLength(1);
  });

  it("empties a prod endpoint when allowEmpty says so, in one undeploy that empties the split with the model", async () => {
    const state = await serveV1();
    const before = mutatingCalls().length;
    const next = await apply(endpointInputs(fake, endpoint, [], {}, { allowEmpty: true }), state);
    // No "traffic to nothing" first: the endpoint never has a model deployed and an empty split.
    expect(mutatingCalls().slice(before)).toEqual(["POST endpoints/4242:undeployModel"]);
    expect(next.deployedModels).toEqual([]);
    expect(next.trafficSplit).toEqual({});
  });

  it("refuses to delete a prod deployment without allowEmpty, and deletes a dev one", async () => {
    const state = await serveV1();
    await expect(endpointDeploymentProvider.delete(endpoint, state)).rejects.toThrow(/refusing to undeploy \d{10} \(.*\) 100% from a prod endpoint on delete/);
    expect(fake.endpoints.get("4242").deployedModels).toHaveLength(1);
    await endpointDeploymentProvider.delete(endpoint, { ...state, environment: "dev" });
    expect(fake.endpoints.get("4242").deployedModels).toEqual([]);
  });

  it("treats an endpoint that is gone as already deleted", async () => {
    const state = await serveV1();
    const gone = endpoint.replace("4242", "9999");
    await expect(endpointDeploymentProvider.delete(gone, { ...state, endpoint: "9999", endpointName: gone })).resolves.toBeUndefined();
    await expect(endpointDeploymentProvider.read(gone, { ...state, endpoint: "9999", endpointName: gone })).resolves.toEqual({});
    expect(fake.endpoints.get("4242").deployedModels).toHaveLength(1);
  });
});

describe("safe ordering", () => {
  it("moves traffic before undeploying the model it leaves", async () => {
    const state = await serveV1();
    const old = deployment(v1, "1.0.0");
    const next = deployment(v2, "1.1.0");
    await apply(endpointInputs(fake, endpoint, [next], { [next.deployedModelId]: 100 }), state);
    expect(mutatingCalls().slice(-3)).toEqual(["POST endpoints/4242:deployModel", "PATCH endpoints/4242", "POST endpoints/4242:undeployModel"]);
    const patch = fake.requests.filter((r) => r.call === "PATCH endpoints/4242").at(-1);
    expect(patch?.body.trafficSplit).toEqual({ [next.deployedModelId]: 100 });
    // No split in the undeploy itself (an empty map is "not set"): the traffic had already moved.
    expect(fake.requests.filter((r) => r.call.endsWith(":undeployModel")).at(-1)?.body).toEqual({ deployedModelId: old.deployedModelId, trafficSplit: {} });
  });

  it("deploys a new machine shape beside the old one, moves traffic, then undeploys the old shape", async () => {
    const state = await serveV1();
    const old = deployment(v1, "1.0.0");
    const bigger = deployment(v1, "1.0.0", { machineType: "g2-standard-24", acceleratorCount: 2 });
    expect(bigger.deployedModelId).not.toBe(old.deployedModelId);
    const next = await apply(endpointInputs(fake, endpoint, [bigger], { [bigger.deployedModelId]: 100 }), state);
    const deploy = fake.requests.filter((r) => r.call.endsWith(":deployModel")).at(-1);
    expect(deploy?.body).toMatchObject({ deployedModel: { id: bigger.deployedModelId, dedicatedResources: { machineSpec: { machineType: "g2-standard-24", acceleratorCount: 2 } } } });
    expect(mutatingCalls().slice(-3)).toEqual(["POST endpoints/4242:deployModel", "PATCH endpoints/4242", "POST endpoints/4242:undeployModel"]);
    expect(next.deployedModels.map((d) => d.deployedModelId)).toEqual([bigger.deployedModelId]);
  });

  it("refuses a shape change under the same deployed model id, before touching anything", async () => {
    const state = await serveV1();
    const same = { ...deployment(v1, "1.0.0"), machineType: "g2-standard-24" };
    const before = mutatingCalls().length;
    await expect(apply(endpointInputs(fake, endpoint, [same], { [same.deployedModelId]: 100 }), state)).rejects.toThrow(
      /cannot change deployed model \d{10}: machineType \(g2-standard-12 -> g2-standard-24\)/,
    );
    expect(mutatingCalls()).toHaveLength(before);
  });

  it("changes replicas in place: growth before the traffic move, shrinking after it", async () => {
    const state = await serveV1();
    const stable = deployment(v1, "1.0.0");
    const canary = deployment(v2, "1.1.0");
    const both = await apply(endpointInputs(fake, endpoint, [stable, canary], { [stable.deployedModelId]: 90, [canary.deployedModelId]: 10 }), state);
    const grown = { ...canary, minReplicas: 3, maxReplicas: 6 };
    const shrunk = { ...stable, minReplicas: 1, maxReplicas: 1 };
    await apply(endpointInputs(fake, endpoint, [shrunk, grown], { [stable.deployedModelId]: 10, [canary.deployedModelId]: 90 }), both);
    const calls = fake.requests.filter((r) => /(mutateDeployedModel|PATCH endpoints)/.test(r.call)).slice(-3);
    expect(calls.map((r) => [r.call, (r.body.deployedModel as { id?: string } | undefined)?.id])).toEqual([
      ["POST endpoints/4242:mutateDeployedModel", canary.deployedModelId],
      ["PATCH endpoints/4242", undefined],
      ["POST endpoints/4242:mutateDeployedModel", stable.deployedModelId],
    ]);
    expect(calls[0].body.updateMask).toBe("dedicated_resources.min_replica_count,dedicated_resources.max_replica_count,dedicated_resources.autoscaling_metric_specs");
    expect(fake.endpoints.get("4242").deployedModels.map((d) => [d.id, d.minReplicaCount, d.maxReplicaCount])).toEqual([
      [stable.deployedModelId, 1, 1],
      [canary.deployedModelId, 3, 6],
    ]);
  });

  it("reports what is deployed when an undeploy fails after traffic moved", async () => {
    const state = await serveV1();
    const old = deployment(v1, "1.0.0");
    const next = deployment(v2, "1.1.0");
    fake.failNext(/:undeployModel$/, 1, "INVALID_ARGUMENT", "injected undeploy failure");
    const err = await rejection(apply(endpointInputs(fake, endpoint, [next], { [next.deployedModelId]: 100 }), state));
    expect(err.message).toContain(`undeploy ${old.deployedModelId}`);
    expect(err.message).toContain("injected undeploy failure");
    expect(err.message).toContain(`Completed before the failure: deploy ${next.deployedModelId}`);
    expect(err.properties?.trafficSplit).toEqual({ [old.deployedModelId]: 0, [next.deployedModelId]: 100 });
    expect(err.properties?.deployedModels.map((d) => d.deployedModelId).sort()).toEqual([old.deployedModelId, next.deployedModelId].sort());
  });

  it("explains a missing endpoint", async () => {
    const d = deployment(v1, "1.0.0");
    await expect(apply(endpointInputs(fake, "1234", [d], { [d.deployedModelId]: 100 }))).rejects.toThrow(
      /endpoint projects\/llmops-test\/locations\/us-central1\/endpoints\/1234 does not exist; create it first/,
    );
  });
});

describe("models pinned by alias, and drift", () => {
  const byAlias = (version: string) => `projects/llmops-test/locations/us-central1/models/support-llm@v${version.replace(/\./g, "-")}`;

  it("resolves a semver alias to its version id, and keeps the caller's spelling in the outputs", async () => {
    const d = deployment(byAlias("1.0.0"), "1.0.0");
    const inputs = endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 });
    const state = await apply(inputs);
    expect(fake.requests.filter((r) => r.call.endsWith(":deployModel"))[0].body).toMatchObject({ deployedModel: { model: v1 } });
    expect(state.deployedModels).toEqual([d]);
    expect(await endpointDeploymentProvider.diff(endpoint, state, inputs)).toMatchObject({ changes: false });
    const refreshed = await endpointDeploymentProvider.read(endpoint, state);
    expect(refreshed.props?.deployedModels).toEqual([d]);
  });

  it("refuses when an alias now names another version than the one deployed under that id", async () => {
    const d = deployment(byAlias("1.0.0"), "1.0.0");
    const state = await apply(endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }));
    fake.registry.mergeAliases("support-llm", "2", ["v1-0-0"]); // someone moved the alias
    await expect(apply(endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }), state)).rejects.toThrow(/cannot change deployed model \d{10}: model \(.*@1 -> .*@2\)/);
  });

  it("explains an alias that does not exist yet", async () => {
    const d = deployment(byAlias("9.9.9"), "9.9.9");
    await expect(apply(endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }))).rejects.toThrow(/model version .*@v9-9-9 does not exist; upload it first/);
  });

  it("refresh shows traffic changed out of band, and the next update restores the declared split", async () => {
    const stable = deployment(v1, "1.0.0");
    const canary = deployment(v2, "1.1.0");
    const inputs = endpointInputs(fake, endpoint, [stable, canary], { [stable.deployedModelId]: 90, [canary.deployedModelId]: 10 });
    const state = await apply(inputs);
    fake.endpoints.get("4242").trafficSplit = { [stable.deployedModelId]: 50, [canary.deployedModelId]: 50 };
    const refreshed = (await endpointDeploymentProvider.read(endpoint, state)).props as EndpointDeploymentOutputs;
    expect(refreshed.trafficSplit).toEqual({ [stable.deployedModelId]: 50, [canary.deployedModelId]: 50 });
    expect(await endpointDeploymentProvider.diff(endpoint, refreshed, inputs)).toMatchObject({ changes: true, changedKeys: ["trafficSplit"] });
    await apply(inputs, refreshed);
    expect(fake.endpoints.get("4242").trafficSplit).toEqual({ [stable.deployedModelId]: 90, [canary.deployedModelId]: 10 });
  });
});

describe("new provider code", () => {
  it("is an in-place change, never a replacement", async () => {
    const state = await serveV1();
    const d = deployment(v1, "1.0.0");
    const inputs = endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 });
    expect(await endpointDeploymentProvider.diff(endpoint, withCode(state, "old code"), withCode(inputs, "new code"))).toMatchObject({
      changes: true,
      replaces: [],
      changedKeys: ["__provider"],
    });
    expect((await endpointDeploymentProvider.diff(endpoint, state, inputs)).changes).toBe(false);
  });

  it("is recorded without touching the endpoint, even where it drifted since the last refresh", async () => {
    const stable = deployment(v1, "1.0.0");
    const canary = deployment(v2, "1.1.0");
    const inputs = endpointInputs(fake, endpoint, [stable, canary], { [stable.deployedModelId]: 90, [canary.deployedModelId]: 10 });
    const state = await apply(inputs);
    // Out of band; the preview of a code-only update does not show it, so the update must not act on it.
    fake.endpoints.get("4242").trafficSplit = { [stable.deployedModelId]: 50, [canary.deployedModelId]: 50 };
    const before = fake.requests.length;
    const news = withCode(inputs, "new code");
    const { outs } = await endpointDeploymentProvider.update(endpoint, withCode(state, "old code"), news);
    expect(fake.requests.slice(before).map((r) => r.call)).toEqual([]);
    expect(outs).toEqual({ ...news, endpointName: endpoint, deployedModels: state.deployedModels, trafficSplit: state.trafficSplit });
    expect(fake.endpoints.get("4242").trafficSplit).toEqual({ [stable.deployedModelId]: 50, [canary.deployedModelId]: 50 });
  });
});

describe("faults through the official client", () => {
  const effects = (prefix: string) => fake.endpoints.history.filter((h) => h.cause.startsWith(prefix)).length;

  it("adopts a deploy whose answer was lost: the retry meets the first attempt, not a second deployment", async () => {
    fake.loseNext(/:deployModel$/);
    const state = await serveV1();
    expect(fake.calls(/:deployModel$/)).toHaveLength(2);
    expect(effects("deploy")).toBe(1);
    expect(state.trafficSplit).toEqual({ [deployment(v1, "1.0.0").deployedModelId]: 100 });
  });

  it("after a create killed mid-deploy, the next create finds the operation (ListOperations), waits for it and adopts the model", async () => {
    fake.killAfter(1);
    await expect(serveV1()).rejects.toThrow(/socket hang up|ECONNRESET/);
    fake.revive();
    const state = await serveV1();
    expect(fake.calls(/^GET endpoints\/4242\/operations$/).length).toBeGreaterThan(0);
    expect(fake.calls(/:deployModel$/)).toHaveLength(1);
    expect(effects("deploy")).toBe(1);
    expect(state.deployedModels).toHaveLength(1);
  });

  it("drains on delete: the smaller share moves inside its undeploy request, the last model goes alone", async () => {
    const stable = deployment(v1, "1.0.0");
    const canary = deployment(v2, "1.1.0");
    const state = await apply(endpointInputs(fake, endpoint, [stable, canary], { [stable.deployedModelId]: 90, [canary.deployedModelId]: 10 }, { environment: "dev" }));
    await endpointDeploymentProvider.delete(endpoint, state);
    const undeploys = fake.requests.filter((r) => r.call.endsWith(":undeployModel")).map((r) => r.body);
    expect(undeploys).toEqual([
      { deployedModelId: canary.deployedModelId, trafficSplit: { [stable.deployedModelId]: 100 } },
      { deployedModelId: stable.deployedModelId, trafficSplit: {} },
    ]);
    expect(fake.endpoints.history.filter((h) => h.deployedModels.length > 0).every((h) => Object.keys(h.trafficSplit).length > 0 || h.cause.startsWith("deploy"))).toBe(true);
    expect(fake.endpoints.get("4242")).toMatchObject({ deployedModels: [], trafficSplit: {} });
  });

  it("says on stderr how the live endpoint differs, since the engine shows no property diff for it", async () => {
    const state = await serveV1();
    const d = deployment(v1, "1.0.0");
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      fake.endpoints.get("4242").deployedModels[0].minReplicaCount = 2; // changed by hand
      const diff = await endpointDeploymentProvider.diff(endpoint, state, endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 100 }));
      expect(diff).toMatchObject({ changes: true, changedKeys: [] });
      expect(logged).toHaveBeenCalledWith(`EndpointDeployment ${endpoint}: the live endpoint differs from the program: ${d.deployedModelId} has replicas 2-2 (or autoscaling) other than declared 1-2.`);
    } finally {
      logged.mockRestore();
    }
  });

  it("diffs against the record alone, and says so, when the endpoint cannot be read (a preview without credentials)", async () => {
    const d = deployment(v1, "1.0.0");
    const adc = { credentials: "application-default" as const, protocol: "https" as const };
    const state = await serveV1();
    const olds = { ...state, ...adc };
    const news = { ...endpointInputs(fake, endpoint, [d], { [d.deployedModelId]: 50 }), ...adc };
    const saved = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = "/nonexistent/llmops-test-key.json";
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const before = fake.requests.length;
      const diff = await endpointDeploymentProvider.diff(endpoint, olds, news);
      expect(diff).toMatchObject({ changes: true, changedKeys: ["trafficSplit"], liveDifferences: [] });
      expect(fake.requests.length).toBe(before); // nothing reached the API
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(new RegExp(`^EndpointDeployment ${endpoint}: the live endpoint was not read \\(.*\\); this diff compares the recorded state with the program only\\.$`)));
    } finally {
      logged.mockRestore();
      if (saved === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = saved;
    }
  });
});
