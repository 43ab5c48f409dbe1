import { deployedModelId, deploymentShapeKey } from "../../infra/models/providers/deployed-model-id";
import { DeploymentSpec, EndpointDeploymentInputs, EndpointDeploymentOutputs } from "../../infra/models/providers/endpoint-deployment-types";
import { endpointDeploymentProvider } from "../../infra/models/providers/endpoint-deployment";
import { ModelVersionInputs } from "../../infra/models/providers/model-version-types";
import { FakeVertex } from "./fake-vertex";

/** Inputs shared by the provider tests, always pointed at a running FakeVertex. */

export const PROJECT = "llmops-test";
export const REGION = "us-central1";
export const MODEL_ID = "support-llm";
export const IMAGE = `us-docker.pkg.dev/llmops-test/serving/vllm@sha256:${"a".repeat(64)}`;

export const CONTAINER = {
  imageUri: IMAGE,
  args: ["--max-model-len=8192"],
  env: { MODEL_ID: "support-llm" },
  ports: [8080],
  healthRoute: "/health",
  predictRoute: "/generate",
} as const;

export function modelInputs(fake: FakeVertex, version: string, overrides: Partial<ModelVersionInputs> = {}): ModelVersionInputs {
  return {
    project: PROJECT,
    region: REGION,
    modelId: MODEL_ID,
    displayName: "Support LLM",
    version,
    artifactUri: `gs://llmops-test-models/support-llm/${version}`,
    container: CONTAINER,
    labels: { environment: "dev", "managed-by": "pulumi" },
    ...fake.connection(),
    ...overrides,
  };
}

export const L4 = { machineType: "g2-standard-12", acceleratorType: "NVIDIA_L4", acceleratorCount: 1 } as const;

/** A deployment of model version `model` (…@N) made for semver `version`, id derived as callers do. */
export function deployment(model: string, version: string, overrides: Partial<DeploymentSpec> = {}): DeploymentSpec {
  const shape = { ...L4, ...overrides };
  return {
    deployedModelId: deployedModelId(MODEL_ID, version, deploymentShapeKey(shape)),
    model,
    displayName: `${MODEL_ID}-${version}`,
    ...L4,
    minReplicas: 1,
    maxReplicas: 2,
    autoscaling: { metric: "accelerator-duty-cycle", target: 60 },
    ...overrides,
  };
}

export function endpointInputs(
  fake: FakeVertex,
  endpoint: string,
  deployments: DeploymentSpec[],
  trafficSplit: Record<string, number>,
  overrides: Partial<EndpointDeploymentInputs> = {},
): EndpointDeploymentInputs {
  return { project: PROJECT, region: REGION, endpoint, environment: "prod", deployments, trafficSplit, ...fake.connection(), ...overrides };
}

/** Runs check, then create or update, the way the engine would; returns the new outputs. */
export async function apply(inputs: EndpointDeploymentInputs, olds?: EndpointDeploymentOutputs): Promise<EndpointDeploymentOutputs> {
  const { failures } = await endpointDeploymentProvider.check(olds ?? inputs, inputs);
  if (failures.length > 0) throw new Error(`check failed: ${JSON.stringify(failures)}`);
  if (!olds) return (await endpointDeploymentProvider.create(inputs)).outs;
  return (await endpointDeploymentProvider.update(olds.endpointName, olds, inputs)).outs;
}
