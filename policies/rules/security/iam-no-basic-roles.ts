import { grantsOf, IAM_TYPES } from "../../lib/iam";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Owner, Editor and Viewer predate IAM: each carries thousands of permissions across every
 * service, including ones added later. Least privilege needs predefined or custom roles.
 */
const BASIC_ROLES = ["roles/owner", "roles/editor", "roles/viewer"];

export default definePolicy({
  name: "iam-no-basic-roles",
  description: "No IAM grant uses a basic role (roles/owner, roles/editor, roles/viewer) on any resource.",
  group: "security",
  severity: "high",
  mirrors: ["CKV_GCP_115", "CKV_GCP_116", "CKV_GCP_117"],
  remediation:
    "Replace the basic role with the predefined roles the principal needs on the narrowest resource (e.g. roles/storage.objectViewer on one bucket, roles/aiplatform.user on the project). The IAM recommender lists the permissions actually used.",
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: IAM_TYPES,
    check(resource) {
      return grantsOf(resource)
        .filter((g) => BASIC_ROLES.includes(g.role))
        .map((g) => ({ message: `grants basic role ${g.role} to ${g.member}; allowed: predefined or custom roles` }));
    },
  },
});
