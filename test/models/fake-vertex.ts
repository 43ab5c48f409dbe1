import * as http from "node:http";
import { AddressInfo } from "node:net";
import type { VertexConnection } from "../../infra/models/providers/connection";
import { FakeEndpoint, FakeEndpoints } from "./fake-vertex-endpoints";
import { FakeError, FakeStatus, GRPC_CODE, HTTP_STATUS, JsonObject, acceleratorNumber, list } from "./fake-vertex-json";
import { FakeModelVersion, FakeRegistry } from "./fake-vertex-registry";

/**
 * A local fake of the Vertex AI REST surface the providers use, speaking what google-gax's REST
 * transport sends: `/v1/<resource>[:verb]?$alt=json;enum-encoding=int`, camelCase JSON bodies,
 * update masks in the query (PATCH) or the body (mutateDeployedModel), and long-running operations
 * polled (and listed per endpoint) at `/ui/<name>`. Names come back with the project *number*, as
 * Vertex does. The endpoint rules, with what is documented and what is assumed, are in
 * fake-vertex-endpoints.ts.
 *
 * Everything goes through `dispatch`, which the HTTP server (`start`) and the in-process API of
 * fake-vertex-api.ts (`create`, no socket) share, so both see the same rules and faults:
 *  - `failNext`: the next K matching calls fail with an error (429, 503, a 400 with a message);
 *  - `loseNext`: the next K matching calls do their work, but the answer is lost (the caller
 *    sees 503 UNAVAILABLE, as after a dropped connection), so a retry meets what the first did;
 *  - `killAfter(n)`: the calling process dies right after its n-th next mutating call: that
 *    call is made, and every request after it fails with a reset connection until `revive`;
 *  - `hangOperations` makes operations never finish (until released), `failOperations` makes
 *    them finish with an error;
 *  - operations also run in the background: with `operationTicks`, one finishes after that many
 *    requests to the fake, whoever polls it (a run that was killed leaves it running);
 *  - `hand`: a person's edits (split, undeploy, available replicas), applied at once.
 * Every request is logged as "METHOD path" with the project and location prefix removed (e.g.
 * "POST endpoints/42:undeployModel"); `endpoints.history` holds every state an endpoint went
 * through; `untilCalls` waits for requests, so a test can hold operations until concurrent
 * callers have all started.
 */

export interface FakeVertexOptions {
  /** Polls after which an operation completes; 0 completes it in the initial response. @default 1 */
  readonly operationPolls?: number;
  /** Requests to the fake (any) after which an operation completes unpolled. @default never */
  readonly operationTicks?: number;
  /** Requests after a deploy or a raised minimum before the new replicas are available. @default 0 */
  readonly replicaLag?: number;
  /** The last deployed model must have no traffic to be undeployed (see fake-vertex-endpoints.ts). @default false */
  readonly strictLastUndeploy?: boolean;
  /** @default "123456789012" */
  readonly projectNumber?: string;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: JsonObject;
  /** "METHOD path-without-project-and-location". */
  readonly call: string;
}

/** What `dispatch` answers: a status and JSON, or a reset connection (the caller was killed). */
export type FakeAnswer = { readonly reset: true } | { readonly reset?: false; readonly status: number; readonly payload: JsonObject };

interface Fault {
  readonly match: RegExp;
  /** Matching calls to let through first. */
  skip: number;
  remaining: number;
  readonly status: FakeStatus;
  readonly message: string;
}

interface FakeOperation {
  readonly name: string;
  pollsLeft: number;
  ticksLeft: number;
  hang: boolean;
  readonly failure?: Fault;
  readonly responseType: string;
  readonly effect: () => JsonObject;
  readonly endpoint?: FakeEndpoint;
  result?: { response: JsonObject } | { error: { code: number; message: string } };
}

const MODEL_PATH = /^projects\/[^/]+\/locations\/([^/]+)\/models\/([^/@:]+)(?:@([^/:]+))?(?::(\w+))?$/;
const ENDPOINT_PATH = /^projects\/[^/]+\/locations\/([^/]+)\/endpoints\/([^/:]+)(?::(\w+))?$/;
const ENDPOINT_OPERATIONS = /^projects\/[^/]+\/locations\/([^/]+)\/endpoints\/([^/:]+)\/operations$/;
const UPLOAD_PATH = /^projects\/[^/]+\/locations\/([^/]+)\/models:upload$/;

export class FakeVertex {
  readonly requests: LoggedRequest[] = [];
  readonly registry: FakeRegistry;
  readonly endpoints: FakeEndpoints;
  private readonly faults: Fault[] = [];
  private readonly lost: Fault[] = [];
  private readonly opFaults: Fault[] = [];
  private readonly hangs: RegExp[] = [];
  private readonly operations = new Map<string, FakeOperation>();
  private readonly waiters: { readonly match: RegExp; readonly count: number; readonly resolve: () => void }[] = [];
  private operationCount = 0;
  private killCountdown: number | undefined;
  /** The calling process has died: every request fails with a reset connection until `revive`. */
  killed = false;

  private constructor(
    private readonly server: http.Server | undefined,
    private readonly options: Required<FakeVertexOptions>,
  ) {
    this.registry = new FakeRegistry((modelId, versionId) => this.endpoints.refs(modelId, versionId));
    this.endpoints = new FakeEndpoints(this.registry, { replicaLag: options.replicaLag, strictLastUndeploy: options.strictLastUndeploy });
    if (server) FakeVertex.owners.set(server, this);
  }

  private static resolve(options: FakeVertexOptions): Required<FakeVertexOptions> {
    return {
      operationPolls: options.operationPolls ?? 1,
      operationTicks: options.operationTicks ?? Number.POSITIVE_INFINITY,
      replicaLag: options.replicaLag ?? 0,
      strictLastUndeploy: options.strictLastUndeploy ?? false,
      projectNumber: options.projectNumber ?? "123456789012",
    };
  }

  /** The fake each pooled server answers for; none between a close and the next start. */
  private static readonly owners = new WeakMap<http.Server, FakeVertex>();

  /**
   * Servers of closed fakes, for the next `start` in this process: the providers share one
   * official client per host and port (`sharedClient`), and building one compiles the API's
   * protobuf descriptors (~0.3 s of CPU), which a new port for every test paid again.
   */
  private static readonly idle: http.Server[] = [];

  /** A fake served over HTTP on a local port, for the official clients. */
  static async start(options: FakeVertexOptions = {}): Promise<FakeVertex> {
    let server = FakeVertex.idle.pop();
    if (!server) {
      // The client keeps idle connections; with the default 5 s keep-alive timeout, a request sent
      // on one just as the server closes it fails with ECONNRESET (on a loaded machine, often).
      // Connections stay open as long as the server.
      server = http.createServer({ keepAliveTimeout: 0 });
      const self = server;
      // A request no fake owns (sent after its test closed the fake) is reset, as by a closed port.
      // One that arrives after the next start reaches the next fake: the fakes cannot tell them apart.
      server.on("request", (req, res) => {
        const owner = FakeVertex.owners.get(self);
        if (owner) void owner.handle(req, res);
        else res.destroy();
      });
      await new Promise<void>((resolve) => self.listen(0, "127.0.0.1", resolve));
      // Kept for the next fake, but not keeping the process alive.
      server.unref();
    }
    return new FakeVertex(server, FakeVertex.resolve(options));
  }

  /** A fake without a socket, for the in-process API (fake-vertex-api.ts). */
  static create(options: FakeVertexOptions = {}): FakeVertex {
    return new FakeVertex(undefined, FakeVertex.resolve(options));
  }

  get port(): number {
    if (!this.server) throw new Error("this fake has no HTTP server; use FakeVertex.start");
    return (this.server.address() as AddressInfo).port;
  }

  /** A connection to this fake with tight bounds, so retries and timeouts take milliseconds. */
  connection(overrides: Partial<VertexConnection> = {}): VertexConnection {
    return {
      apiEndpoint: this.server ? `127.0.0.1:${this.port}` : "in-process.fake",
      protocol: "http",
      credentials: "anonymous",
      retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 4 },
      operationTimeoutMs: 2_000,
      pollIntervalMs: 2,
      ...overrides,
    };
  }

  /** An endpoint "created elsewhere" (by gcp.vertex.AiEndpoint in a real stack). */
  createEndpoint(id: string, project = "llmops-test", region = "us-central1"): string {
    this.endpoints.create(id);
    return `projects/${project}/locations/${region}/endpoints/${id}`;
  }

  /**
   * A model version "uploaded earlier", without going through the API, aliased `alias`
   * (e.g. the semver alias `v1-0-0`). Returns its name with the version id.
   */
  seedVersion(modelId: string, alias: string, project = "llmops-test", region = "us-central1"): string {
    const parent = this.registry.models.has(modelId) ? { parentModel: `projects/${project}/locations/${region}/models/${modelId}` } : { modelId };
    const { versionId } = this.registry.prepareUpload({ ...parent, model: { displayName: modelId, containerSpec: { imageUri: `${modelId}@sha256:${"0".repeat(64)}` }, versionAliases: [alias] } })();
    return `projects/${project}/locations/${region}/models/${modelId}@${versionId}`;
  }

  /** The next `count` calls matching `match` (after letting `after` through) fail with `status`. */
  failNext(match: RegExp, count: number, status: FakeStatus, message = `injected ${status}`, after = 0): void {
    this.faults.push({ match, skip: after, remaining: count, status, message });
  }

  /** The next `count` calls matching `match` (after `after`) take effect, but their callers see 503 UNAVAILABLE. */
  loseNext(match: RegExp, count = 1, after = 0): void {
    this.lost.push({ match, skip: after, remaining: count, status: "UNAVAILABLE", message: "the connection was closed before the answer arrived" });
  }

  /** The caller dies right after its `n`-th next mutating call (POST, PATCH, DELETE), which is made. */
  killAfter(n: number): void {
    this.killCountdown = n;
  }

  /** A new process: requests are answered again. Operations started before the kill kept running. */
  revive(): void {
    this.killed = false;
  }

  /** No more injected faults: pending ones are dropped, and no operation hangs from now on (running ones still do). */
  clearFaults(): void {
    for (const list of [this.faults, this.lost, this.opFaults]) list.length = 0;
    this.hangs.length = 0;
    this.killCountdown = undefined;
  }

  failOperations(match: RegExp, status: FakeStatus, message: string, count = 1): void {
    this.opFaults.push({ match, skip: 0, remaining: count, status, message });
  }

  hangOperations(match: RegExp): void {
    this.hangs.push(match);
  }

  /** Lets hung operations finish, as they eventually would in Vertex AI. */
  releaseHungOperations(): void {
    this.hangs.length = 0;
    for (const op of this.operations.values()) if (op.hang && !op.result) this.complete(op);
  }

  /** Time passes: every running operation that is not hung finishes, and replicas being provisioned arrive. */
  settle(): void {
    for (const op of this.operations.values()) if (!op.hang && !op.result) this.complete(op);
    for (let i = 0; i < this.options.replicaLag; i++) this.endpoints.tick();
  }

  /** Names of operations not finished. */
  running(): string[] {
    return [...this.operations.values()].filter((op) => !op.result).map((op) => op.name);
  }

  /**
   * A person's edits in the console or with gcloud, applied at once and recorded in the history.
   * Like any other change they are refused while an operation runs on the endpoint (then they
   * return false and change nothing).
   */
  readonly hand = {
    split: (endpointId: string, split: Record<string, number>): boolean => {
      const endpoint = this.endpoints.get(endpointId);
      if (endpoint.busy) return false;
      endpoint.trafficSplit = { ...split };
      this.endpoints.record(endpoint, "hand: split");
      return true;
    },
    undeploy: (endpointId: string, id: string): boolean => {
      const endpoint = this.endpoints.get(endpointId);
      if (endpoint.busy) return false;
      endpoint.deployedModels = endpoint.deployedModels.filter((d) => d.id !== id);
      delete endpoint.trafficSplit[id];
      if (endpoint.deployedModels.length === 0) endpoint.trafficSplit = {};
      this.endpoints.record(endpoint, `hand: undeploy ${id}`);
      return true;
    },
    available: (endpointId: string, id: string, replicas: number): void => {
      const endpoint = this.endpoints.get(endpointId);
      const d = endpoint.deployedModels.find((m) => m.id === id);
      if (!d) throw new Error(`no deployed model ${id} on endpoint ${endpointId}`);
      d.available = replicas;
      // Vertex AI replaces replicas below the minimum (assumed: a crashed replica is restarted).
      d.provisioning = replicas < d.minReplicaCount ? { target: d.minReplicaCount, ticks: Math.max(1, this.options.replicaLag) } : undefined;
      this.endpoints.record(endpoint, `hand: ${id} has ${replicas} replicas`);
    },
  };

  /** Resolves once `count` logged calls match `match` (counting those already logged). */
  untilCalls(match: RegExp, count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ match, count, resolve });
      this.wakeWaiters();
    });
  }

  private wakeWaiters(): void {
    for (const w of [...this.waiters]) {
      if (this.calls(w.match).length < w.count) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  /** The logged calls, optionally only those matching `filter`. */
  calls(filter?: RegExp): string[] {
    return this.requests.map((r) => r.call).filter((c) => !filter || filter.test(c));
  }

  /**
   * Answers nothing more; the port goes to the next fake started (`idle`), with its open
   * connections: the client sends its next requests on them (ending them server-side made the
   * next request fail with ECONNRESET).
   */
  async close(): Promise<void> {
    if (!this.server || FakeVertex.owners.get(this.server) !== this) return;
    FakeVertex.owners.delete(this.server);
    FakeVertex.idle.push(this.server);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const answer = this.dispatch(req.method ?? "GET", url.pathname, Object.fromEntries(url.searchParams), text ? (JSON.parse(text) as JsonObject) : {});
    if (answer.reset) {
      res.destroy();
      return;
    }
    res.writeHead(answer.status, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.payload));
  }

  /**
   * One request: `pathname` as sent (`/v1/…` or `/ui/…`), the query, the JSON body. Time passes
   * by one request first (background operations, replicas), then faults apply, then the rules.
   */
  dispatch(method: string, pathname: string, query: Readonly<Record<string, string>>, body: JsonObject): FakeAnswer {
    const path = decodeURIComponent(pathname.replace(/^\/?(v1|ui)\//, ""));
    const call = `${method} ${path.replace(/^projects\/[^/]+\/locations\/[^/]+\//, "")}`;
    if (this.killed) return { reset: true };
    this.requests.push({ method, path, query, body, call });
    this.wakeWaiters();
    this.tick();
    const params = new URLSearchParams(query as Record<string, string>);
    const intEnums = (params.get("$alt") ?? "").includes("enum-encoding=int");
    const mutating = method !== "GET";
    let status = 200;
    let payload: JsonObject;
    try {
      const fault = take(this.faults, call);
      if (fault) throw new FakeError(fault.status, fault.message);
      payload = this.route(method, path, body, params, call, intEnums);
      const lost = take(this.lost, call);
      if (lost) throw new FakeError(lost.status, lost.message);
    } catch (err) {
      const e = err instanceof FakeError ? err : new FakeError("INTERNAL", String(err));
      status = HTTP_STATUS[e.status];
      payload = { error: { code: status, message: e.message, status: e.status } };
    }
    if (mutating && this.killCountdown !== undefined && --this.killCountdown <= 0) {
      this.killed = true;
      this.killCountdown = undefined;
      return { reset: true };
    }
    return { status, payload };
  }

  /** One request's worth of time: background operations and replica provisioning move on. */
  private tick(): void {
    for (const op of this.operations.values()) {
      if (op.result || op.hang) continue;
      if (--op.ticksLeft <= 0) this.complete(op);
    }
    this.endpoints.tick();
  }

  private route(method: string, path: string, body: JsonObject, query: URLSearchParams, call: string, intEnums: boolean): JsonObject {
    let m: RegExpExecArray | null;
    if ((m = UPLOAD_PATH.exec(path)) && method === "POST") {
      const location = m[1];
      const upload = this.registry.prepareUpload(body);
      const parent = `projects/${this.options.projectNumber}/locations/${location}`;
      const target = String(body.modelId ?? String(body.parentModel ?? "").split("/models/")[1]);
      return this.startOperation(call, `${parent}/models/${target}`, "UploadModelResponse", () => {
        const { modelId, versionId } = upload();
        return { model: `${parent}/models/${modelId}`, modelVersionId: versionId };
      });
    }
    if ((m = MODEL_PATH.exec(path))) {
      const [, location, modelId, ref, verb] = m;
      const render = (v: FakeModelVersion) => this.modelJson(location, modelId, v);
      if (method === "GET" && !verb) return render(this.registry.get(modelId, ref));
      if (method === "GET" && verb === "listVersions") return { models: this.registry.versions(modelId).map(render) };
      if (method === "PATCH" && !verb) return render(this.registry.update(modelId, ref, body, query.get("updateMask")));
      if (method === "POST" && verb === "mergeVersionAliases") return render(this.registry.mergeAliases(modelId, ref, list(body, "versionAliases").map(String)));
      const opParent = `projects/${this.options.projectNumber}/locations/${location}/models/${modelId}`;
      if (method === "DELETE" && verb === "deleteVersion") return this.startOperation(call, opParent, "google.protobuf.Empty", wrap(this.registry.prepareDeleteVersion(modelId, ref)));
      if (method === "DELETE" && !verb && !ref) return this.startOperation(call, opParent, "google.protobuf.Empty", wrap(this.registry.prepareDeleteModel(modelId)));
    }
    if ((m = ENDPOINT_PATH.exec(path))) {
      const [, location, endpointId, verb] = m;
      const opParent = `projects/${this.options.projectNumber}/locations/${location}/endpoints/${endpointId}`;
      if (method === "GET" && !verb) return this.endpointJson(location, this.endpoints.get(endpointId), intEnums);
      if (method === "PATCH" && !verb) return this.endpointJson(location, this.endpoints.update(endpointId, body, query.get("updateMask")), intEnums);
      const endpoint = this.endpoints.endpoints.get(endpointId);
      if (method === "POST" && verb === "deployModel") return this.startOperation(call, opParent, "DeployModelResponse", this.endpoints.prepareDeploy(endpointId, body), endpoint);
      if (method === "POST" && verb === "undeployModel") return this.startOperation(call, opParent, "UndeployModelResponse", this.endpoints.prepareUndeploy(endpointId, body), endpoint);
      if (method === "POST" && verb === "mutateDeployedModel") {
        return this.startOperation(call, opParent, "MutateDeployedModelResponse", this.endpoints.prepareMutate(endpointId, body), endpoint);
      }
    }
    if ((m = ENDPOINT_OPERATIONS.exec(path)) && method === "GET") {
      // ListOperations on the endpoint: every operation started on it, finished or not (one page).
      const prefix = `/locations/${m[1]}/endpoints/${m[2]}/operations/`;
      return { operations: [...this.operations.values()].filter((op) => op.name.includes(prefix)).map((op) => this.operationJson(op)) };
    }
    if (method === "GET" && /\/operations\/[^/]+$/.test(path)) return this.poll(path);
    throw new FakeError("NOT_FOUND", `the fake has no route for ${method} ${path}`);
  }

  private startOperation(call: string, parent: string, responseType: string, effect: () => JsonObject, endpoint?: FakeEndpoint): JsonObject {
    const op: FakeOperation = {
      name: `${parent}/operations/${++this.operationCount}`,
      pollsLeft: this.options.operationPolls,
      ticksLeft: this.options.operationTicks,
      hang: this.hangs.some((h) => h.test(call)),
      failure: take(this.opFaults, call),
      responseType: responseType.includes(".") ? responseType : `google.cloud.aiplatform.v1.${responseType}`,
      effect,
      endpoint,
    };
    this.operations.set(op.name, op);
    if (op.pollsLeft <= 0 && !op.hang) this.complete(op);
    return this.operationJson(op);
  }

  private complete(op: FakeOperation): void {
    try {
      if (op.failure) throw new FakeError(op.failure.status, op.failure.message);
      op.result = { response: { "@type": `type.googleapis.com/${op.responseType}`, ...op.effect() } };
    } catch (err) {
      const e = err instanceof FakeError ? err : new FakeError("INTERNAL", String(err));
      op.result = { error: { code: GRPC_CODE[e.status], message: e.message } };
    }
    if (op.endpoint) op.endpoint.busy = false;
  }

  private poll(name: string): JsonObject {
    const op = this.operations.get(name);
    if (!op) throw new FakeError("NOT_FOUND", `operation ${name} not found`);
    if (!op.result && !op.hang && --op.pollsLeft <= 0) this.complete(op);
    return this.operationJson(op);
  }

  private operationJson(op: FakeOperation): JsonObject {
    return op.result ? { name: op.name, done: true, ...op.result } : { name: op.name, done: false };
  }

  private modelJson(location: string, modelId: string, v: FakeModelVersion): JsonObject {
    const prefix = `projects/${this.options.projectNumber}/locations/${location}`;
    return {
      name: `${prefix}/models/${modelId}`,
      versionId: v.versionId,
      versionAliases: v.versionAliases,
      displayName: v.displayName,
      artifactUri: v.artifactUri,
      containerSpec: v.containerSpec,
      labels: v.labels,
      versionDescription: v.versionDescription,
      ...(v.metadata !== undefined ? { metadata: v.metadata } : {}),
      deployedModels: this.endpoints.refs(modelId, v.versionId).map((r) => ({ endpoint: `${prefix}/endpoints/${r.endpointId}`, deployedModelId: r.deployedModelId })),
    };
  }

  private endpointJson(location: string, e: FakeEndpoint, intEnums: boolean): JsonObject {
    const prefix = `projects/${this.options.projectNumber}/locations/${location}`;
    return {
      name: `${prefix}/endpoints/${e.id}`,
      displayName: `endpoint-${e.id}`,
      deployedModels: e.deployedModels.map((d) => ({
        id: d.id,
        model: `${prefix}/models/${d.modelId}`,
        modelVersionId: d.versionId,
        displayName: d.displayName,
        ...(d.serviceAccount ? { serviceAccount: d.serviceAccount } : {}),
        // proto3 JSON leaves out a count of 0.
        status: { ...(d.available > 0 ? { availableReplicaCount: d.available } : {}) },
        dedicatedResources: {
          machineSpec: {
            machineType: d.machineType,
            ...(d.acceleratorType ? { acceleratorType: intEnums ? acceleratorNumber(d.acceleratorType) : d.acceleratorType, acceleratorCount: d.acceleratorCount } : {}),
          },
          minReplicaCount: d.minReplicaCount,
          maxReplicaCount: d.maxReplicaCount,
          autoscalingMetricSpecs: d.autoscalingMetricSpecs,
        },
      })),
      trafficSplit: e.trafficSplit,
    };
  }
}

function take(faults: Fault[], call: string): Fault | undefined {
  const fault = faults.find((f) => f.remaining > 0 && f.match.test(call));
  if (!fault) return undefined;
  if (fault.skip > 0) {
    fault.skip--;
    return undefined;
  }
  fault.remaining--;
  return fault;
}

function wrap(effect: () => void): () => JsonObject {
  return () => {
    effect();
    return {};
  };
}

