import { ACL_TYPES, grantsOf, IAM_TYPES, isPublicPrincipal, publicAclEntities } from "../../lib/iam";
import { ALWAYS_MANDATORY, definePolicy } from "../../types";

/**
 * `allUsers` is anyone on the internet and `allAuthenticatedUsers` anyone with a Google account:
 * neither is ever a customer of this platform. Checked on every IAM member, binding and policy
 * (project, bucket, repository, service account, Vertex endpoint, …) and on legacy ACLs.
 * Mandatory in every environment: dev data leaks as completely as prod data.
 */
export default definePolicy({
  name: "iam-no-public-principals",
  description: "No IAM member, binding, policy or ACL grants anything to allUsers or allAuthenticatedUsers.",
  group: "security",
  severity: "critical",
  mirrors: ["CKV_GCP_28", "AVD-GCP-0001"],
  remediation:
    "Grant the role to the service account or group that needs it (serviceAccount:…, group:…). To serve content publicly, front it with a CDN or signed URLs; for model predictions, give callers an identity and roles/aiplatform.user on the endpoint.",
  enforcement: ALWAYS_MANDATORY,
  resource: {
    types: [...IAM_TYPES, ...ACL_TYPES],
    check(resource) {
      const grants = grantsOf(resource).filter((g) => isPublicPrincipal(g.member));
      const acl = publicAclEntities(resource);
      return [
        ...grants.map((g) => ({ message: `grants ${g.role} to ${g.member}; allowed: named principals (user:, group:, serviceAccount:, principalSet: of one repository)` })),
        ...acl.map((entity) => ({ message: `ACL entity ${entity} makes the data public; allowed: uniform bucket-level access with IAM grants to named principals` })),
      ];
    },
  },
});
