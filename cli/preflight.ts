import * as path from "node:path";
import type { Plan } from "../lib/plan";
import { listStacks } from "../infra/testing/stack-files";
import { MalformedPlanError, assertPlan, preflight as runPreflight } from "../policies/preflight";
import { type CheckedPlan, formatJson, formatText } from "../policies/preflight/report";
import { readPlanJson, renderedPlans } from "./plans";
import { UserError, findProjectDir } from "./project";

export interface PreflightOptions {
  readonly stacks?: readonly string[];
  /** Reuse plans rendered from the same files and configuration (default true; `--no-cache`). */
  readonly cache?: boolean;
  readonly plans?: readonly string[];
  readonly format?: "text" | "json";
}

/** Checks one plan; a plan the checker cannot read is the user's to fix, named by its file. */
export function checkPlan(plan: Plan, source: string): CheckedPlan {
  try {
    return { stack: plan.stack, source, findings: runPreflight(plan).findings };
  } catch (err) {
    if (err instanceof MalformedPlanError) throw new UserError(`${source}: ${err.message}`);
    throw err;
  }
}

/**
 * Renders the stacks (every Pulumi.<stack>.yaml when neither stacks nor plans are given) and reads
 * the plan files, checks each against the apply-time rules, prints the report and throws a
 * `UserError` (exit 1) when any finding is an error.
 */
export async function preflightCommandAction(options: PreflightOptions): Promise<void> {
  const plansGiven = options.plans?.length ?? 0;
  const stacks = options.stacks?.length ? options.stacks : plansGiven ? [] : listStacks(findProjectDir());
  const files = (options.plans ?? []).map((file) => {
    try {
      return { file, plan: assertPlan(readPlanJson(file), file) };
    } catch (err) {
      if (err instanceof MalformedPlanError) throw new UserError(err.message);
      throw err;
    }
  });
  const rendered = stacks.length ? await renderedPlans(stacks, options.cache !== false) : [];
  const checked = [...rendered.map((p) => checkPlan(p, "rendered")), ...files.map((f) => checkPlan(f.plan, path.relative(process.cwd(), f.file) || f.file))];
  if (checked.length === 0) throw new UserError("no stack to check: no Pulumi.<stack>.yaml and no --plan");
  process.stdout.write(options.format === "json" ? formatJson(checked) : formatText(checked));
  const errors = checked.reduce((n, c) => n + c.findings.filter((f) => f.severity === "error").length, 0);
  if (errors) throw new UserError(`preflight: ${errors} error${errors === 1 ? "" : "s"}: the first pulumi up would fail (see above)`);
}
