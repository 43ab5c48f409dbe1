import type { protos, v1 } from "@google-cloud/aiplatform";
import { ResolvedConnection } from "./connection";
import { AUTOSCALING_METRIC_NAMES, AutoscalingMetric, AutoscalingTarget, DeploymentSpec, LiveEndpoint } from "./endpoint-deployment-types";
import { Step, applyStep, describeStep } from "./endpoint-plan";
import { describeError } from "../../common/providers/errors";
import { PolledOperation, awaitOperation } from "./operations";
import { withRetry } from "../../common/providers/retry";

type EndpointClient = v1.EndpointServiceClient;
type IEndpoint = protos.google.cloud.aiplatform.v1.IEndpoint;
type IDeployedModel = protos.google.cloud.aiplatform.v1.IDeployedModel;

/** The Vertex AI calls for one endpoint: a client plus the bounds every call is made with. */
export interface EndpointSession {
  readonly client: EndpointClient;
  readonly endpointName: string;
  readonly connection: ResolvedConnection;
}

export function openEndpointSession(endpointName: string, connection: ResolvedConnection): EndpointSession {
  const { v1: api } = require("@google-cloud/aiplatform") as typeof import("@google-cloud/aiplatform");
  return { client: new api.EndpointServiceClient(connection.clientOptions), endpointName, connection };
}

function acceleratorName(value: unknown): string | undefined {
  const { protos: p } = require("@google-cloud/aiplatform") as typeof import("@google-cloud/aiplatform");
  const names = p.google.cloud.aiplatform.v1.AcceleratorType as unknown as Record<string | number, string | number>;
  const name = typeof value === "number" ? names[value] : value;
  return typeof name === "string" && name !== "ACCELERATOR_TYPE_UNSPECIFIED" ? name : undefined;
}

function autoscalingOf(specs: protos.google.cloud.aiplatform.v1.IAutoscalingMetricSpec[] | null | undefined): AutoscalingTarget | undefined {
  for (const spec of specs ?? []) {
    const metric = (Object.keys(AUTOSCALING_METRIC_NAMES) as AutoscalingMetric[]).find((m) => AUTOSCALING_METRIC_NAMES[m] === spec.metricName);
    if (metric && spec.target) return { metric, target: spec.target };
  }
  return undefined;
}

/** The endpoint as the providers model it: deployed models sorted by id, a 0 for each without traffic. */
export function toLive(endpoint: IEndpoint): LiveEndpoint {
  const deployedModels = (endpoint.deployedModels ?? []).map((dm): DeploymentSpec => {
    const machine = dm.dedicatedResources?.machineSpec;
    const acceleratorType = acceleratorName(machine?.acceleratorType);
    const model = dm.model ?? "";
    const autoscaling = autoscalingOf(dm.dedicatedResources?.autoscalingMetricSpecs);
    return {
      deployedModelId: dm.id ?? "",
      model: model.includes("@") || !dm.modelVersionId ? model : `${model}@${dm.modelVersionId}`,
      displayName: dm.displayName ?? "",
      machineType: machine?.machineType ?? "",
      ...(acceleratorType ? { acceleratorType, acceleratorCount: machine?.acceleratorCount ?? 1 } : {}),
      minReplicas: dm.dedicatedResources?.minReplicaCount ?? 0,
      maxReplicas: dm.dedicatedResources?.maxReplicaCount ?? 0,
      ...(autoscaling ? { autoscaling } : {}),
      ...(dm.serviceAccount ? { serviceAccount: dm.serviceAccount } : {}),
    };
  });
  deployedModels.sort((a, b) => a.deployedModelId.localeCompare(b.deployedModelId));
  const trafficSplit: Record<string, number> = {};
  for (const d of deployedModels) trafficSplit[d.deployedModelId] = endpoint.trafficSplit?.[d.deployedModelId] ?? 0;
  return { deployedModels, trafficSplit };
}

function autoscalingSpecs(spec: DeploymentSpec): protos.google.cloud.aiplatform.v1.IAutoscalingMetricSpec[] {
  return spec.autoscaling ? [{ metricName: AUTOSCALING_METRIC_NAMES[spec.autoscaling.metric], target: spec.autoscaling.target }] : [];
}

export function toDeployedModel(spec: DeploymentSpec): IDeployedModel {
  const machineSpec: protos.google.cloud.aiplatform.v1.IMachineSpec = { machineType: spec.machineType };
  if (spec.acceleratorType) {
    machineSpec.acceleratorType = spec.acceleratorType as keyof typeof protos.google.cloud.aiplatform.v1.AcceleratorType;
    machineSpec.acceleratorCount = spec.acceleratorCount ?? 1;
  }
  return {
    id: spec.deployedModelId,
    model: spec.model,
    displayName: spec.displayName,
    ...(spec.serviceAccount ? { serviceAccount: spec.serviceAccount } : {}),
    dedicatedResources: {
      machineSpec,
      minReplicaCount: spec.minReplicas,
      maxReplicaCount: spec.maxReplicas,
      autoscalingMetricSpecs: autoscalingSpecs(spec),
    },
  };
}

export async function readEndpoint(session: EndpointSession): Promise<LiveEndpoint> {
  const { client, endpointName, connection } = session;
  const [endpoint] = await withRetry(`endpoint ${endpointName}: read`, connection.retry, () => client.getEndpoint({ name: endpointName }));
  return toLive(endpoint);
}

async function executeStep(session: EndpointSession, step: Step): Promise<void> {
  const { client, endpointName: endpoint, connection } = session;
  const what = `endpoint ${endpoint}: ${describeStep(step)}`;
  const wait = async (first: PolledOperation<unknown>, poll: (name: string) => Promise<PolledOperation<unknown>>) => {
    await awaitOperation(what, first, poll, connection.operation, connection.retry);
  };
  switch (step.kind) {
    case "deploy": {
      // No trafficSplit: Vertex leaves the endpoint's split untouched, so the new model starts at 0%.
      const [op] = await withRetry(what, connection.retry, () => client.deployModel({ endpoint, deployedModel: toDeployedModel(step.deployment) }));
      return wait(op, (name) => client.checkDeployModelProgress(name));
    }
    case "mutate": {
      const deployedModel: IDeployedModel = {
        id: step.deployment.deployedModelId,
        model: step.from.model,
        dedicatedResources: {
          minReplicaCount: step.deployment.minReplicas,
          maxReplicaCount: step.deployment.maxReplicas,
          autoscalingMetricSpecs: autoscalingSpecs(step.deployment),
        },
      };
      const paths = ["dedicated_resources.min_replica_count", "dedicated_resources.max_replica_count", "dedicated_resources.autoscaling_metric_specs"];
      const [op] = await withRetry(what, connection.retry, () => client.mutateDeployedModel({ endpoint, deployedModel, updateMask: { paths } }));
      return wait(op, (name) => client.checkMutateDeployedModelProgress(name));
    }
    case "traffic": {
      await withRetry(what, connection.retry, () =>
        client.updateEndpoint({ endpoint: { name: endpoint, trafficSplit: { ...step.split } }, updateMask: { paths: ["traffic_split"] } }),
      );
      return;
    }
    case "undeploy": {
      // Traffic was moved in an earlier step; Vertex refuses to undeploy a model that still has some.
      const [op] = await withRetry(what, connection.retry, () => client.undeployModel({ endpoint, deployedModelId: step.deployedModelId }));
      return wait(op, (name) => client.checkUndeployModelProgress(name));
    }
  }
}

export interface ReconcileResult {
  /** The endpoint after the run: re-read from Vertex AI, or as far as known when that failed. */
  readonly live: LiveEndpoint;
  readonly applied: readonly Step[];
  readonly failed?: { readonly step: Step; readonly error: Error };
}

/**
 * Executes `steps` in order, one at a time (Vertex AI serialises changes to an endpoint anyway),
 * stopping at the first failure. The live state is re-read at the end either way, so the outputs
 * report what the endpoint really serves rather than what was intended.
 */
export async function executePlan(session: EndpointSession, start: LiveEndpoint, steps: readonly Step[]): Promise<ReconcileResult> {
  let known = start;
  const applied: Step[] = [];
  for (const step of steps) {
    try {
      await executeStep(session, step);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(describeError(err).message);
      const live = await readEndpoint(session).catch(() => known);
      return { live, applied, failed: { step, error } };
    }
    known = applyStep(known, step);
    applied.push(step);
  }
  const live = steps.length === 0 ? start : await readEndpoint(session).catch(() => known);
  return { live, applied };
}
