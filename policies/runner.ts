import type { Plan, PlannedResource } from "../lib/plan";
import { configuredSettings, levelFor, settingsFor, type PackConfig } from "./config";
import { resourceEnvironment, stackEnvironment } from "./environment";
import { componentOfUrn, matchesType } from "./lib/resources";
import { POLICIES } from "./registry";
import type { EnforcementLevel, Environment, Finding, Group, Policy, PolicyResource, Severity, StackView } from "./types";

/**
 * The pack's rules over rendered plans, without the Pulumi CLI: what `llmops policy` and
 * `llmops diff` run. Each plan is checked as its own stack; the others are handed to rules that
 * compare stacks (prod's candidate against dev).
 */

export interface Violation {
  readonly policy: string;
  readonly group: Group;
  readonly severity: Severity;
  readonly level: Exclude<EnforcementLevel, "disabled">;
  readonly mirrors: readonly string[];
  readonly remediation: string;
  readonly stack: string;
  readonly environment: Environment;
  /** Absent for findings about the stack as a whole. */
  readonly urn?: string;
  readonly resource?: { readonly type: string; readonly name: string };
  readonly message: string;
}

export function fromPlanned(r: PlannedResource): PolicyResource {
  return { urn: r.urn, type: r.type, name: r.name, inputs: r.inputs, options: { protect: r.options.protect, retainOnDelete: r.options.retainOnDelete }, parentUrn: r.parent ?? undefined, component: componentOfUrn(r.urn) };
}

export function stackView(plan: Plan): StackView {
  const resources = plan.resources.map(fromPlanned);
  return { stack: plan.stack, environment: stackEnvironment(resources, plan.stack), resources, outputs: plan.outputs };
}

/** One policy's findings on one stack, with settings resolved as the pack would resolve them. */
export function evaluate(policy: Policy, view: StackView, config?: PackConfig, otherStacks: readonly StackView[] = []): Finding[] {
  const configured = configuredSettings(policy, config);
  const base = { stack: view.stack, outputs: view.outputs, otherStacks };
  if (policy.stack) {
    return policy.stack.check(view.resources, { ...base, environment: view.environment, settings: settingsFor(policy, view.environment, configured) });
  }
  const check = policy.resource;
  if (!check) return [];
  return view.resources
    .filter((r) => matchesType(check.types, r.type))
    .flatMap((r) => {
      // Per resource, as CrossGuard sees it: the resource's own environment label decides.
      const environment = resourceEnvironment(r);
      return check.check(r, { ...base, environment, settings: settingsFor(policy, environment, configured) }).map((f) => ({ urn: f.urn ?? r.urn, message: f.message }));
    });
}

export function runPolicies(plans: readonly Plan[], config?: PackConfig, policies: readonly Policy[] = POLICIES): Violation[] {
  const views = plans.map(stackView);
  const violations: Violation[] = [];
  views.forEach((view, i) => {
    const others = views.filter((_, j) => j !== i);
    const byUrn = new Map(view.resources.map((r) => [r.urn, r]));
    for (const policy of policies) {
      const level = levelFor(policy, view.environment, config);
      if (level === "disabled") continue;
      for (const f of evaluate(policy, view, config, others)) {
        const r = f.urn ? byUrn.get(f.urn) : undefined;
        violations.push({
          policy: policy.name,
          group: policy.group,
          severity: policy.severity,
          level,
          mirrors: policy.mirrors,
          remediation: policy.remediation,
          stack: view.stack,
          environment: view.environment,
          ...(f.urn && { urn: f.urn }),
          ...(r && { resource: { type: r.type, name: r.name } }),
          message: f.message,
        });
      }
    }
  });
  return violations.sort(compareViolations);
}

function compareViolations(a: Violation, b: Violation): number {
  return a.policy.localeCompare(b.policy) || a.stack.localeCompare(b.stack) || (a.urn ?? "").localeCompare(b.urn ?? "") || a.message.localeCompare(b.message);
}

export const isMandatory = (v: Violation) => v.level === "mandatory";
