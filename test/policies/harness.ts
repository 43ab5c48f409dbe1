import type { PackConfig } from "../../policies/config";
import { stackEnvironment } from "../../policies/environment";
import { policyNamed } from "../../policies/registry";
import { evaluate } from "../../policies/runner";
import type { Finding, PolicyResource, StackView } from "../../policies/types";

/**
 * One scenario for one policy: the resources of a stack (built with fixtures.ts), optionally its
 * outputs, other stacks and policy settings. A passing case must produce no finding; a failing
 * one at least one, each matching `expect` when given.
 */
export interface Case {
  readonly name: string;
  readonly resources: readonly PolicyResource[];
  readonly stack?: string;
  readonly outputs?: Readonly<Record<string, unknown>>;
  readonly otherStacks?: readonly StackView[];
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly expect?: RegExp;
}

export interface PolicyCases {
  readonly pass: readonly Case[];
  readonly fail: readonly Case[];
}

export function findingsOf(policyName: string, c: Case): Finding[] {
  const policy = policyNamed(policyName);
  if (!policy) throw new Error(`no policy named ${policyName}`);
  const stack = c.stack ?? "prod";
  const view: StackView = { stack, environment: stackEnvironment(c.resources, stack), resources: c.resources, outputs: c.outputs };
  const config: PackConfig | undefined = c.settings ? { [policyName]: { ...c.settings } } : undefined;
  return evaluate(policy, view, config, c.otherStacks ?? []);
}

export function view(stack: string, resources: readonly PolicyResource[], outputs?: Readonly<Record<string, unknown>>): StackView {
  return { stack, environment: stackEnvironment(resources, stack), resources, outputs };
}
