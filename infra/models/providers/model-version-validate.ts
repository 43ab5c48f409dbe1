import { connectionProblems } from "./connection";
import { ModelVersionInputs, versionAliasFor } from "./model-version-types";
import { CheckFailure, Failures, failures, PROJECT_PATTERN, REGION_PATTERN, isUnknown } from "../../common/providers/validation";

const MODEL_ID = /^[a-z_][a-z0-9_-]{0,62}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const GCS_URI = /^gs:\/\/[a-z0-9][a-z0-9._-]{1,220}[a-z0-9](\/.*)?$/;
const PINNED_IMAGE = /^[^\s@]+@sha256:[0-9a-f]{64}$/;
const ALIAS = /^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]$/;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ROUTE = /^\/[^\s]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkStringMap(f: Failures, property: string, value: unknown, key: RegExp, val: RegExp, what: string): void {
  if (value === undefined || isUnknown(value)) return;
  if (!isRecord(value)) return f.add(property, "must be a map of strings");
  for (const [k, v] of Object.entries(value)) {
    if (!key.test(k)) f.add(`${property}.${k}`, `key "${k}" is invalid; expected ${what}`);
    f.string(`${property}.${k}`, v, val, `a value matching ${val}`);
  }
}

function checkContainer(f: Failures, value: unknown): void {
  if (isUnknown(value)) return;
  if (!isRecord(value)) return f.add("container", "is required: { imageUri, args?, env?, ports?, healthRoute?, predictRoute? }");
  f.string("container.imageUri", value.imageUri, PINNED_IMAGE, "an image pinned by digest (…@sha256:<64 hex>): a tag can move under a released version");
  if (value.args !== undefined && !isUnknown(value.args)) {
    if (!Array.isArray(value.args)) f.add("container.args", "must be a list of strings");
    else value.args.forEach((a, i) => f.string(`container.args[${i}]`, a, /^[\s\S]*$/, "a string"));
  }
  checkStringMap(f, "container.env", value.env, ENV_NAME, /^[\s\S]*$/, "an environment variable name");
  if (value.ports !== undefined && !isUnknown(value.ports)) {
    if (!Array.isArray(value.ports)) f.add("container.ports", "must be a list of port numbers");
    else value.ports.forEach((p, i) => f.integer(`container.ports[${i}]`, p, 1, 65535));
  }
  f.string("container.healthRoute", value.healthRoute, ROUTE, "a path starting with /", true);
  f.string("container.predictRoute", value.predictRoute, ROUTE, "a path starting with /", true);
}

export function validateModelVersion(inputs: Partial<Record<keyof ModelVersionInputs, unknown>>): CheckFailure[] {
  const f = failures();
  f.string("project", inputs.project, PROJECT_PATTERN, "a project id or number");
  f.string("region", inputs.region, REGION_PATTERN, "a region such as us-central1");
  f.string("modelId", inputs.modelId, MODEL_ID, "[a-z0-9_-], up to 63 characters, starting with a letter or _");
  f.string("displayName", inputs.displayName, /^.{1,128}$/, "1-128 characters");
  if (f.string("version", inputs.version, SEMVER, "a semantic version such as 1.2.0 or 1.3.0-rc.1") && !ALIAS.test(versionAliasFor(inputs.version))) {
    f.add("version", `"${inputs.version}" is too long for a version alias (128 characters)`);
  }
  f.string("artifactUri", inputs.artifactUri, GCS_URI, "a Cloud Storage URI gs://bucket/path");
  checkContainer(f, inputs.container);

  const aliases = inputs.versionAliases;
  if (aliases !== undefined && !isUnknown(aliases)) {
    if (!Array.isArray(aliases)) f.add("versionAliases", "must be a list");
    else {
      aliases.forEach((a, i) => f.string(`versionAliases[${i}]`, a, ALIAS, "[a-z][a-zA-Z0-9-]{0,126}[a-z0-9] (not numeric, no - prefix)"));
      for (const dup of new Set(aliases.filter((a, i) => aliases.indexOf(a) !== i))) f.add("versionAliases", `"${String(dup)}" is listed twice`);
    }
  }
  if (isRecord(inputs.labels) && Object.keys(inputs.labels).length > 64) f.add("labels", "at most 64 labels are allowed");
  checkStringMap(f, "labels", inputs.labels, LABEL_KEY, LABEL_VALUE, "a label key: lowercase letter, then [a-z0-9_-], up to 63");
  f.string("description", inputs.description, /^[\s\S]{0,2048}$/, "at most 2048 characters", true);
  checkStringMap(f, "metadata", inputs.metadata, /^[A-Za-z0-9_.-]{1,128}$/, /^[\s\S]*$/, "[A-Za-z0-9_.-], up to 128 characters");
  for (const [property, reason] of connectionProblems(inputs as ModelVersionInputs)) f.add(property, reason);
  return f.list;
}
