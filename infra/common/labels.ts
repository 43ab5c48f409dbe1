import { z } from "zod";

/**
 * Google Cloud label rules (https://cloud.google.com/resource-manager/docs/labels-overview):
 * keys start with a lowercase letter, keys and values hold at most 63 lowercase letters, digits,
 * `_` or `-`, and a resource carries at most 64 labels.
 */
export const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
export const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
export const MAX_LABELS = 64;

/** Keys the project sets itself on every resource; users may not override them. */
export const RESERVED_LABEL_KEYS = ["environment", "managed-by"] as const;
export const MANAGED_BY = "pulumi-llmops";

export const labelKey = z
  .string()
  .regex(LABEL_KEY, "a label key must start with a lowercase letter and hold at most 63 lowercase letters, digits, '_' or '-'");

// Values are checked here rather than by the record's value schema, so that a bad key and a bad
// value in the same map are both reported.
export const labelsSchema = z
  .record(z.string(), z.string())
  .superRefine((labels, ctx) => {
    for (const [key, value] of Object.entries(labels)) {
      if (!LABEL_VALUE.test(value)) {
        ctx.addIssue({ code: "custom", path: [key], message: `label value ${JSON.stringify(value)} is invalid; allowed: at most 63 lowercase letters, digits, '_' or '-'` });
      }
      if (!LABEL_KEY.test(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `label key "${key}" is invalid; allowed: a lowercase letter, then at most 62 lowercase letters, digits, '_' or '-'`,
        });
      }
      if ((RESERVED_LABEL_KEYS as readonly string[]).includes(key)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `label key "${key}" is set by the project itself; allowed: any other key`,
        });
      }
    }
    if (Object.keys(labels).length > MAX_LABELS - RESERVED_LABEL_KEYS.length) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `${Object.keys(labels).length} labels are too many; allowed: at most ${MAX_LABELS - RESERVED_LABEL_KEYS.length} (Google Cloud allows ${MAX_LABELS}, the project sets ${RESERVED_LABEL_KEYS.length})`,
      });
    }
  });

/** A value made label-safe: lowercase, invalid characters to `-`, at most 63 characters. */
export function toLabelValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, "-").slice(0, 63);
}
