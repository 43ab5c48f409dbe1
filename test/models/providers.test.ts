import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointDeploymentProvider } from "../../infra/models/providers/endpoint-deployment";
import { EndpointDeploymentOutputs } from "../../infra/models/providers/endpoint-deployment-types";
import { modelVersionProvider } from "../../infra/models/providers/model-version";
import { ModelVersionOutputs } from "../../infra/models/providers/model-version-types";
import { FakeVertex } from "./fake-vertex";
import { MODEL_ID, apply, deployment, endpointInputs, modelInputs } from "./fixtures";

/**
 * The life of a model on a prod endpoint, end to end against the fake: two uploads that share one
 * registry entry, then a canary rollout of v2 (10% → 50% → 100%), a rollback, and the clean-up.
 * Steps share state, so they run in order in one file.
 */
describe("model rollout against the fake Vertex AI", () => {
  let fake: FakeVertex;
  let endpoint: string;
  let v1: ModelVersionOutputs;
  let v2: ModelVersionOutputs;
  let state: EndpointDeploymentOutputs;
  const stable = () => deployment(v1.name, "1.0.0");
  const candidate = () => deployment(v2.name, "1.1.0");

  beforeAll(async () => {
    fake = await FakeVertex.start();
    endpoint = fake.createEndpoint("4242");
  });
  afterAll(async () => fake.close());

  it("uploads v1 as a new registry entry (modelId)", async () => {
    const { id, outs } = await modelVersionProvider.create(modelInputs(fake, "1.0.0"));
    v1 = outs;
    expect(id).toBe(`projects/llmops-test/locations/us-central1/models/${MODEL_ID}@1`);
    expect(outs).toMatchObject({ versionId: "1", versionAlias: "v1-0-0", modelName: `projects/llmops-test/locations/us-central1/models/${MODEL_ID}` });
    const upload = fake.requests.find((r) => r.call === "POST models:upload");
    expect(upload?.body).toMatchObject({ modelId: MODEL_ID, model: { versionAliases: ["v1-0-0"], artifactUri: "gs://llmops-test-models/support-llm/1.0.0" } });
    expect(upload?.body.parentModel).toBeUndefined();
  });

  it("uploads v2 under the same entry (parentModel)", async () => {
    v2 = (await modelVersionProvider.create(modelInputs(fake, "1.1.0"))).outs;
    expect(v2.name).toBe(`projects/llmops-test/locations/us-central1/models/${MODEL_ID}@2`);
    const uploads = fake.requests.filter((r) => r.call === "POST models:upload");
    expect(uploads[1].body).toMatchObject({ parentModel: `projects/llmops-test/locations/us-central1/models/${MODEL_ID}` });
    expect(uploads[1].body.modelId).toBeUndefined();
    expect(fake.registry.versions(MODEL_ID).map((v) => v.versionAliases)).toEqual([["default", "v1-0-0"], ["v1-1-0"]]);
  });

  it("deploys v1 with 100% of the traffic: deploy at 0% first, then the split once its replicas are available", async () => {
    const before = fake.requests.length;
    state = await apply(endpointInputs(fake, endpoint, [stable()], { [stable().deployedModelId]: 100 }));
    expect(fake.calls().slice(before).filter((c) => !c.includes("/operations/"))).toEqual([
      "GET endpoints/4242/operations", // nothing running on the endpoint
      "GET endpoints/4242",
      "POST endpoints/4242:deployModel",
      "GET endpoints/4242", // its replicas are available
      "PATCH endpoints/4242",
      "GET endpoints/4242",
    ]);
    expect(state.trafficSplit).toEqual({ [stable().deployedModelId]: 100 });
    expect(state.deployedModels).toEqual([stable()]);
    expect(state.endpointName).toBe(endpoint);
  });

  it("deploys v2 as a 10% canary beside v1", async () => {
    const split = { [stable().deployedModelId]: 90, [candidate().deployedModelId]: 10 };
    state = await apply(endpointInputs(fake, endpoint, [stable(), candidate()], split), state);
    expect(fake.endpoints.get("4242").trafficSplit).toEqual(split);
    expect(state.deployedModels.map((d) => d.model).sort()).toEqual([v1.name, v2.name].sort());
    const deploy = fake.requests.filter((r) => r.call.endsWith(":deployModel")).at(-1);
    expect(deploy?.body.trafficSplit ?? {}).toEqual({}); // the canary starts at 0%, the split comes after
  });

  it("moves the canary to 50% with a traffic-only update, its one replica being its share of the stable's", async () => {
    const split = { [stable().deployedModelId]: 50, [candidate().deployedModelId]: 50 };
    const inputs = endpointInputs(fake, endpoint, [stable(), candidate()], split);
    await expect(endpointDeploymentProvider.diff(state.endpointName, state, inputs)).resolves.toMatchObject({ changedKeys: ["trafficSplit"], replaces: [], liveDifferences: [expect.stringContaining("the split is")] });
    const before = fake.requests.length;
    state = await apply(inputs, state);
    expect(fake.calls().slice(before)).toEqual([
      "GET endpoints/4242/operations",
      "GET endpoints/4242",
      "GET endpoints/4242", // the canary has its replica available
      "PATCH endpoints/4242",
      "GET endpoints/4242",
    ]);
    expect(state.trafficSplit).toEqual(split);
  });

  it("moves the canary to 100% after giving it the replicas the stable serves 50% with, and lowers them after", async () => {
    const split = { [stable().deployedModelId]: 0, [candidate().deployedModelId]: 100 };
    const before = fake.requests.length;
    state = await apply(endpointInputs(fake, endpoint, [stable(), candidate()], split), state);
    expect(fake.calls().slice(before).filter((c) => !c.includes("/operations/"))).toEqual([
      "GET endpoints/4242/operations",
      "GET endpoints/4242",
      "POST endpoints/4242:mutateDeployedModel", // 1 replica carries 50%: 100% needs 2 (its maxReplicas)
      "GET endpoints/4242",
      "PATCH endpoints/4242",
      "POST endpoints/4242:mutateDeployedModel", // back to the declared 1-2
      "GET endpoints/4242",
    ]);
    const mutations = fake.requests.filter((r) => r.call.endsWith(":mutateDeployedModel")).slice(-2);
    expect(mutations.map((r) => (r.body.deployedModel as { dedicatedResources: { minReplicaCount: number } }).dedicatedResources.minReplicaCount)).toEqual([2, 1]);
    expect(state.trafficSplit).toEqual(split);
    expect(state.deployedModels.find((d) => d.deployedModelId === candidate().deployedModelId)).toMatchObject({ minReplicas: 1, maxReplicas: 2 });
  });

  it("rolls back: all traffic to v1, v2 stays deployed", async () => {
    const split = { [stable().deployedModelId]: 100, [candidate().deployedModelId]: 0 };
    state = await apply(endpointInputs(fake, endpoint, [stable(), candidate()], split), state);
    expect(fake.endpoints.get("4242").trafficSplit).toEqual({ [stable().deployedModelId]: 100 });
    expect(fake.endpoints.get("4242").deployedModels).toHaveLength(2);
    expect(state.trafficSplit).toEqual(split); // outputs list the deployed candidate at an explicit 0
  });

  it("undeploys the candidate, which has no traffic left", async () => {
    const before = fake.requests.length;
    state = await apply(endpointInputs(fake, endpoint, [stable()], { [stable().deployedModelId]: 100 }), state);
    expect(fake.calls().slice(before).filter((c) => !c.includes("/operations/"))).toEqual([
      "GET endpoints/4242/operations",
      "GET endpoints/4242", // the split already gives it 0%: no traffic update needed
      "POST endpoints/4242:undeployModel",
      "GET endpoints/4242",
    ]);
    expect(state.deployedModels).toEqual([stable()]);
    expect(state.trafficSplit).toEqual({ [stable().deployedModelId]: 100 });
  });

  it("deletes the retired v2 version, but refuses to delete the deployed v1", async () => {
    await modelVersionProvider.delete(v2.name, v2);
    expect(fake.registry.find(MODEL_ID, "2")).toBeUndefined();
    await expect(modelVersionProvider.delete(v1.name, v1)).rejects.toThrow(
      /refusing to delete version 1\.0\.0: it is still deployed to projects\/123456789012\/locations\/us-central1\/endpoints\/4242 \(deployed model \d{10}\)/,
    );
    expect(fake.registry.find(MODEL_ID, "1")).toBeDefined();
  });
});
