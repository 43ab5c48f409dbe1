import * as pulumi from "@pulumi/pulumi";
import { sameJson } from "../../../lib/json";
import { resolveConnection } from "./connection";
import { apiError } from "../../common/providers/errors";
import { InputsOf } from "../../common/providers/inputs";
import {
  IModel,
  ModelSession,
  contentDifferences,
  contentOf,
  deleteModel,
  deleteVersion,
  findModel,
  immutableMismatch,
  listVersions,
  mergeAliases,
  openModelSession,
  updateDisplayName,
  updateVersionFields,
  uploadVersion,
} from "./model-version-api";
import { RESERVED_ALIASES, ModelVersionInputs, ModelVersionOutputs, versionAliasFor } from "./model-version-types";
import { validateModelVersion } from "./model-version-validate";
import { providerCodeChanged } from "../../common/providers/provider-code";
import { isFullyKnown } from "../../common/providers/validation";
import { DynamicResource } from "../../common/dynamic-resource";

/**
 * ModelVersion: one version of a model in the Vertex AI Model Registry. The version's content
 * (artifact, container, metadata) is immutable, so changing it means a new version: a replacement.
 * Labels, aliases, description and display name change in place.
 *
 * `create` is idempotent: it first looks the version up by its semver alias, so a run that timed
 * out while Vertex was still uploading adopts the finished upload instead of making a second one,
 * and re-releasing a semver with different content is refused instead of silently shadowed.
 */

const IDENTITY = ["project", "region", "modelId", "version"] as const;
const CONTENT = ["artifactUri", "container", "metadata"] as const;
const IN_PLACE = ["displayName", "versionAliases", "labels", "description"] as const;
const SETTINGS = ["apiEndpoint", "protocol", "credentials", "retry", "operationTimeoutMs", "pollIntervalMs"] as const;

/** A value with its default filled in and its order fixed, so equal meanings compare equal. */
function normalized(key: keyof ModelVersionInputs, value: unknown): unknown {
  switch (key) {
    case "labels":
      return value ?? {};
    case "versionAliases":
      return [...((value as string[] | undefined) ?? [])].sort();
    case "description":
      return value ?? "";
    default:
      return value ?? null;
  }
}

function differs(key: keyof ModelVersionInputs, olds: Partial<ModelVersionInputs>, news: ModelVersionInputs): boolean {
  return !isFullyKnown(news[key]) || !sameJson(normalized(key, olds[key]), normalized(key, news[key]));
}

function identity(inputs: ModelVersionInputs, versionId: string) {
  const modelName = `projects/${inputs.project}/locations/${inputs.region}/models/${inputs.modelId}`;
  return { name: `${modelName}@${versionId}`, modelName, versionId, versionAlias: versionAliasFor(inputs.version) };
}

/** Runs `body` with a session on the process's shared client (sharedClient), which stays open. */
async function withSession<T>(inputs: ModelVersionInputs, body: (s: ModelSession) => Promise<T>): Promise<T> {
  return body(openModelSession(resolveConnection(inputs.region, inputs)));
}

/** Brings labels, description, aliases and display name of version `name` from `olds` to `news`. */
async function applyInPlace(s: ModelSession, name: string, modelName: string, olds: Partial<ModelVersionInputs>, news: ModelVersionInputs): Promise<void> {
  if (differs("labels", olds, news) || differs("description", olds, news)) await updateVersionFields(s, name, news);
  if (olds.displayName !== news.displayName) await updateDisplayName(s, modelName, news.displayName);
  const before = new Set(olds.versionAliases ?? []);
  const after = new Set(news.versionAliases ?? []);
  const keep = new Set([...RESERVED_ALIASES, versionAliasFor(news.version)]);
  await mergeAliases(
    s,
    name,
    [...after].filter((a) => !before.has(a)),
    [...before].filter((a) => !after.has(a) && !keep.has(a)),
  );
}

/**
 * Takes over `live`, a version already uploaded under this semver (by a run whose wait timed out,
 * or by another run at the same time), when its content is what `inputs` asks for; refuses it
 * otherwise, since a released version is immutable. Returns its version id.
 */
async function adopt(s: ModelSession, live: IModel, inputs: ModelVersionInputs): Promise<string> {
  const modelName = `projects/${inputs.project}/locations/${inputs.region}/models/${inputs.modelId}`;
  const mismatch = immutableMismatch(live, inputs);
  if (mismatch.length > 0) {
    throw apiError(
      `model ${modelName}: version ${inputs.version} already exists as @${live.versionId} with a different ${mismatch.join(", ")}. ` +
        `Released versions are immutable: bump \`version\` to upload new content`,
      "ALREADY_EXISTS",
    );
  }
  const versionId = live.versionId ?? "";
  // Converge its mutable fields from what Vertex has to what is asked.
  const current = { labels: live.labels ?? {}, description: live.versionDescription ?? "", displayName: live.displayName ?? "", versionAliases: [] };
  await applyInPlace(s, `${modelName}@${versionId}`, modelName, current, inputs);
  return versionId;
}

export const modelVersionProvider = {
  async check(_olds, news) {
    return { inputs: news, failures: validateModelVersion(news) };
  },

  async diff(_id, olds, news): Promise<pulumi.dynamic.DiffResult & { changes: boolean; replaces: string[] }> {
    // Content is compared exactly as `create` compares it when deciding to adopt (see contentOf).
    const content = contentDifferences(contentOf(olds), contentOf(news));
    const unknown = CONTENT.filter((key) => !isFullyKnown(news[key]) && !content.includes(key));
    const replaces: string[] = [...IDENTITY.filter((key) => differs(key, olds, news)), ...content, ...unknown];
    const changed = [...IN_PLACE, ...SETTINGS].filter((key) => differs(key, olds, news));
    return {
      // New provider code alone is an update that only records it: applyInPlace calls nothing.
      changes: replaces.length + changed.length > 0 || providerCodeChanged(olds, news),
      replaces,
      stables: replaces.length === 0 ? ["name", "modelName", "versionId", "versionAlias"] : [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs) {
    return withSession(inputs, async (s) => {
      const parent = `projects/${inputs.project}/locations/${inputs.region}`;
      const alias = versionAliasFor(inputs.version);
      const existing = await findModel(s, `${parent}/models/${inputs.modelId}@${alias}`);
      const aliases = [alias, ...(inputs.versionAliases ?? []).filter((a) => a !== alias)];
      const outcome = existing ? { found: existing } : await uploadVersion(s, inputs, aliases, parent);
      const versionId = outcome.found ? await adopt(s, outcome.found, inputs) : outcome.versionId;
      const outs: ModelVersionOutputs = { ...inputs, ...identity(inputs, versionId) };
      return { id: outs.name, outs };
    });
  },

  async update(_id, olds, news) {
    return withSession(news, async (s) => {
      await applyInPlace(s, olds.name, olds.modelName, olds, news);
      return { outs: { ...news, ...identity(news, olds.versionId) } };
    });
  },

  async read(id: string, props?: ModelVersionOutputs) {
    if (!props) throw new Error(`importing a ModelVersion is not supported: declare it with the inputs it was uploaded with (id ${id})`);
    return withSession(props, async (s) => {
      const live = await findModel(s, id);
      if (!live) return {};
      const automatic = versionAliasFor(props.version);
      const declared = new Set(props.versionAliases ?? []);
      const versionAliases = (live.versionAliases ?? []).filter((a) => a !== automatic && (!RESERVED_ALIASES.includes(a) || declared.has(a))).sort();
      return {
        id,
        props: {
          ...props,
          displayName: live.displayName ?? props.displayName,
          labels: { ...(live.labels ?? {}) },
          description: live.versionDescription ?? "",
          versionAliases,
        },
      };
    });
  },

  /**
   * Deletes the version. Refused while it is deployed (Vertex would answer FAILED_PRECONDITION):
   * undeploy it first, or keep it with the `retainOnDelete` resource option. Vertex also requires
   * one version to carry the `default` alias, so when this one does, `default` moves to the newest
   * remaining version; when it is the last version, the registry entry goes with it.
   */
  async delete(id, props) {
    await withSession(props, async (s) => {
      const live = await findModel(s, id);
      if (!live) return;
      const deployedTo = (live.deployedModels ?? []).map((d) => `${d.endpoint} (deployed model ${d.deployedModelId})`);
      if (deployedTo.length > 0) {
        throw apiError(
          `model ${id}: refusing to delete version ${props.version}: it is still deployed to ${deployedTo.join(", ")}. ` +
            `Remove it from those endpoints' deployments first, or set the retainOnDelete resource option to keep it in the registry`,
          "FAILED_PRECONDITION",
        );
      }
      if ((live.versionAliases ?? []).includes("default")) {
        const others = (await listVersions(s, props.modelName)).filter((m) => m.versionId !== props.versionId);
        if (others.length === 0) return deleteModel(s, props.modelName);
        const newest = others.map((m) => Number(m.versionId)).sort((a, b) => b - a)[0];
        await mergeAliases(s, `${props.modelName}@${newest}`, ["default"], []);
      }
      await deleteVersion(s, id);
    });
  },
} satisfies pulumi.dynamic.ResourceProvider<ModelVersionInputs, ModelVersionOutputs>;

/** Resource-side arguments: `ModelVersionInputs`, each property accepting `pulumi.Input`. */
export type ModelVersionArgs = InputsOf<ModelVersionInputs>;

/** Type token `pulumi-nodejs:dynamic/vertex:ModelVersion`. */
export class ModelVersion extends DynamicResource {
  /** `projects/P/locations/R/models/ID@N`: what an EndpointDeployment's `deployments[].model` takes. */
  declare public readonly name: pulumi.Output<string>;
  /** `projects/P/locations/R/models/ID`. */
  declare public readonly modelName: pulumi.Output<string>;
  declare public readonly versionId: pulumi.Output<string>;
  declare public readonly versionAlias: pulumi.Output<string>;

  constructor(name: string, args: ModelVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(modelVersionProvider, name, { ...args, name: undefined, modelName: undefined, versionId: undefined, versionAlias: undefined }, opts, "vertex", "ModelVersion");
  }
}
