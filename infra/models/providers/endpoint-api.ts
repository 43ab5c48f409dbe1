import type { protos } from "@google-cloud/aiplatform";
import { endpointServiceClient } from "./aiplatform";
import { ResolvedConnection, VertexConnection, sharedClient } from "./connection";

/**
 * The Vertex AI calls the EndpointDeployment provider makes on one endpoint, behind one small
 * interface. Planning, applying and diffing take an `EndpointApi` (or the read-only
 * `EndpointReader`), so the same code runs against the official client (`openEndpointApi`), a
 * light REST reader for `diff` (`openEndpointReader`), and the tests' in-process fake.
 *
 * Methods return the API's own shapes and make one call each: retries, waiting for operations
 * and checking what a failed call did are the caller's (endpoint-apply.ts).
 *
 * Like every helper here, this file is serialised into the Pulumi state with the provider: the
 * clients are required where they run, never captured.
 */

export type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
export type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;

/** A long-running operation, as far as the provider cares: its name, whether and how it ended. */
export interface OperationState {
  readonly name: string;
  readonly done: boolean;
  readonly error?: { readonly code?: number | null; readonly message?: string | null } | null;
}

/** Reads of one endpoint: all `diff` needs. */
export interface EndpointReader {
  /** `projects/P/locations/R/endpoints/E`, as the caller spelled it. */
  readonly endpointName: string;
  getEndpoint(): Promise<IEndpoint>;
  /**
   * The endpoint's long-running operations, finished or not
   * (`GET v1/{endpoint}/operations`, google.longrunning.Operations.ListOperations), at most
   * `MAX_LISTED_OPERATIONS`. No filter is sent: the API reference documents none for Vertex AI.
   */
  listOperations(): Promise<OperationState[]>;
  close(): Promise<void>;
}

/** Every call EndpointDeployment makes on one endpoint. */
export interface EndpointApi extends EndpointReader {
  getOperation(name: string): Promise<OperationState>;
  /** Without a traffic split: Vertex AI then leaves the endpoint's split as it is (the model starts at 0%). */
  deployModel(deployedModel: IDeployedModel): Promise<OperationState>;
  /** With `trafficSplit`, the split is overwritten in the same call (UndeployModelRequest.traffic_split). */
  undeployModel(deployedModelId: string, trafficSplit?: Readonly<Record<string, number>>): Promise<OperationState>;
  mutateDeployedModel(deployedModel: IDeployedModel, paths: readonly string[]): Promise<OperationState>;
  /** `updateEndpoint` with `update_mask: traffic_split`; not a long-running operation. */
  setTrafficSplit(split: Readonly<Record<string, number>>): Promise<void>;
}

/** Operations listed per endpoint; enough for any endpoint's unfinished ones plus a long history. */
export const MAX_LISTED_OPERATIONS = 500;

interface RawOperation {
  readonly name?: string | null;
  readonly done?: boolean | null;
  readonly error?: { readonly code?: number | null; readonly message?: string | null } | null;
}

export function operationState(op: RawOperation): OperationState {
  return { name: op.name ?? "", done: op.done === true, ...(op.error ? { error: { code: op.error.code, message: op.error.message } } : {}) };
}

/** The official client over REST (`fallback: true`), as every create, update, delete and read uses it. */
export function openEndpointApi(endpointName: string, connection: ResolvedConnection): EndpointApi {
  const Client = endpointServiceClient();
  const client = sharedClient("EndpointService", connection.clientOptions, () => new Client(connection.clientOptions));
  const endpoint = endpointName;
  return {
    endpointName,
    async getEndpoint() {
      const [e] = await client.getEndpoint({ name: endpoint });
      return e;
    },
    async listOperations() {
      const found: OperationState[] = [];
      // Pages are fetched as the loop asks; gax warns (AutopaginateTrueWarning, in pulumi up's
      // output) unless the call says so itself.
      for await (const op of client.listOperationsAsync({ name: endpoint } as Parameters<typeof client.listOperationsAsync>[0], { autoPaginate: false })) {
        found.push(operationState(op));
        if (found.length >= MAX_LISTED_OPERATIONS) break;
      }
      return found;
    },
    async getOperation(name) {
      const [op] = await client.getOperation({ name } as Parameters<typeof client.getOperation>[0]);
      return operationState(op);
    },
    async deployModel(deployedModel) {
      const [op] = await client.deployModel({ endpoint, deployedModel });
      return operationState(op);
    },
    async undeployModel(deployedModelId, trafficSplit) {
      const [op] = await client.undeployModel({ endpoint, deployedModelId, ...(trafficSplit ? { trafficSplit: { ...trafficSplit } } : {}) });
      return operationState(op);
    },
    async mutateDeployedModel(deployedModel, paths) {
      const [op] = await client.mutateDeployedModel({ endpoint, deployedModel, updateMask: { paths: [...paths] } });
      return operationState(op);
    },
    async setTrafficSplit(split) {
      await client.updateEndpoint({ endpoint: { name: endpoint, trafficSplit: { ...split } }, updateMask: { paths: ["traffic_split"] } });
    },
    // The client is shared by the process's operations (sharedClient): nothing to close per use.
    async close() {},
  };
}

interface JsonRequester {
  request<T>(opts: { url: string; params?: Record<string, string | number>; timeout?: number; retry?: boolean }): Promise<{ data: T }>;
}

/**
 * Two plain REST reads (`GET v1/{endpoint}` and `GET v1/{endpoint}/operations`) through
 * google-auth-library, for `diff`. Building the official client costs about a second of CPU (it
 * compiles the API's protobuf descriptors), once per resource and per preview; these reads need
 * only an access token. Answers are the API's JSON (enum names as strings), which `toLive` reads
 * as it reads the client's objects.
 */
export function openEndpointReader(endpointName: string, region: string, conn: VertexConnection, timeoutMs: number): EndpointReader {
  const base = `${conn.protocol ?? "https"}://${conn.apiEndpoint ?? `${region}-aiplatform.googleapis.com`}/v1/`;
  const auth = require("google-auth-library") as typeof import("google-auth-library");
  let requester: JsonRequester;
  if (conn.credentials === "anonymous") {
    const client = new auth.OAuth2Client();
    client.setCredentials({ access_token: "anonymous" });
    requester = client as unknown as JsonRequester;
  } else {
    requester = new auth.GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }) as unknown as JsonRequester;
  }
  const get = async <T>(path: string, params?: Record<string, string | number>): Promise<T> =>
    (await requester.request<T>({ url: `${base}${path}`, params, timeout: timeoutMs, retry: false })).data;
  return {
    endpointName,
    getEndpoint: () => get<IEndpoint>(endpointName),
    async listOperations() {
      const found: OperationState[] = [];
      let pageToken: string | undefined;
      do {
        const page = await get<{ operations?: RawOperation[]; nextPageToken?: string }>(`${endpointName}/operations`, pageToken ? { pageToken } : undefined);
        found.push(...(page.operations ?? []).map(operationState));
        pageToken = page.nextPageToken || undefined;
      } while (pageToken && found.length < MAX_LISTED_OPERATIONS);
      return found.slice(0, MAX_LISTED_OPERATIONS);
    },
    async close() {},
  };
}
