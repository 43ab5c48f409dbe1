import { T } from "../../lib/resources";
import { ALWAYS_MANDATORY, definePolicy } from "../../types";

/**
 * A service account key or an HMAC key is a long-lived bearer credential: it works from anywhere
 * until someone remembers to revoke it, and once it is in state or CI logs it is as good as
 * leaked. Deploys here use Workload Identity Federation; workloads use attached identities.
 */
export default definePolicy({
  name: "iam-no-service-account-keys",
  description: "No service account keys and no HMAC keys are created.",
  group: "security",
  severity: "critical",
  mirrors: [],
  remediation:
    "Delete the key resource. CI authenticates with Workload Identity Federation (llmops:ci), workloads with their attached service account (Vertex AI serviceAccount, GKE Workload Identity); for S3-compatible tools, use short-lived tokens.",
  enforcement: ALWAYS_MANDATORY,
  resource: {
    types: [T.serviceAccountKey, T.hmacKey],
    check(resource) {
      const kind = resource.type === T.hmacKey ? "an HMAC key" : "a service account key";
      return [{ message: `creates ${kind}, a long-lived credential; allowed: none (use Workload Identity Federation or attached identities)` }];
    },
  },
});
