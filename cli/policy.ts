import * as path from "node:path";
import { canonicalJson } from "../lib/json";
import { listStacks } from "../infra/testing/stack-files";
import { loadPackConfig, PolicyConfigError, type PackConfig } from "../policies/config";
import { formatReport, type CheckedStack } from "../policies/report";
import { MalformedPlanError } from "../policies/plan-input";
import { isMandatory, runPolicies, stackView } from "../policies/runner";
import { readPlanFile, renderedPlans } from "./plans";
import { UserError, findProjectDir } from "./project";

export interface PolicyOptions {
  readonly stacks?: readonly string[];
  /** Reuse plans rendered from the same files and configuration (default true; `--no-cache`). */
  readonly cache?: boolean;
  readonly plans?: readonly string[];
  readonly format?: "text" | "json";
  readonly config?: string;
}

/**
 * Renders the stacks (every Pulumi.<stack>.yaml when neither stacks nor plans are given), reads
 * the plan files as they are, checks all of them together and prints the report. Throws a
 * `UserError` (exit 1, no stack trace) when any mandatory policy fails.
 */
export async function policy(options: PolicyOptions): Promise<void> {
  let config: PackConfig | undefined;
  try {
    config = options.config ? loadPackConfig(options.config) : undefined;
  } catch (err) {
    if (err instanceof PolicyConfigError) throw new UserError(err.message);
    throw err;
  }
  const plansGiven = options.plans?.length ?? 0;
  const stacks = options.stacks?.length ? options.stacks : plansGiven ? [] : listStacks(findProjectDir());
  const rendered = stacks.length ? await renderedPlans(stacks, options.cache !== false) : [];
  const files = (options.plans ?? []).map((file) => ({ file, plan: readPlanFile(file) }));
  const plans = [...rendered, ...files.map((f) => f.plan)];
  if (plans.length === 0) throw new UserError("no stack to check: no Pulumi.<stack>.yaml and no --plan");

  let violations;
  try {
    violations = runPolicies(plans, config);
  } catch (err) {
    if (err instanceof MalformedPlanError) throw err;
    // Settings are validated when the file is loaded; this catches values only a rule can refuse.
    throw new UserError((err as Error).message);
  }
  const checked: CheckedStack[] = [
    ...rendered.map((p) => ({ stack: p.stack, environment: stackView(p).environment, source: "rendered" })),
    ...files.map((f) => ({ stack: f.plan.stack, environment: stackView(f.plan).environment, source: path.relative(process.cwd(), f.file) || f.file })),
  ];
  process.stdout.write(options.format === "json" ? canonicalJson({ stacks: checked, violations }) : formatReport(checked, violations));
  const failing = [...new Set(violations.filter(isMandatory).map((v) => v.policy))];
  if (failing.length) throw new UserError(`policy: ${failing.length} mandatory polic${failing.length === 1 ? "y fails" : "ies fail"} (${failing.join(", ")})`);
}
