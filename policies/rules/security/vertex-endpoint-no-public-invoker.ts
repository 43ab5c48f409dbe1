import { grantsOf, isPublicPrincipal } from "../../lib/iam";
import { ofType, T } from "../../lib/resources";
import { asString } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * A Vertex AI endpoint is reachable from the internet (or over Private Service Connect) but only
 * serves callers IAM allows. One grant of a predict-capable role to the public, on the endpoint
 * or anywhere above it, turns the model into a free, unauthenticated, unmetered LLM API.
 * This rule reports it against the endpoint it exposes, so the exposure is named, not only the grant.
 */
const ENDPOINT_IAM = /^gcp:vertex\/aiEndpointIam(Member|Binding|Policy):/;
const ANCESTOR_IAM = /^gcp:(projects|organizations|folder)\/iAM(Member|Binding|Policy):/;
/** Predefined roles holding aiplatform.endpoints.predict (basic roles included: they hold everything). */
const PREDICT_ROLES = ["roles/aiplatform.user", "roles/aiplatform.admin", "roles/aiplatform.expressUser", "roles/owner", "roles/editor"];

const lastSegment = (value: string | undefined) => value?.split("/").pop();

function endpointOf(grant: PolicyResource, endpoints: readonly PolicyResource[]): PolicyResource | undefined {
  const id = lastSegment(asString(grant.inputs.endpoint));
  return endpoints.find((e) => lastSegment(asString(e.inputs.name)) === id);
}

export default definePolicy({
  name: "vertex-endpoint-no-public-invoker",
  description: "No Vertex AI endpoint can be invoked by allUsers or allAuthenticatedUsers, through a grant on the endpoint or on its project, folder or organization.",
  group: "security",
  severity: "critical",
  mirrors: [],
  remediation:
    "Remove the public grant. Callers get an identity (a service account, or a group) with roles/aiplatform.user on the endpoint; for callers inside a VPC set llmops:models.<m>.serving.access: private-service-connect.",
  enforcement: DEFAULT_ENFORCEMENT,
  stack: {
    check(resources) {
      const endpoints = ofType(resources, T.endpoint);
      const findings: Finding[] = [];
      for (const grant of resources) {
        const scoped = ENDPOINT_IAM.test(grant.type);
        if (!scoped && !ANCESTOR_IAM.test(grant.type)) continue;
        const exposed = grantsOf(grant).filter((g) => isPublicPrincipal(g.member) && (scoped || PREDICT_ROLES.includes(g.role)));
        if (exposed.length === 0) continue;
        const targets = scoped ? [endpointOf(grant, endpoints)] : endpoints.filter((e) => asString(grant.inputs.project) === undefined || asString(e.inputs.project) === asString(grant.inputs.project));
        for (const g of exposed) {
          for (const endpoint of targets.length ? targets : [undefined]) {
            const what = endpoint ? `endpoint ${endpoint.name}` : scoped ? `endpoint ${asString(grant.inputs.endpoint) ?? "?"}` : "every Vertex AI endpoint below this grant";
            findings.push({ urn: endpoint?.urn ?? grant.urn, message: `${what} can be invoked by ${g.member} through ${grant.name} (${g.role}); allowed: named principals only` });
          }
        }
      }
      return findings;
    },
  },
});
