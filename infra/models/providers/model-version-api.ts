import type { protos, v1 } from "@google-cloud/aiplatform";
import { sameJson } from "../../../lib/json";
import { modelServiceClient } from "./aiplatform";
import { ResolvedConnection, sharedClient } from "./connection";
import { apiError, hasStatus } from "../../common/providers/errors";
import { ContainerSpec, ModelVersionInputs, versionAliasFor } from "./model-version-types";
import { awaitOperation } from "./operations";
import { withRetry } from "../../common/providers/retry";

type ModelClient = v1.ModelServiceClient;
export type IModel = protos.google.cloud.aiplatform.v1.IModel;

export interface ModelSession {
  readonly client: ModelClient;
  readonly connection: ResolvedConnection;
}

export function openModelSession(connection: ResolvedConnection): ModelSession {
  const Client = modelServiceClient();
  return { client: sharedClient("ModelService", connection.clientOptions, () => new Client(connection.clientOptions)), connection };
}

/** The model version `name` (`…/models/ID@N` or `@alias`), or undefined when it does not exist. */
export async function findModel(s: ModelSession, name: string): Promise<IModel | undefined> {
  try {
    const [model] = await withRetry(`model ${name}: read`, s.connection.retry, () => s.client.getModel({ name }));
    return model;
  } catch (err) {
    if (hasStatus(err, "NOT_FOUND")) return undefined;
    throw err;
  }
}

function containerSpec(c: ContainerSpec): protos.google.cloud.aiplatform.v1.IModelContainerSpec {
  return {
    imageUri: c.imageUri,
    args: [...(c.args ?? [])],
    env: Object.keys(c.env ?? {})
      .sort()
      .map((name) => ({ name, value: (c.env ?? {})[name] })),
    ports: (c.ports ?? []).map((containerPort) => ({ containerPort })),
    ...(c.predictRoute ? { predictRoute: c.predictRoute } : {}),
    ...(c.healthRoute ? { healthRoute: c.healthRoute } : {}),
  };
}

/**
 * The immutable content of a version in one comparable shape, built the same way from inputs and
 * from a live model. `diff` (replace or not) and `create` (adopt or refuse) both compare through
 * it: if they disagreed, a replacement could adopt the very version the old resource then deletes.
 */
export interface ContentShape {
  readonly artifactUri: string;
  readonly container: unknown;
  readonly metadata: Readonly<Record<string, string>>;
}

function shapeOf(artifactUri: string | null | undefined, c: protos.google.cloud.aiplatform.v1.IModelContainerSpec | null | undefined, metadata: Readonly<Record<string, string>>): ContentShape {
  return {
    artifactUri: artifactUri ?? "",
    container: {
      imageUri: c?.imageUri ?? "",
      args: c?.args ?? [],
      env: (c?.env ?? []).map((e) => [e.name ?? "", e.value ?? ""]).sort(),
      ports: (c?.ports ?? []).map((p) => p.containerPort ?? 0),
      predictRoute: c?.predictRoute ?? "",
      healthRoute: c?.healthRoute ?? "",
    },
    metadata: Object.fromEntries(Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

export function contentOf(inputs: Pick<ModelVersionInputs, "artifactUri" | "container" | "metadata">): ContentShape {
  // Values unknown at preview are not objects; the caller reports those keys as changing anyway.
  const container = typeof inputs.container === "object" && inputs.container !== null ? inputs.container : { imageUri: "" };
  const metadata = typeof inputs.metadata === "object" && inputs.metadata !== null ? inputs.metadata : {};
  return shapeOf(inputs.artifactUri, containerSpec(container), metadata);
}

/** The string fields of a `google.protobuf.Value` struct as decoded by the client. */
function metadataOf(value: protos.google.protobuf.IValue | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, field] of Object.entries(value?.structValue?.fields ?? {})) if (typeof field.stringValue === "string") out[key] = field.stringValue;
  return out;
}

/** The content keys (`artifactUri`, `container`, `metadata`) that differ between two shapes. */
export function contentDifferences(a: ContentShape, b: ContentShape): (keyof ContentShape)[] {
  return (Object.keys(a) as (keyof ContentShape)[]).filter((key) => !sameJson(a[key], b[key]));
}

/** What differs between a live version and the inputs among the fields that cannot change. */
export function immutableMismatch(live: IModel, inputs: ModelVersionInputs): string[] {
  return contentDifferences(shapeOf(live.artifactUri, live.containerSpec, metadataOf(live.metadata)), contentOf(inputs));
}

function metadataValue(metadata: Readonly<Record<string, string>>): protos.google.protobuf.IValue {
  const fields: Record<string, protos.google.protobuf.IValue> = {};
  for (const key of Object.keys(metadata).sort()) fields[key] = { stringValue: metadata[key] };
  return { structValue: { fields } };
}

/** What an upload ended with: a new version, or the same semver found uploaded meanwhile. */
export type UploadOutcome = { readonly versionId: string; readonly found?: undefined } | { readonly found: IModel };

/**
 * Uploads a version. The first version of a model creates the registry entry (`modelId`); later
 * ones attach to it (`parentModel`), so every version of a model shares one entry per region.
 *
 * Two uploads can both see no entry and both send `modelId`. The loser gets ALREADY_EXISTS, from
 * its request or, when Vertex accepted both requests, from its long-running operation. Either
 * way the entry exists now and this version may too (another run uploading the same semver):
 * if its semver alias resolves, that version is returned for the caller to adopt or refuse, as
 * one found before uploading; otherwise the upload is repeated as a child of the entry.
 */
export async function uploadVersion(s: ModelSession, inputs: ModelVersionInputs, aliases: readonly string[], parent: string): Promise<UploadOutcome> {
  const modelName = `${parent}/models/${inputs.modelId}`;
  const model: IModel = {
    displayName: inputs.displayName,
    artifactUri: inputs.artifactUri,
    containerSpec: containerSpec(inputs.container),
    versionAliases: [...aliases],
    labels: { ...(inputs.labels ?? {}) },
    ...(inputs.description ? { versionDescription: inputs.description } : {}),
    ...(inputs.metadata && Object.keys(inputs.metadata).length > 0 ? { metadata: metadataValue(inputs.metadata) } : {}),
  };
  const what = `model ${modelName}: upload version ${inputs.version}`;
  const upload = async (asChild: boolean): Promise<UploadOutcome> => {
    const [op] = await withRetry(what, s.connection.retry, () =>
      s.client.uploadModel(asChild ? { parent, parentModel: modelName, model } : { parent, modelId: inputs.modelId, model }),
    );
    const result = (await awaitOperation(what, op, (name) => s.client.checkUploadModelProgress(name), s.connection.operation, s.connection.retry)) as
      | protos.google.cloud.aiplatform.v1.IUploadModelResponse
      | undefined;
    if (!result?.modelVersionId) throw apiError(`${what}: the operation finished without a version id`, "INTERNAL");
    return { versionId: result.modelVersionId };
  };
  const exists = (await findModel(s, modelName)) !== undefined;
  try {
    return await upload(exists);
  } catch (err) {
    if (exists || !hasStatus(err, "ALREADY_EXISTS")) throw err;
  }
  const found = await findModel(s, `${modelName}@${versionAliasFor(inputs.version)}`);
  return found ? { found } : upload(true);
}

/** Version-level labels and description (one request: Vertex rejects mixing model and version fields). */
export async function updateVersionFields(s: ModelSession, name: string, inputs: ModelVersionInputs): Promise<void> {
  await withRetry(`model ${name}: update labels and description`, s.connection.retry, () =>
    s.client.updateModel({
      model: { name, labels: { ...(inputs.labels ?? {}) }, versionDescription: inputs.description ?? "" },
      updateMask: { paths: ["labels", "version_description"] },
    }),
  );
}

/** The model-level display name, shared by every version. */
export async function updateDisplayName(s: ModelSession, modelName: string, displayName: string): Promise<void> {
  await withRetry(`model ${modelName}: update display name`, s.connection.retry, () =>
    s.client.updateModel({ model: { name: modelName, displayName }, updateMask: { paths: ["display_name"] } }),
  );
}

/** Adds `add` and removes `remove` in one merge (`-alias` removes). */
export async function mergeAliases(s: ModelSession, name: string, add: readonly string[], remove: readonly string[]): Promise<void> {
  if (add.length === 0 && remove.length === 0) return;
  await withRetry(`model ${name}: merge version aliases`, s.connection.retry, () =>
    s.client.mergeVersionAliases({ name, versionAliases: [...add, ...remove.map((a) => `-${a}`)] }),
  );
}

export async function listVersions(s: ModelSession, modelName: string): Promise<IModel[]> {
  const [models] = await withRetry(`model ${modelName}: list versions`, s.connection.retry, () => s.client.listModelVersions({ name: modelName }));
  return models;
}

export async function deleteVersion(s: ModelSession, name: string): Promise<void> {
  const what = `model ${name}: delete version`;
  const [op] = await withRetry(what, s.connection.retry, () => s.client.deleteModelVersion({ name }));
  await awaitOperation(what, op, (n) => s.client.checkDeleteModelVersionProgress(n), s.connection.operation, s.connection.retry);
}

/** Deletes the registry entry itself, once its last version goes. */
export async function deleteModel(s: ModelSession, modelName: string): Promise<void> {
  const what = `model ${modelName}: delete (its last version is being deleted)`;
  const [op] = await withRetry(what, s.connection.retry, () => s.client.deleteModel({ name: modelName }));
  await awaitOperation(what, op, (n) => s.client.checkDeleteModelProgress(n), s.connection.operation, s.connection.retry);
}
