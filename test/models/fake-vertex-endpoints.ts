import { FakeError, JsonObject, acceleratorName, list, maskPaths, num, obj, parseSplit, splitSum, str } from "./fake-vertex-json";
import { FakeRegistry } from "./fake-vertex-registry";

/**
 * The endpoint half of the fake, with the Vertex AI rules the providers must respect: a model must
 * exist to be deployed, a traffic split sums to 100 and names only deployed models, a model with
 * traffic cannot be undeployed unless the request moves its traffic, and one mutation at a time.
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
}

export interface FakeEndpoint {
  readonly id: string;
  deployedModels: FakeDeployedModel[];
  trafficSplit: Record<string, number>;
  /** An operation is running on the endpoint; Vertex AI rejects concurrent changes. */
  busy: boolean;
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

  constructor(private readonly registry: FakeRegistry) {}

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

  /** The endpoint, idle: Vertex AI answers FAILED_PRECONDITION while another operation runs on it. */
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
    return () => {
      const accelerator = acceleratorName(machine.acceleratorType);
      endpoint.deployedModels.push({
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
      });
      if (Object.keys(split).length > 0) endpoint.trafficSplit = split;
      return { deployedModel: { id } };
    };
  }

  prepareUndeploy(endpointId: string, body: JsonObject): () => JsonObject {
    const endpoint = this.idle(endpointId);
    const id = str(body, "deployedModelId") ?? "";
    if (!endpoint.deployedModels.some((d) => d.id === id)) throw new FakeError("NOT_FOUND", `DeployedModel ${id} not found on endpoint ${endpointId}`);
    const remaining = endpoint.deployedModels.filter((d) => d.id !== id).map((d) => d.id);
    const split = parseSplit(body.trafficSplit, `undeploy ${id}`);
    if (Object.keys(split).length > 0) checkSplitNames(split, remaining, `undeploy ${id}`);
    else if ((endpoint.trafficSplit[id] ?? 0) > 0) {
      throw new FakeError(
        "FAILED_PRECONDITION",
        `DeployedModel ${id} still receives ${endpoint.trafficSplit[id]}% of the traffic of endpoint ${endpointId}; move its traffic first or pass traffic_split`,
      );
    }
    endpoint.busy = true;
    return () => {
      endpoint.deployedModels = endpoint.deployedModels.filter((d) => d.id !== id);
      if (Object.keys(split).length > 0) endpoint.trafficSplit = split;
      else delete endpoint.trafficSplit[id];
      if (endpoint.deployedModels.length === 0) endpoint.trafficSplit = {};
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
    return () => {
      target.minReplicaCount = min;
      target.maxReplicaCount = max;
      if (paths.includes(allowed[2])) target.autoscalingMetricSpecs = autoscaling(resources);
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
    return endpoint;
  }
}
