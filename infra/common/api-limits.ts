import { z } from "zod";

/**
 * Limits of the Google Cloud and Kubernetes APIs on names, display names and labels, each with
 * its source. Configuration checks every string that becomes one of them (and every name derived
 * from one) against these, at the key the user wrote, so a mistake is a config error and never an
 * apply-time failure. Limits counted in "characters" are Unicode characters (code points), not
 * UTF-16 units, as Google counts them.
 */

/** Unicode characters, as Google's "characters" count them (an emoji is one). */
export function charCount(value: string): number {
  return [...value].length;
}

/** C0/C1 control characters (line breaks, tabs, escapes): never part of a one-line name. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export interface DisplayNameLimit {
  /** Maximum length in Unicode characters. */
  readonly max: number;
  /** What the API calls it, for messages. */
  readonly what: string;
  readonly source: string;
}

/**
 * Vertex AI display names: "The name can be up to 128 characters long and can consist of any
 * UTF-8 characters." Model.displayName and Endpoint.displayName
 * (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models,
 * .../projects.locations.endpoints), Schedule.displayName and PipelineJob.displayName
 * (.../projects.locations.schedules, .../projects.locations.pipelineJobs). DeployedModel's has no
 * stated limit; this project's provider holds it to the same (infra/models/providers/endpoint-validate.ts).
 */
export const VERTEX_DISPLAY_NAME: DisplayNameLimit = { max: 128, what: "a Vertex AI display name", source: "Vertex AI REST reference" };

/** Why `value` cannot be a display name under `limit`, or undefined. */
export function displayNameProblem(value: string, limit: DisplayNameLimit): string | undefined {
  if (value.trim() === "") return `is empty; allowed: 1 to ${limit.max} characters (${limit.what})`;
  if (CONTROL.test(value)) return `holds a line break or another control character; allowed: one line of at most ${limit.max} characters (${limit.what})`;
  const n = charCount(value);
  if (n > limit.max) return `is ${n} characters long; allowed: at most ${limit.max} (${limit.what}, ${limit.source})`;
  return undefined;
}

/** A display name the user writes: checked against its API's limit where it is declared. */
export function displayNameSchema(limit: DisplayNameLimit) {
  return z.string().superRefine((value, ctx) => {
    const problem = displayNameProblem(value, limit);
    if (problem) ctx.addIssue({ code: "custom", message: `the display name ${problem}` });
  });
}

/**
 * Kubernetes label values: at most 63 characters, empty or beginning and ending with an
 * alphanumeric character, with `-`, `_`, `.` and alphanumerics between
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set).
 */
export const K8S_LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * Model Armor template ids: letters, digits and hyphens, at most 63 characters, not starting with
 * a hyphen ("Create and manage templates", https://cloud.google.com/model-armor/manage-templates).
 */
export const MODEL_ARMOR_TEMPLATE_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/;

/**
 * Vertex AI Model Registry version aliases: `[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]`
 * (Model.versionAliases, https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.models).
 */
export const VERTEX_VERSION_ALIAS = /^[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]$/;

/**
 * Vertex AI model metadata keys as this project's provider sends them (infra/models/providers/model-version-validate.ts).
 */
export const MODEL_METADATA_KEY = /^[A-Za-z0-9_.-]{1,128}$/;
