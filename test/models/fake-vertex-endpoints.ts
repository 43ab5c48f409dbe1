import { FakeError, JsonObject, acceleratorName, list, maskPaths, num, obj, parseSplit, splitSum, str } from "./fake-vertex-json";
import { FakeRegistry } from "./fake-vertex-registry";

/**
 * The endpoint half of the fake, with the Vertex AI rules the providers must respect.
 *
 * From google/cloud/aiplatform/v1/endpoint.proto and endpoint_service.proto (as shipped in
 * @google-cloud/aiplatform 6.9.0, build/protos/google/cloud/aiplatform/v1/), checked 2026-12-02:
 *  - Endpoint.traffic_split: "The traffic percentage values must add up to 100, or map must be
 *    empty if the Endpoint is to not accept any traffic at a moment"; a deployed model not listed
 *    gets no traffic. Endpoint.deployed_models is output only, changed by DeployModel and
 *    UndeployModel.
 *  - DeployModelRequest.traffic_split: empty leaves the endpoint's split as it is; non-empty
 *    overwrites it, "0" naming the model being deployed. The model must exist.
 *  - UndeployModelRequest.traffic_split: when given, overwrites the split; "A DeployedModel will
 *    be successfully undeployed only if it doesn't have any traffic assigned to it when this
 *    method executes, or if this field unassigns any traffic to it"; "If last DeployedModel is
 *    being undeployed from the Endpoint, the [Endpoint.traffic_split] will always end up empty".
 *  - MutateDeployedModelRequest: only min/max replica counts, autoscaling metric specs (and
 *    logging flags) can change, named in update_mask.
 *  - DeployedModel.id: 1-10 digits, immutable. DeployedModel.status.available_replica_count:
 *    "The number of available replicas of the deployed model" (output only; proto3 JSON omits 0).
 *
 * Assumed, not documented (the providers must work whichever way Vertex AI really behaves, and
 * the tests cover the alternatives where they matter):
 *  - the last deployed model can be undeployed while it has traffic (our reading of the sentence
 *    above); `strictLastUndeploy` models the other reading, in which it needs 0% like any other;
 *  - a second change while an operation runs on the endpoint is refused with FAILED_PRECONDITION
 *    (the provider does not depend on the status: it checks the endpoint after any failure);
 *  - a deploy under an id that exists is ALREADY_EXISTS, an undeploy or mutation of an id that
 *    does not is NOT_FOUND;
 *  - a deployed model appears in `deployed_models` only when its DeployModel operation finishes;
 *  - after a deploy, or a mutation that raises the minimum, replicas become available
 *    `replicaLag` requests later (time passing); a finished operation does not mean they serve.
 */

export interface FakeDeployedModel {
  readonly id: string;
  readonly modelId: string;
  readonly versionId: string;
  readonly displayName: string;
  readonly machineType: string;
  readonly acceleratorType?: string;
  readonly acceleratorCount?: number;
  minReplicaCount: number;
  maxReplicaCount: number;
  autoscalingMetricSpecs: { metricName: string; target: number }[];
  readonly serviceAccount?: string;
  /** Replicas serving now (DeployedModel.status.available_replica_count). */
  available: number;
  /** Replicas that will be available once `ticks` more requests have reached the fake. */
  provisioning?: { target: number; ticks: number };
}

export interface FakeEndpoint {
  readonly id: string;
  deployedModels: FakeDeployedModel[];
  trafficSplit: Record<string, number>;
  /** An operation is running on the endpoint; Vertex AI rejects concurrent changes (assumed). */
  busy: boolean;
}

/** One state of an endpoint, recorded after every change: what the fault tests check safety on. */
export interface EndpointSnapshot {
  /** What changed it: "deploy 123", "undeploy 123", "mutate 123", "traffic", "replicas", "hand: …". */
  readonly cause: string;
  readonly endpointId: string;
  readonly deployedModels: readonly { readonly id: string; readonly min: number; readonly max: number; readonly available: number }[];
  readonly trafficSplit: Readonly<Record<string, number>>;
  /**
   * For the change of a long-running operation: the number of states recorded when the request
   * was accepted (the operation's effect is recorded when it finishes, maybe after other changes).
   */
  readonly acceptedAt?: number;
}

export interface FakeEndpointOptions {
  /** Requests after which newly needed replicas are available. @default 0 */
  readonly replicaLag: number;
  /** The last deployed model, too, must have no traffic to be undeployed. @default false */
  readonly strictLastUndeploy: boolean;
}

function checkSplitNames(split: Record<string, number>, ids: readonly string[], where: string): void {
  for (const id of Object.keys(split)) {
    if (!ids.includes(id)) throw new FakeError("INVALID_ARGUMENT", `${where}: traffic split names ${id}, which is not deployed on the endpoint`);
  }
  const sum = splitSum(split);
  if (sum !== 100 && !(sum === 0 && Object.keys(split).length === 0)) {
    throw new FakeError("INVALID_ARGUMENT", `${where}: traffic split must sum to 100, got ${sum}`);
  }
}

function autoscaling(value: unknown): { metricName: string; target: number }[] {
  return list(value, "autoscalingMetricSpecs").map((s) => ({ metricName: str(s, "metricName") ?? "", target: num(s, "target") ?? 0 }));
}

export class FakeEndpoints {
  readonly endpoints = new Map<string, FakeEndpoint>();
  /** Every state every endpoint went through, in order. */
  readonly history: EndpointSnapshot[] = [];

  constructor(
    private readonly registry: FakeRegistry,
    private readonly options: FakeEndpointOptions,
  ) {}

  create(id: string): FakeEndpoint {
    const endpoint: FakeEndpoint = { id, deployedModels: [], trafficSplit: {}, busy: false };
    this.endpoints.set(id, endpoint);
    return endpoint;
  }

  get(id: string): FakeEndpoint {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) throw new FakeError("NOT_FOUND", `Endpoint ${id} not found`);
    return endpoint;
  }

  /** Records the endpoint's state after a change (`acceptedAt`: see EndpointSnapshot). */
  record(endpoint: FakeEndpoint, cause: string, acceptedAt?: number): void {
    this.history.push({
      cause,
      endpointId: endpoint.id,
      deployedModels: endpoint.deployedModels.map((d) => ({ id: d.id, min: d.minReplicaCount, max: d.maxReplicaCount, available: d.available })),
      trafficSplit: { ...endpoint.trafficSplit },
      ...(acceptedAt === undefined ? {} : { acceptedAt }),
    });
  }

  /** Time passes by one request: replicas being provisioned come closer to serving. */
  tick(): void {
    for (const endpoint of this.endpoints.values()) {
      let changed = false;
      for (const d of endpoint.deployedModels) {
        if (!d.provisioning || --d.provisioning.ticks > 0) continue;
        d.available = d.provisioning.target;
        d.provisioning = undefined;
        changed = true;
      }
      if (changed) this.record(endpoint, "replicas");
    }
  }

  /** Replicas the model should run after its bounds changed, arriving after the configured lag. */
  private provision(d: FakeDeployedModel): void {
    const target = Math.min(Math.max(d.available, d.minReplicaCount), d.maxReplicaCount);
    if (target <= d.available || this.options.replicaLag <= 0) {
      d.available = target;
      d.provisioning = undefined;
    } else {
      d.provisioning = { target, ticks: this.options.replicaLag };
    }
  }

  /** The endpoint, idle: Vertex AI answers FAILED_PRECONDITION while another operation runs on it (assumed). */
  private idle(id: string): FakeEndpoint {
    const endpoint = this.get(id);
    if (endpoint.busy) throw new FakeError("FAILED_PRECONDITION", `Endpoint ${id} has an operation in progress; retry when it finishes`);
    return endpoint;
  }

  refs(modelId: string, versionId: string): { endpointId: string; deployedModelId: string }[] {
    return [...this.endpoints.values()].flatMap((e) =>
      e.deployedModels.filter((d) => d.modelId === modelId && d.versionId === versionId).map((d) => ({ endpointId: e.id, deployedModelId: d.id })),
    );
  }

  prepareDeploy(endpointId: string, body: JsonObject): () => JsonObject {
    const endpoint = this.idle(endpointId);
    const dm = obj(body, "deployedModel");
    const modelName = str(dm, "model") ?? "";
    const [, modelId, ref] = /\/models\/([^/@]+)(?:@(.+))?$/.exec(modelName) ?? [];
    const version = modelId ? this.registry.find(modelId, ref ?? str(dm, "modelVersionId")) : undefined;
    if (!version) throw new FakeError("NOT_FOUND", `Model ${modelName} not found; upload it before deploying`);
    const id = str(dm, "id") ?? String(1000 + endpoint.deployedModels.length);
    if (!/^[0-9]{1,10}$/.test(id)) throw new FakeError("INVALID_ARGUMENT", `deployed model id ${id} must be 1-10 digits`);
    if (endpoint.deployedModels.some((d) => d.id === id)) throw new FakeError("ALREADY_EXISTS", `DeployedModel ${id} already exists on endpoint ${endpointId}`);
    const resources = obj(dm, "dedicatedResources");
    const machine = obj(resources, "machineSpec");
    const min = num(resources, "minReplicaCount") ?? 0;
    const max = num(resources, "maxReplicaCount") || min;
    if (!str(machine, "machineType")) throw new FakeError("INVALID_ARGUMENT", "dedicated_resources.machine_spec.machine_type is required");
    if (min < 1 || max < min) throw new FakeError("INVALID_ARGUMENT", `replica counts ${min}-${max} are invalid`);
    const rawSplit = parseSplit(body.trafficSplit, `deploy ${id}`);
    const split = Object.fromEntries(Object.entries(rawSplit).map(([k, v]) => [k === "0" ? id : k, v]));
    if (Object.keys(split).length > 0) checkSplitNames(split, [...endpoint.deployedModels.map((d) => d.id), id], `deploy ${id}`);
    endpoint.busy = true;
    const acceptedAt = this.history.length;
    return () => {
      const accelerator = acceleratorName(machine.acceleratorType);
      const deployed: FakeDeployedModel = {
        id,
        modelId,
        versionId: version.versionId,
        displayName: str(dm, "displayName") ?? "",
        machineType: str(machine, "machineType") ?? "",
        ...(accelerator ? { acceleratorType: accelerator, acceleratorCount: num(machine, "acceleratorCount") ?? 1 } : {}),
        minReplicaCount: min,
        maxReplicaCount: max,
        autoscalingMetricSpecs: autoscaling(resources),
        ...(str(dm, "serviceAccount") ? { serviceAccount: str(dm, "serviceAccount") } : {}),
        available: 0,
      };
      this.provision(deployed);
      endpoint.deployedModels.push(deployed);
      if (Object.keys(split).length > 0) endpoint.trafficSplit = split;
      this.record(endpoint, `deploy ${id}`, acceptedAt);
      return { deployedModel: { id } };
    };
  }

  prepareUndeploy(endpointId: string, body: JsonObject): () => JsonObject {
    const endpoint = this.idle(endpointId);
    const id = str(body, "deployedModelId") ?? "";
    if (!endpoint.deployedModels.some((d) => d.id === id)) throw new FakeError("NOT_FOUND", `DeployedModel ${id} not found on endpoint ${endpointId}`);
    const remaining = endpoint.deployedModels.filter((d) => d.id !== id).map((d) => d.id);
    const split = parseSplit(body.trafficSplit, `undeploy ${id}`);
    const last = remaining.length === 0;
    if (Object.keys(split).length > 0) checkSplitNames(split, remaining, `undeploy ${id}`);
    else if ((endpoint.trafficSplit[id] ?? 0) > 0 && (!last || this.options.strictLastUndeploy)) {
      throw new FakeError(
        "FAILED_PRECONDITION",
        `DeployedModel ${id} still receives ${endpoint.trafficSplit[id]}% of the traffic of endpoint ${endpointId}; move its traffic first or pass traffic_split`,
      );
    }
    endpoint.busy = true;
    const acceptedAt = this.history.length;
    return () => {
      endpoint.deployedModels = endpoint.deployedModels.filter((d) => d.id !== id);
      if (Object.keys(split).length > 0) endpoint.trafficSplit = split;
      else delete endpoint.trafficSplit[id];
      if (endpoint.deployedModels.length === 0) endpoint.trafficSplit = {};
      this.record(endpoint, `undeploy ${id}`, acceptedAt);
      return {};
    };
  }

  prepareMutate(endpointId: string, body: JsonObject): () => JsonObject {
    const endpoint = this.idle(endpointId);
    const dm = obj(body, "deployedModel");
    const target = endpoint.deployedModels.find((d) => d.id === str(dm, "id"));
    if (!target) throw new FakeError("NOT_FOUND", `DeployedModel ${str(dm, "id")} not found on endpoint ${endpointId}`);
    const allowed = ["dedicated_resources.min_replica_count", "dedicated_resources.max_replica_count", "dedicated_resources.autoscaling_metric_specs"];
    const paths = maskPaths(body.updateMask);
    if (paths.length === 0 || paths.some((p) => !allowed.includes(p))) {
      throw new FakeError("INVALID_ARGUMENT", `update_mask ${JSON.stringify(paths)} is not mutable; allowed: ${allowed.join(", ")}`);
    }
    const resources = obj(dm, "dedicatedResources");
    const min = paths.includes(allowed[0]) ? num(resources, "minReplicaCount") ?? 0 : target.minReplicaCount;
    const max = paths.includes(allowed[1]) ? num(resources, "maxReplicaCount") ?? 0 : target.maxReplicaCount;
    if (min < 1 || max < min) throw new FakeError("INVALID_ARGUMENT", `replica counts ${min}-${max} are invalid`);
    endpoint.busy = true;
    const acceptedAt = this.history.length;
    return () => {
      target.minReplicaCount = min;
      target.maxReplicaCount = max;
      if (paths.includes(allowed[2])) target.autoscalingMetricSpecs = autoscaling(resources);
      this.provision(target);
      this.record(endpoint, `mutate ${target.id}`, acceptedAt);
      return { deployedModel: { id: target.id } };
    };
  }

  /** PATCH endpoint: only the traffic split, applied at once (not a long-running operation). */
  update(endpointId: string, body: JsonObject, mask: unknown): FakeEndpoint {
    const endpoint = this.idle(endpointId);
    const paths = maskPaths(mask);
    if (!paths.includes("traffic_split")) throw new FakeError("INVALID_ARGUMENT", `the fake only updates traffic_split, got mask ${JSON.stringify(paths)}`);
    const split = parseSplit(body.trafficSplit, `endpoint ${endpointId}`);
    checkSplitNames(split, endpoint.deployedModels.map((d) => d.id), `endpoint ${endpointId}`);
    endpoint.trafficSplit = split;
    this.record(endpoint, "traffic");
    return endpoint;
  }
}
