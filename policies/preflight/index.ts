/**
 * Preflight: the plans checked against Google Cloud's apply-time rules, which the mock runtime
 * cannot see (an API enabled before use, a grant before the call that needs it, a metric before
 * the alert on it, the deploying identity's permissions, a provider region). `llmops preflight`,
 * `llmops diff` and CI run it; the tables it reads cite their sources.
 */
import type { Plan } from "../../lib/plan";
import { CheckContext, type PreflightFinding, type PreflightRule, type Requirement } from "./check";
import { PlanGraph } from "./graph";
import { apiEnabled, knownTypes, providerRegion } from "./rules/apis";
import { deployerActAs, deployerPermissions, runsAsGrants } from "./rules/deployer";
import { crdInstalled, inCluster, kmsKeyReady, logMetricFirst, workloadIdentityPool, workloadMetricFirst } from "./rules/existence";
import { initialNodes, modelUploadOrder, scheduleParameterTypes, templateValid } from "./rules/workloads";

export type { PreflightFinding, PreflightRule, PreflightSeverity, Requirement } from "./check";
export { MalformedPlanError, assertPlan } from "./graph";
export { IAM_AS_OF } from "./iam";

export const PREFLIGHT_RULES: readonly PreflightRule[] = [
  knownTypes,
  apiEnabled,
  deployerPermissions,
  deployerActAs,
  runsAsGrants,
  workloadIdentityPool,
  logMetricFirst,
  workloadMetricFirst,
  kmsKeyReady,
  inCluster,
  crdInstalled,
  providerRegion,
  initialNodes,
  templateValid,
  scheduleParameterTypes,
  modelUploadOrder,
];

export interface PreflightResult {
  readonly findings: readonly PreflightFinding[];
  /** Every order a rule required, met or not. */
  readonly requirements: readonly Requirement[];
}

/** Runs every rule over one plan. Findings come sorted by resource, then rule, then message. */
export function preflight(plan: Plan, rules: readonly PreflightRule[] = PREFLIGHT_RULES): PreflightResult {
  const graph = new PlanGraph(plan);
  const findings: PreflightFinding[] = [];
  const requirements: Requirement[] = [];
  for (const rule of rules) {
    const ctx = new CheckContext(graph, rule.id);
    rule.check(ctx);
    findings.push(...ctx.findings);
    requirements.push(...ctx.requirements);
  }
  const key = (f: PreflightFinding) => `${f.urn}\u0000${f.rule}\u0000${f.message}`;
  return { findings: findings.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)), requirements };
}
