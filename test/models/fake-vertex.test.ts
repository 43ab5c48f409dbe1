import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeVertex } from "./fake-vertex";
import { JsonObject } from "./fake-vertex-json";

/**
 * The fake must enforce the Vertex AI rules the providers rely on, or the provider tests could
 * pass against behaviour the real API does not have. Plain HTTP here, independent of the client.
 */

let fake: FakeVertex;
const P = "v1/projects/llmops-test/locations/us-central1";

async function call(method: string, path: string, body?: JsonObject): Promise<{ status: number; json: JsonObject }> {
  const res = await fetch(`http://127.0.0.1:${fake.port}/${path}`, { method, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, json: (await res.json()) as JsonObject };
}

async function uploadAndDeploy(id: string, percent: number): Promise<void> {
  if (!fake.registry.models.has("m")) await call("POST", `${P}/models:upload`, { modelId: "m", model: { displayName: "m", containerSpec: { imageUri: "i@sha256:0" } } });
  const body = { deployedModel: { id, model: `projects/llmops-test/locations/us-central1/models/m@1`, dedicatedResources: { machineSpec: { machineType: "n1-standard-4" }, minReplicaCount: 1 } } };
  await call("POST", `${P}/endpoints/1:deployModel`, { ...body, trafficSplit: percent > 0 ? { "0": percent } : {} });
}

beforeEach(async () => {
  fake = await FakeVertex.start({ operationPolls: 0 });
  fake.createEndpoint("1");
});
afterEach(async () => fake.close());

describe("fake Vertex AI rules", () => {
  it("requires the model to exist before deploying it", async () => {
    const res = await call("POST", `${P}/endpoints/1:deployModel`, { deployedModel: { id: "5", model: "projects/p/locations/us-central1/models/nope@1" } });
    expect(res).toMatchObject({ status: 404, json: { error: { status: "NOT_FOUND", message: expect.stringContaining("upload it before deploying") } } });
  });

  it("refuses to undeploy a model with traffic unless the request moves it", async () => {
    await uploadAndDeploy("5", 100);
    await uploadAndDeploy("6", 0);
    expect((await call("POST", `${P}/endpoints/1:undeployModel`, { deployedModelId: "5" })).json).toMatchObject({ error: { status: "FAILED_PRECONDITION" } });
    expect((await call("POST", `${P}/endpoints/1:undeployModel`, { deployedModelId: "5", trafficSplit: { "6": 100 } })).status).toBe(200);
    expect(fake.endpoints.get("1").trafficSplit).toEqual({ "6": 100 });
  });

  it("undeploys the last model whatever its traffic, leaving the split empty (UndeployModelRequest.traffic_split)", async () => {
    await uploadAndDeploy("5", 100);
    expect((await call("POST", `${P}/endpoints/1:undeployModel`, { deployedModelId: "5" })).status).toBe(200);
    expect(fake.endpoints.get("1")).toMatchObject({ deployedModels: [], trafficSplit: {} });
  });

  it("with strictLastUndeploy, refuses the last model too while it has traffic", async () => {
    await fake.close();
    fake = await FakeVertex.start({ operationPolls: 0, strictLastUndeploy: true });
    fake.createEndpoint("1");
    await uploadAndDeploy("5", 100);
    expect((await call("POST", `${P}/endpoints/1:undeployModel`, { deployedModelId: "5" })).json).toMatchObject({ error: { status: "FAILED_PRECONDITION" } });
  });

  it("reports available replicas in each deployed model's status, leaving out a count of 0 as proto3 JSON does", async () => {
    await fake.close();
    fake = await FakeVertex.start({ operationPolls: 0, replicaLag: 2 });
    fake.createEndpoint("1");
    await uploadAndDeploy("5", 0);
    expect((await call("GET", `${P}/endpoints/1`)).json).toMatchObject({ deployedModels: [{ id: "5", status: {} }] });
    expect((await call("GET", `${P}/endpoints/1`)).json).toMatchObject({ deployedModels: [{ id: "5", status: { availableReplicaCount: 1 } }] });
  });

  it("accepts only splits that sum to 100 and name deployed models", async () => {
    await uploadAndDeploy("5", 100);
    const patch = (split: Record<string, number>) => call("PATCH", `${P}/endpoints/1?updateMask=traffic_split`, { trafficSplit: split });
    expect((await patch({ "5": 90 })).json).toMatchObject({ error: { status: "INVALID_ARGUMENT", message: expect.stringContaining("sum to 100") } });
    expect((await patch({ "5": 90, "7": 10 })).json).toMatchObject({ error: { message: expect.stringContaining("7, which is not deployed") } });
    expect((await patch({})).status).toBe(200);
  });

  it("refuses to delete a deployed version, or the default one", async () => {
    await uploadAndDeploy("5", 100);
    expect((await call("DELETE", `${P}/models/m@1:deleteVersion`)).json).toMatchObject({ error: { status: "FAILED_PRECONDITION", message: expect.stringContaining("is deployed to endpoints/1") } });
    await call("PATCH", `${P}/endpoints/1?updateMask=traffic_split`, { trafficSplit: {} });
    expect((await call("POST", `${P}/endpoints/1:undeployModel`, { deployedModelId: "5" })).status).toBe(200);
    expect((await call("DELETE", `${P}/models/m@1:deleteVersion`)).json).toMatchObject({ error: { message: expect.stringContaining("is the default version") } });
  });
});

describe("fake Vertex AI operations and faults", () => {
  it("completes operations after the configured polls, applying the effect only then", async () => {
    await fake.close();
    fake = await FakeVertex.start({ operationPolls: 2 });
    fake.createEndpoint("1");
    await call("POST", `${P}/models:upload`, { modelId: "m", model: { containerSpec: { imageUri: "i@sha256:0" } } });
    expect(fake.registry.models.has("m")).toBe(false);
    const op = (await call("GET", `ui/projects/123456789012/locations/us-central1/models/m/operations/1`)).json;
    expect(op).toEqual({ name: "projects/123456789012/locations/us-central1/models/m/operations/1", done: false });
    const done = (await call("GET", `ui/projects/123456789012/locations/us-central1/models/m/operations/1`)).json;
    expect(done).toMatchObject({ done: true, response: { "@type": "type.googleapis.com/google.cloud.aiplatform.v1.UploadModelResponse", modelVersionId: "1" } });
  });

  it("accepts two uploads creating one model id, and fails the operation that completes second with ALREADY_EXISTS", async () => {
    await fake.close();
    fake = await FakeVertex.start({ operationPolls: 1 });
    const upload = (alias: string) => call("POST", `${P}/models:upload`, { modelId: "m", model: { containerSpec: { imageUri: "i@sha256:0" }, versionAliases: [alias] } });
    expect((await upload("v1")).status).toBe(200);
    expect((await upload("v2")).status).toBe(200);
    const poll = async (n: number) => (await call("GET", `ui/projects/123456789012/locations/us-central1/models/m/operations/${n}`)).json;
    expect(await poll(1)).toMatchObject({ done: true, response: { modelVersionId: "1" } });
    expect(await poll(2)).toEqual({ name: "projects/123456789012/locations/us-central1/models/m/operations/2", done: true, error: { code: 6, message: "Model with id m already exists" } });
    // Once the entry exists, the request itself is refused.
    expect((await upload("v3")).json).toMatchObject({ error: { code: 409, status: "ALREADY_EXISTS" } });
    expect(fake.registry.versions("m").map((v) => v.versionAliases)).toEqual([["default", "v1"]]);
  });

  it("checks a new model id the way the API reference states it", async () => {
    for (const modelId of ["1model", "-model", "Model", "m".repeat(64)]) {
      const res = await call("POST", `${P}/models:upload`, { modelId, model: { containerSpec: { imageUri: "i@sha256:0" } } });
      expect(res.json, modelId).toMatchObject({ error: { status: "INVALID_ARGUMENT", message: expect.stringContaining("must be up to 63 of [a-z0-9_-]") } });
    }
    expect((await call("POST", `${P}/models:upload`, { modelId: `_${"m".repeat(62)}`, model: { containerSpec: { imageUri: "i@sha256:0" } } })).status).toBe(200);
  });

  it("resolves untilCalls once enough matching requests have arrived", async () => {
    let seen = false;
    const waiting = fake.untilCalls(/^GET endpoints\/1$/, 2).then(() => (seen = true));
    await call("GET", `${P}/endpoints/1`);
    await new Promise((r) => setTimeout(r, 5));
    expect(seen).toBe(false);
    await call("GET", `${P}/endpoints/1`);
    await waiting;
    expect(seen).toBe(true);
  });

  it("rejects a change while an operation runs on the endpoint", async () => {
    await uploadAndDeploy("5", 100);
    fake.hangOperations(/:deployModel/);
    await uploadAndDeploy("6", 0);
    expect((await call("PATCH", `${P}/endpoints/1?updateMask=traffic_split`, { trafficSplit: { "5": 100 } })).json).toMatchObject({ error: { status: "FAILED_PRECONDITION", message: expect.stringContaining("operation in progress") } });
  });

  it("lists an endpoint's operations, finished or not, and finishes them in the background", async () => {
    await fake.close();
    fake = await FakeVertex.start({ operationPolls: 5, operationTicks: 3 });
    fake.createEndpoint("1");
    fake.seedVersion("m", "v1");
    await call("POST", `${P}/endpoints/1:deployModel`, { deployedModel: { id: "5", model: `projects/llmops-test/locations/us-central1/models/m@1`, dedicatedResources: { machineSpec: { machineType: "n1-standard-4" }, minReplicaCount: 1 } } });
    const list = async () => ((await call("GET", `ui/projects/123456789012/locations/us-central1/endpoints/1/operations`)).json.operations as { done: boolean }[]).map((o) => o.done);
    expect(await list()).toEqual([false]);
    await call("GET", `${P}/endpoints/1`);
    expect(await list()).toEqual([true]); // three requests later, polled or not
  });

  it("loses an answer after acting, and kills the caller after its n-th mutating call", async () => {
    await uploadAndDeploy("5", 100);
    fake.loseNext(/^PATCH/);
    expect((await call("PATCH", `${P}/endpoints/1?updateMask=traffic_split`, { trafficSplit: {} })).status).toBe(503);
    expect(fake.endpoints.get("1").trafficSplit).toEqual({});
    fake.killAfter(1);
    await expect(call("PATCH", `${P}/endpoints/1?updateMask=traffic_split`, { trafficSplit: { "5": 100 } })).rejects.toThrow();
    expect(fake.endpoints.get("1").trafficSplit).toEqual({ "5": 100 }); // made, then the caller died
    await expect(call("GET", `${P}/endpoints/1`)).rejects.toThrow();
    fake.revive();
    expect((await call("GET", `${P}/endpoints/1`)).status).toBe(200);
  });

  it("injects errors for the next matching calls only, and logs every call", async () => {
    fake.failNext(/^GET endpoints\/1$/, 1, "UNAVAILABLE");
    expect(await call("GET", `${P}/endpoints/1`)).toMatchObject({ status: 503, json: { error: { code: 503, status: "UNAVAILABLE" } } });
    expect((await call("GET", `${P}/endpoints/1`)).status).toBe(200);
    expect(fake.calls()).toEqual(["GET endpoints/1", "GET endpoints/1"]);
  });
});
