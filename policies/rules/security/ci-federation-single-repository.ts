import { grantsOf, IAM_TYPES } from "../../lib/iam";
import { T } from "../../lib/resources";
import { asString, at, isOpaque } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * GitHub's OIDC issuer signs tokens for every repository on github.com. A workload identity
 * provider trusting it must pin exactly one repository in its attribute condition, and the
 * impersonation grant must name that repository's principal set, not the whole pool: otherwise
 * any repository (or any in the organisation) can deploy to this project.
 */
const GITHUB = "https://token.actions.githubusercontent.com";
// Conditions may read the token's claims (assertion.*) or the mapped attributes (attribute.*).
const REPO_EQUALS = /(?:assertion|attribute)\.repository(_id)?\s*==\s*(['"])([^'"]+)\2/g;
const REPO_MENTION = /(?:assertion|attribute)\.repository(?:_id)?\b/g;

function provider(resource: PolicyResource): Finding[] {
  const condition = resource.inputs.attributeCondition;
  if (isOpaque(condition)) return [];
  const text = asString(condition)?.trim() ?? "";
  if (text === "") return [{ message: "has no attributeCondition: every identity the issuer signs for can exchange tokens; allowed: a condition pinning one repository" }];
  if (asString(at(resource.inputs, "oidc.issuerUri")) !== GITHUB) return [];
  const equalities = [...text.matchAll(REPO_EQUALS)];
  // The name and the numeric id may both be pinned, each to one value.
  const names = new Set(equalities.filter((m) => !m[1]).map((m) => m[3]));
  const ids = new Set(equalities.filter((m) => m[1]).map((m) => m[3]));
  // Every mention of the repository must be one of those equalities: no startsWith, in [...], matches.
  const mentions = [...text.matchAll(REPO_MENTION)].length;
  const findings: Finding[] = [];
  if (text.includes("||")) findings.push({ message: `attributeCondition ${JSON.stringify(text)} uses ||, which can admit other repositories; allowed: conjunctions (&&) only` });
  if (names.size > 1 || ids.size > 1 || names.size + ids.size === 0 || mentions !== equalities.length) {
    findings.push({ message: `attributeCondition ${JSON.stringify(text)} does not pin exactly one repository; allowed: assertion.repository == "owner/name" (or assertion.repository_id == "<id>")` });
  }
  return findings;
}

/** `principalSet://…/workloadIdentityPools/<pool>/*` is every identity in the pool; `attribute.repository_owner/…` a whole organisation. */
const WHOLE_POOL = /^principalSet:\/\/iam\.googleapis\.com\/projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/(\*|attribute\.repository_owner\/.+)$/;

function grants(resource: PolicyResource): Finding[] {
  return grantsOf(resource)
    .filter((g) => WHOLE_POOL.test(g.member))
    .map((g) => ({ message: `grants ${g.role} to ${g.member}, more than one repository; allowed: principalSet://…/attribute.repository/<owner>/<name>` }));
}

export default definePolicy({
  name: "ci-federation-single-repository",
  description: "Workload identity federation for CI trusts exactly one GitHub repository, in the provider's condition and in the impersonation grant.",
  group: "security",
  severity: "critical",
  mirrors: ["CKV_GCP_125"],
  remediation:
    'Set llmops:ci.github.repository (llmops:platform:CiFederation writes attributeCondition assertion.repository == "owner/name" and grants roles/iam.workloadIdentityUser to …/attribute.repository/owner/name). Restrict branches with llmops:ci.github.branches.',
  enforcement: DEFAULT_ENFORCEMENT,
  resource: {
    types: [T.wifProvider, ...IAM_TYPES],
    check(resource) {
      return resource.type === T.wifProvider ? provider(resource) : grants(resource);
    },
  },
});
