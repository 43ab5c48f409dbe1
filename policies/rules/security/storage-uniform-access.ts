import { T } from "../../lib/resources";
import { isOpaque, show } from "../../lib/values";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * With uniform bucket-level access, IAM alone decides who reads objects: no per-object ACL can
 * quietly grant more than the bucket's policy shows, and policies here can see every grant.
 */
export default definePolicy({
  name: "storage-uniform-access",
  description: "Cloud Storage buckets use uniform bucket-level access (IAM only, no object ACLs).",
  group: "security",
  severity: "medium",
  mirrors: ["CKV_GCP_29", "AVD-GCP-0002"],
  remediation: "Set uniformBucketLevelAccess: true on the bucket and grant access with bucket IAM members (llmops:platform:ServiceAccounts grants per bucket and role).",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.bucket],
    check(bucket) {
      const value = bucket.inputs.uniformBucketLevelAccess;
      if (value === true || isOpaque(value)) return [];
      return [{ message: `uniformBucketLevelAccess is ${show(value)}; allowed: true` }];
    },
  },
});
