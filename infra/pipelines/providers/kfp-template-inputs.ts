import { CheckFailure, PROJECT_PATTERN, REGION_PATTERN, failures, isUnknown } from "../../common/providers/validation";
import type { HttpConnectionInputs } from "../../common/providers/http";

/** Inputs of the KfpTemplate dynamic resource, as its provider receives them. */
export interface KfpTemplateInputs extends HttpConnectionInputs {
  readonly project: string;
  readonly region: string;
  /** Artifact Registry repository id, of format KFP, in `region`. */
  readonly repository: string;
  /** The compiled pipeline spec (YAML). Its `pipelineInfo.name` is the package name in the registry. */
  readonly content: string;
  /**
   * The tag that names this publication in its package, e.g. the project's version `1.4.0`, or
   * `schedule-<name>` for a schedule's template. A tag names one version per package: two
   * resources publishing the same package need different version names.
   */
  readonly versionName: string;
  /** More tags to move onto this version, e.g. `latest`. @default [] */
  readonly extraTags?: readonly string[];
  /**
   * Delete the version this resource last published when the resource is deleted. Earlier
   * versions are never deleted: runs and schedules may still reference them by digest.
   * @default false
   */
  readonly deleteVersionOnDestroy?: boolean;
  /**
   * Scheme and host serving uploads, for tests against a local fake and for proxies; the
   * repository path is appended. Also the host of the `templateUri` output.
   * @default `https://${region}-kfp.pkg.dev`
   */
  readonly endpoint?: string;
  /** Scheme and host of the Artifact Registry REST API. @default "https://artifactregistry.googleapis.com" */
  readonly apiEndpoint?: string;
}

/** Outputs: the inputs as last applied, plus where the template lives. */
export interface KfpTemplateOutputs extends KfpTemplateInputs {
  /** The registry's package, named after the spec's `pipelineInfo.name`. */
  readonly packageName: string;
  /** `sha256:<64 hex>`, the immutable version. */
  readonly version: string;
  /**
   * `https://REGION-kfp.pkg.dev/PROJECT/REPO/PACKAGE/sha256:DIGEST`: what a Vertex AI PipelineJob
   * or Schedule takes as `templateUri`, pinned to these exact bytes.
   */
  readonly templateUri: string;
  /** `…/PACKAGE/VERSION_NAME`: the same version by tag, which moves if the tag is republished. */
  readonly tagUri: string;
  /** `sha256-<first 16 hex of the content's SHA-256>`, also published as a tag. */
  readonly contentHash: string;
  /** Every tag set on the version. */
  readonly tags: readonly string[];
}

export function contentHashOf(content: string): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return `sha256-${createHash("sha256").update(content).digest("hex").slice(0, 16)}`;
}

/** The spec's `pipelineInfo.name`, or a reason it has none. Compiled specs may hold a second YAML document. */
export function pipelineName(content: string): { name?: string; problem?: string } {
  const YAML = require("yaml") as typeof import("yaml");
  try {
    const [first] = YAML.parseAllDocuments(content);
    if (!first || first.errors.length > 0) return { problem: `is not YAML: ${first?.errors[0]?.message ?? "empty document"}` };
    const spec = first.toJS() as { pipelineInfo?: { name?: unknown } } | null;
    const name = spec?.pipelineInfo?.name;
    return typeof name === "string" && name.length > 0 ? { name } : { problem: "has no pipelineInfo.name: is it a compiled KFP pipeline spec?" };
  } catch (err) {
    return { problem: `is not YAML: ${(err as Error).message}` };
  }
}

const REPOSITORY = /^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TAG = /^(?!sha256:)[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const BASE_URL = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export function validateKfpTemplate(inputs: Partial<Record<keyof KfpTemplateInputs, unknown>>): CheckFailure[] {
  const f = failures();
  f.string("project", inputs.project, PROJECT_PATTERN, "a project id or number");
  f.string("region", inputs.region, REGION_PATTERN, "a region such as us-central1");
  f.string("repository", inputs.repository, REPOSITORY, "an Artifact Registry repository id: lowercase letters, digits, -");
  if (f.string("content", inputs.content, /\S/, "the compiled pipeline YAML")) {
    const { problem } = pipelineName(inputs.content);
    if (problem) f.add("content", problem);
  }
  const tagRule = "a tag: letters, digits, . _ -, up to 128, not starting with sha256:";
  f.string("versionName", inputs.versionName, TAG, tagRule);
  const extra = inputs.extraTags;
  if (extra !== undefined && !isUnknown(extra)) {
    if (!Array.isArray(extra)) f.add("extraTags", "must be a list");
    else {
      extra.forEach((t, i) => f.string(`extraTags[${i}]`, t, TAG, tagRule));
      if (extra.includes(inputs.versionName)) f.add("extraTags", `repeats versionName "${String(inputs.versionName)}"`);
    }
  }
  for (const key of ["endpoint", "apiEndpoint"] as const) f.string(key, inputs[key], BASE_URL, "a scheme and host such as https://host[:port], no path", true);
  f.oneOf("credentials", inputs.credentials, ["application-default", "anonymous"] as const, true);
  for (const key of ["endpoint", "apiEndpoint"] as const) {
    const url = inputs[key];
    if (typeof url === "string" && url.startsWith("http:") && inputs.credentials !== "anonymous") {
      f.add(key, `"${url}" is plain HTTP, which would send Google credentials in clear text; use it only with credentials: "anonymous"`);
    }
  }
  f.integer("timeoutMs", inputs.timeoutMs, 1, 3_600_000, true);
  if (inputs.deleteVersionOnDestroy !== undefined && typeof inputs.deleteVersionOnDestroy !== "boolean" && !isUnknown(inputs.deleteVersionOnDestroy)) {
    f.add("deleteVersionOnDestroy", "must be a boolean");
  }
  return f.list;
}
