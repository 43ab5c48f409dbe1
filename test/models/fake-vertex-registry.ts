import { FakeError, JsonObject, isObject, list, maskPaths, obj, str } from "./fake-vertex-json";

/** The Model Registry half of the fake: models, their numbered versions and version aliases. */

export interface FakeModelVersion {
  readonly versionId: string;
  displayName: string;
  readonly artifactUri: string;
  readonly containerSpec: JsonObject;
  readonly metadata: unknown;
  labels: Record<string, string>;
  versionAliases: string[];
  versionDescription: string;
}

interface FakeModel {
  readonly versions: Map<string, FakeModelVersion>;
  next: number;
}

const ALIAS = /^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]$/;
const MODEL_ID = /^[a-z_][a-z0-9_-]{0,62}$/;

/** Who deploys a model version: the endpoints half of the fake answers this. */
export type DeployedRefs = (modelId: string, versionId: string) => { endpointId: string; deployedModelId: string }[];

export class FakeRegistry {
  readonly models = new Map<string, FakeModel>();

  constructor(private readonly deployedRefs: DeployedRefs) {}

  /** The version `ref` (number or alias; absent = the `default` alias) of `modelId`. */
  find(modelId: string, ref?: string): FakeModelVersion | undefined {
    const model = this.models.get(modelId);
    if (!model) return undefined;
    const wanted = ref ?? "default";
    return model.versions.get(wanted) ?? [...model.versions.values()].find((v) => v.versionAliases.includes(wanted));
  }

  get(modelId: string, ref?: string): FakeModelVersion {
    const version = this.find(modelId, ref);
    if (!version) throw new FakeError("NOT_FOUND", `Model models/${modelId}${ref ? `@${ref}` : ""} not found`);
    return version;
  }

  private claimAliases(modelId: string, version: FakeModelVersion, aliases: readonly string[]): void {
    for (const alias of aliases) {
      if (!ALIAS.test(alias)) throw new FakeError("INVALID_ARGUMENT", `version alias "${alias}" must match ${ALIAS}`);
      // An alias held by another version moves (Model Registry documents this behaviour).
      for (const other of this.models.get(modelId)?.versions.values() ?? []) other.versionAliases = other.versionAliases.filter((a) => a !== alias);
      if (!version.versionAliases.includes(alias)) version.versionAliases.push(alias);
    }
  }

  /**
   * `projects.locations.models.upload`: checks the request when it arrives and returns the effect
   * applied when its long-running operation completes (the operation's `UploadModelResponse` is
   * `{ model, modelVersionId }`).
   *
   * From the v1 API reference (cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models/upload,
   * and the Model Registry pages on versioning and aliases), checked 2026-12-02:
   *  - `modelId` names a new model: up to 63 characters of [a-z0-9_-], not starting with a digit
   *    or a hyphen. `parentModel` (`projects/P/locations/L/models/ID`) uploads a new version of
   *    an existing model instead.
   *  - `model.versionAliases` match `[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]`; an alias another version
   *    of the model holds moves to the new one; the first version also gets `default`.
   *  - `UploadModelResponse.modelVersionId` is the new version's id; ids count up per model.
   *
   * Assumed, not documented:
   *  - neither `modelId` nor `parentModel`: Vertex would generate an id; the providers always send
   *    one, so the fake refuses the request rather than inventing ids;
   *  - a `parentModel` that does not exist is NOT_FOUND, and a `modelId` that already exists is
   *    ALREADY_EXISTS (HTTP 409), both when the request arrives;
   *  - an upload with `modelId` does not reserve the id while its operation runs: a second
   *    upload with the same `modelId` is accepted too, and whichever operation completes second
   *    finishes with `error.code` 6 (ALREADY_EXISTS) instead of a response. This is the race two
   *    versions of one new model run into when they are uploaded at once.
   */
  prepareUpload(body: JsonObject): () => { modelId: string; versionId: string } {
    const model = obj(body, "model");
    const parentModel = str(body, "parentModel");
    const modelId = parentModel ? parentModel.split("/models/")[1] : str(body, "modelId");
    if (!modelId) throw new FakeError("INVALID_ARGUMENT", "either model_id or parent_model is required");
    if (!parentModel && !MODEL_ID.test(modelId)) throw new FakeError("INVALID_ARGUMENT", `model_id "${modelId}" must be up to 63 of [a-z0-9_-], not starting with a digit or -`);
    if (parentModel && !this.models.has(modelId)) throw new FakeError("NOT_FOUND", `parent model ${parentModel} not found`);
    if (!parentModel && this.models.has(modelId)) throw new FakeError("ALREADY_EXISTS", `Model with id ${modelId} already exists`);
    if (!str(obj(model, "containerSpec"), "imageUri")) throw new FakeError("INVALID_ARGUMENT", "model.container_spec.image_uri is required");
    const aliases = list(model, "versionAliases").map(String);
    for (const alias of aliases) if (!ALIAS.test(alias)) throw new FakeError("INVALID_ARGUMENT", `version alias "${alias}" must match ${ALIAS}`);
    return () => {
      // Another upload with this modelId completed while this one ran (see above).
      if (!parentModel && this.models.has(modelId)) throw new FakeError("ALREADY_EXISTS", `Model with id ${modelId} already exists`);
      const entry = this.models.get(modelId) ?? { versions: new Map(), next: 1 };
      this.models.set(modelId, entry);
      const version: FakeModelVersion = {
        versionId: String(entry.next++),
        displayName: str(model, "displayName") ?? "",
        artifactUri: str(model, "artifactUri") ?? "",
        containerSpec: obj(model, "containerSpec"),
        metadata: isObject(model) ? model.metadata : undefined,
        labels: { ...(obj(model, "labels") as Record<string, string>) },
        versionAliases: entry.versions.size === 0 ? ["default"] : [],
        versionDescription: str(model, "versionDescription") ?? "",
      };
      entry.versions.set(version.versionId, version);
      this.claimAliases(modelId, version, aliases);
      return { modelId, versionId: version.versionId };
    };
  }

  /** PATCH: `@version` names update version fields, a bare model name updates model fields. */
  update(modelId: string, ref: string | undefined, body: JsonObject, mask: unknown): FakeModelVersion {
    const paths = maskPaths(mask);
    const allowed = ref ? ["labels", "version_description", "version_aliases"] : ["display_name", "description", "labels"];
    const bad = paths.filter((p) => !allowed.includes(p));
    if (paths.length === 0 || bad.length > 0) {
      throw new FakeError("INVALID_ARGUMENT", `update_mask ${JSON.stringify(paths)} is not allowed for a ${ref ? "model version" : "model"}; allowed: ${allowed.join(", ")}`);
    }
    // Model-level fields are shared by every version, so a model update touches them all.
    const targets = ref ? [this.get(modelId, ref)] : this.versions(modelId);
    for (const v of targets) {
      if (paths.includes("labels")) v.labels = { ...(obj(body, "labels") as Record<string, string>) };
      if (paths.includes("version_description")) v.versionDescription = str(body, "versionDescription") ?? "";
      if (paths.includes("display_name")) v.displayName = str(body, "displayName") ?? "";
    }
    return targets[0];
  }

  mergeAliases(modelId: string, ref: string | undefined, aliases: readonly string[]): FakeModelVersion {
    if (!ref || !/^\d+$/.test(ref)) throw new FakeError("INVALID_ARGUMENT", "mergeVersionAliases needs a name with an explicit version id");
    const version = this.get(modelId, ref);
    for (const alias of aliases.filter((a) => a.startsWith("-")).map((a) => a.slice(1))) {
      if (alias === "default") throw new FakeError("FAILED_PRECONDITION", "the default alias cannot be removed; set it on another version instead");
      version.versionAliases = version.versionAliases.filter((a) => a !== alias);
    }
    this.claimAliases(modelId, version, aliases.filter((a) => !a.startsWith("-")));
    return version;
  }

  versions(modelId: string): FakeModelVersion[] {
    const model = this.models.get(modelId);
    if (!model) throw new FakeError("NOT_FOUND", `Model models/${modelId} not found`);
    return [...model.versions.values()];
  }

  /** Checks a version deletion at request time; returns its effect. */
  prepareDeleteVersion(modelId: string, ref: string | undefined): () => void {
    const version = this.get(modelId, ref);
    const refs = this.deployedRefs(modelId, version.versionId);
    if (refs.length > 0) {
      const where = refs.map((r) => `endpoints/${r.endpointId} (deployed model ${r.deployedModelId})`).join(", ");
      throw new FakeError("FAILED_PRECONDITION", `Model version ${modelId}@${version.versionId} is deployed to ${where}; undeploy it first`);
    }
    if (version.versionAliases.includes("default")) {
      throw new FakeError("FAILED_PRECONDITION", `Model version ${modelId}@${version.versionId} is the default version and cannot be deleted`);
    }
    return () => void this.models.get(modelId)?.versions.delete(version.versionId);
  }

  prepareDeleteModel(modelId: string): () => void {
    for (const v of this.versions(modelId)) {
      if (this.deployedRefs(modelId, v.versionId).length > 0) {
        throw new FakeError("FAILED_PRECONDITION", `Model ${modelId} has deployed versions; undeploy them first`);
      }
    }
    return () => void this.models.delete(modelId);
  }
}
