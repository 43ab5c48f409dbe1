import { EndpointApi, OperationState, operationState } from "../../infra/models/providers/endpoint-api";
import { EndpointRun } from "../../infra/models/providers/endpoint-apply";
import { resolveRetry } from "../../infra/common/providers/retry";
import { FakeVertex } from "./fake-vertex";
import { JsonObject } from "./fake-vertex-json";

/**
 * The EndpointDeployment provider's `EndpointApi` on a FakeVertex, in process: the same requests
 * the REST transport sends (paths, bodies, update masks), handed to `FakeVertex.dispatch` without
 * a socket or the official client. Building the client compiles the whole Vertex AI protobuf
 * descriptor set (about a second of CPU), which would make hundreds of simulated runs take
 * minutes; the HTTP tests cover the client itself.
 *
 * Errors are thrown the way gaxios throws them (an HTTP `code` and the JSON body as `message`),
 * so `describeError` classifies them as it classifies the real ones; a killed caller sees
 * ECONNRESET.
 */
export function inProcessApi(fake: FakeVertex, endpointName: string): EndpointApi {
  const call = async (method: string, path: string, body: JsonObject = {}, query: Record<string, string> = {}): Promise<JsonObject> => {
    await Promise.resolve(); // a request is asynchronous: other work may run in between
    const answer = fake.dispatch(method, `/v1/${path}`, query, JSON.parse(JSON.stringify(body)) as JsonObject);
    if (answer.reset) throw Object.assign(new Error("socket hang up: the calling process was killed"), { code: "ECONNRESET" });
    if (answer.status >= 400) throw Object.assign(new Error(JSON.stringify(answer.payload)), { code: answer.status });
    return answer.payload;
  };
  const op = (json: JsonObject): OperationState => operationState(json as { name?: string; done?: boolean });
  return {
    endpointName,
    getEndpoint: async () => call("GET", endpointName),
    async listOperations() {
      const page = await call("GET", `${endpointName}/operations`);
      return ((page.operations as JsonObject[] | undefined) ?? []).map(op);
    },
    getOperation: async (name) => op(await call("GET", name)),
    deployModel: async (deployedModel) => op(await call("POST", `${endpointName}:deployModel`, { endpoint: endpointName, deployedModel })),
    undeployModel: async (deployedModelId, trafficSplit) =>
      op(await call("POST", `${endpointName}:undeployModel`, { endpoint: endpointName, deployedModelId, ...(trafficSplit ? { trafficSplit } : {}) })),
    mutateDeployedModel: async (deployedModel, paths) =>
      op(await call("POST", `${endpointName}:mutateDeployedModel`, { endpoint: endpointName, deployedModel, updateMask: paths.join(",") })),
    async setTrafficSplit(split) {
      await call("PATCH", endpointName, { name: endpointName, trafficSplit: split }, { updateMask: "traffic_split" });
    },
    async close() {},
  };
}

/** An `EndpointRun` on the in-process API with millisecond bounds. */
export function inProcessRun(fake: FakeVertex, endpointName: string, bounds: { operationTimeoutMs?: number; runTimeoutMs?: number; pollIntervalMs?: number } = {}): EndpointRun {
  return {
    api: inProcessApi(fake, endpointName),
    retry: resolveRetry({ maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0 }),
    operation: { timeoutMs: bounds.operationTimeoutMs ?? 1_000, pollIntervalMs: bounds.pollIntervalMs ?? 0 },
    deadline: Date.now() + (bounds.runTimeoutMs ?? 5_000),
  };
}
