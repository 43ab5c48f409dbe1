import { T } from "../../lib/resources";
import { isOpaque, show } from "../../lib/values";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Public access prevention makes Cloud Storage refuse `allUsers`/`allAuthenticatedUsers` on the
 * bucket and its objects, whatever IAM or ACL change comes later. `inherited` (the default) only
 * protects when an org policy happens to enforce it.
 */
export default definePolicy({
  name: "storage-public-access-prevention",
  description: "Cloud Storage buckets enforce public access prevention.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_GCP_114"],
  remediation:
    'Set publicAccessPrevention: "enforced" on the bucket (llmops:platform:Buckets does for every platform bucket). Data meant for the public goes through a CDN or signed URLs, not a public bucket.',
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.bucket],
    check(bucket) {
      const value = bucket.inputs.publicAccessPrevention;
      if (value === "enforced" || isOpaque(value)) return [];
      return [{ message: `publicAccessPrevention is ${show(value)}; allowed: "enforced"` }];
    },
  },
});
