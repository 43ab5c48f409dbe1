import { createHash } from "node:crypto";

/**
 * Deterministic ids for deployed models. Vertex AI accepts a caller-chosen DeployedModel id of
 * 1-10 digits; choosing it from the inputs (instead of letting Vertex generate one) means the
 * traffic split can name a deployment before it exists, previews show real ids, and a re-run
 * after a failure finds the deployment it already made.
 */

/** The deploy-time settings Vertex AI cannot change on a deployed model. */
export interface DeploymentShape {
  readonly machineType: string;
  readonly acceleratorType?: string;
  readonly acceleratorCount?: number;
  readonly serviceAccount?: string;
}

/**
 * A canonical key for `shape`. Everything immutable on a deployed model belongs here, so changing
 * any of it yields a new deployed model id, which the EndpointDeployment provider deploys beside
 * the old one before moving traffic (a blue/green swap instead of an impossible in-place change).
 */
export function deploymentShapeKey(shape: DeploymentShape): string {
  const accelerator = shape.acceleratorType ? `${shape.acceleratorType}x${shape.acceleratorCount ?? 1}` : "cpu";
  return [shape.machineType, accelerator, shape.serviceAccount ?? "default-sa"].join("/");
}

const ID_SPACE = 9_000_000_000n; // ids 1000000000..9999999999: always 10 digits, never a leading 0

/**
 * The deployed model id of `model` (the Model Registry id) at `version` (the project's semver,
 * known at preview time, unlike the Vertex version number) with `shapeKey`: 10 digits, not
 * starting with 0, stable across runs and machines.
 *
 * Ids are scoped to their endpoint in the Vertex API reference; when one model version and shape
 * is deployed to two endpoints of the same project and region, folding the endpoint into
 * `shapeKey` keeps the ids distinct in any case.
 */
export function deployedModelId(model: string, version: string, shapeKey: string): string {
  if (!model || !version || !shapeKey) {
    throw new Error(`deployedModelId needs a model, a version and a shape key; got ${JSON.stringify({ model, version, shapeKey })}`);
  }
  const digest = createHash("sha256").update(JSON.stringify([model, version, shapeKey])).digest();
  return (digest.readBigUInt64BE(0) % ID_SPACE + 1_000_000_000n).toString();
}

/**
 * The deployed model id of each version on a model's endpoint in one region, as `VertexModel`
 * deploys them; `llmops rollout analyze` reads the per-version metrics by the same ids.
 */
export function regionDeployedModelIds(
  modelId: string,
  region: string,
  serving: { readonly machineType: string; readonly accelerator?: { readonly type: string; readonly count?: number } },
  servingEmail: string,
  versions: readonly string[],
): Record<string, string> {
  const shapeKey = deploymentShapeKey({ machineType: serving.machineType, acceleratorType: serving.accelerator?.type, acceleratorCount: serving.accelerator?.count, serviceAccount: servingEmail });
  return Object.fromEntries(versions.map((version) => [version, deployedModelId(modelId, version, `${region}/${shapeKey}`)]));
}
