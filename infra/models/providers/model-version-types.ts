import { VertexConnection } from "./connection";
// From ids.ts itself, not the config index: the dynamic provider's code is serialised with
// everything it imports, and the index would pull in zod (which Pulumi cannot serialise).
import { versionAliasFor } from "../config/ids";

// Defined with the model ids (schedules name versions by this alias too); re-exported for the provider.
export { versionAliasFor };

/** The serving container of a model version. All of it is immutable once uploaded. */
export interface ContainerSpec {
  /** Pinned by digest (`…@sha256:<64 hex>`), so a version always serves the same bits. */
  readonly imageUri: string;
  readonly args?: readonly string[];
  /** Sent sorted by name, so the upload request is deterministic. */
  readonly env?: Readonly<Record<string, string>>;
  /** The first port receives prediction and health requests. @default Vertex AI's 8080 */
  readonly ports?: readonly number[];
  readonly healthRoute?: string;
  readonly predictRoute?: string;
}

/** Inputs of the ModelVersion dynamic resource, as its provider receives them. */
export interface ModelVersionInputs extends VertexConnection {
  readonly project: string;
  readonly region: string;
  /** Model Registry id, one entry per model per region: `[a-z0-9_-]`, up to 63, not starting with a digit or `-`. */
  readonly modelId: string;
  /** Shared by all versions of the model; updated in place. */
  readonly displayName: string;
  /**
   * The project's semver for this version. Also set as the version alias `v<semver with . and +
   * as ->` (see `versionAliasFor`), which is how the provider finds an upload it already made.
   */
  readonly version: string;
  /** `gs://…` directory with the weights; immutable. */
  readonly artifactUri: string;
  readonly container: ContainerSpec;
  /** Extra version aliases (e.g. `candidate`); updated in place. An alias held by another version moves here. */
  readonly versionAliases?: readonly string[];
  /** Version labels; updated in place. */
  readonly labels?: Readonly<Record<string, string>>;
  /** The version description; updated in place. */
  readonly description?: string;
  /** Provenance stored on the version (pipeline run, evaluation result); immutable like the artifact. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Outputs: the inputs as last applied plus the identity Vertex AI gave the version. */
export interface ModelVersionOutputs extends ModelVersionInputs {
  /** `projects/P/locations/R/models/ID@N`: what EndpointDeployment deployments reference; also the id. */
  readonly name: string;
  /** `projects/P/locations/R/models/ID`, the registry entry shared by all versions. */
  readonly modelName: string;
  /** Vertex AI's version number N, as a string. */
  readonly versionId: string;
  /** The alias derived from `version`. */
  readonly versionAlias: string;
}

/** Aliases the provider never removes: Vertex requires one version to hold `default`. */
export const RESERVED_ALIASES: readonly string[] = ["default"];
