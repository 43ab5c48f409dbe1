import { z } from "zod";

/**
 * Google Cloud label rules (https://cloud.google.com/resource-manager/docs/labels-overview):
 * keys start with a lowercase letter, keys and values hold at most 63 lowercase letters, digits,
 * `_` or `-`, and a resource carries at most 64 labels.
 */
export const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
export const MAX_LABELS = 64;

/**
 * The stack's labels also go on Kubernetes objects (models served on GKE), whose label names and
 * values must begin and end with an alphanumeric character
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set):
 * `llmops:labels` holds what both accept.
 */
export const STACK_LABEL_KEY = /^[a-z](?:[a-z0-9_-]{0,61}[a-z0-9])?$/;
export const STACK_LABEL_VALUE = /^(?:[a-z0-9](?:[a-z0-9_-]{0,61}[a-z0-9])?)?$/;

/** Keys the project sets itself on every resource; users may not override them. */
export const RESERVED_LABEL_KEYS = ["environment", "managed-by"] as const;
export const MANAGED_BY = "pulumi-llmops";

/**
 * Keys the project adds to some resources (serving resources get `model` and `model-version`,
 * scheduled pipeline runs `schedule` and `pipeline`): never more than two per resource. Users may
 * not set them either, and leave room for them under the 64-label limit.
 */
export const PROJECT_LABEL_KEYS = ["model", "model-version", "schedule", "pipeline"] as const;
export const PROJECT_LABELS_PER_RESOURCE = 2;

/** How many labels `llmops:labels` may hold: 64, less the reserved ones, less the ones a resource adds. */
export const MAX_STACK_LABELS = MAX_LABELS - RESERVED_LABEL_KEYS.length - PROJECT_LABELS_PER_RESOURCE;

export const labelKey = z
  .string()
  .regex(LABEL_KEY, "a label key must start with a lowercase letter and hold at most 63 lowercase letters, digits, '_' or '-'");

const TAKEN: readonly string[] = [...RESERVED_LABEL_KEYS, ...PROJECT_LABEL_KEYS];

function labelsOf(rules: { key: RegExp; value: RegExp; keyRule: string; valueRule: string; max: number; why: string }) {
  // Values are checked here rather than by the record's value schema, so that a bad key and a bad
  // value in the same map are both reported.
  return z.record(z.string(), z.string()).superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      if (!rules.value.test(value)) {
        ctx.addIssue({ code: "custom", path: [key], message: `label value ${JSON.stringify(value)} is invalid; allowed: ${rules.valueRule}` });
      }
      if (!rules.key.test(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `label key ${JSON.stringify(key)} is invalid; allowed: ${rules.keyRule}` });
      }
      if (TAKEN.includes(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `label key "${key}" is set by the project itself; allowed: any key but ${TAKEN.join(", ")}` });
      }
    }
    if (Object.keys(labels).length > rules.max) {
      ctx.addIssue({ code: "custom", path: [], message: `${Object.keys(labels).length} labels are too many; allowed: at most ${rules.max} (${rules.why})` });
    }
  });
}

/** `llmops:labels`: on every labelable resource, Google's and Kubernetes'. */
export const labelsSchema = labelsOf({
  key: STACK_LABEL_KEY,
  value: STACK_LABEL_VALUE,
  keyRule: "a lowercase letter, then at most 62 lowercase letters, digits, '_' or '-', ending with a letter or digit (Google Cloud and Kubernetes labels)",
  valueRule: "at most 63 lowercase letters, digits, '_' or '-', starting and ending with a letter or digit (Google Cloud and Kubernetes labels)",
  max: MAX_STACK_LABELS,
  why: `Google Cloud allows ${MAX_LABELS} per resource; the project sets ${RESERVED_LABEL_KEYS.join(" and ")}, and up to ${PROJECT_LABELS_PER_RESOURCE} more on serving resources and pipeline runs`,
});

/** A model version's own labels, on its Model Registry upload beside the stack's (Google labels only). */
export const versionLabelsSchema = labelsOf({
  key: LABEL_KEY,
  value: LABEL_VALUE,
  keyRule: "a lowercase letter, then at most 62 lowercase letters, digits, '_' or '-' (Google Cloud labels)",
  valueRule: "at most 63 lowercase letters, digits, '_' or '-' (Google Cloud labels)",
  max: MAX_STACK_LABELS,
  why: `Google Cloud allows ${MAX_LABELS} per resource, with the stack's and the project's own`,
});

/** A value made label-safe: lowercase, invalid characters to `-`, at most 63 characters. */
export function toLabelValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);
}
