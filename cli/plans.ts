import * as fs from "node:fs";
import * as os from "node:os";
import type { Plan } from "../lib/plan";
import { formatProblems } from "../infra/settings/problems";
import { renderStacks } from "../infra/testing/fork";
import { MalformedPlanError, planInputProblems } from "../policies/plan-input";
import { UserError, findProjectDir } from "./project";

/* The plans the checking commands read: rendered now, or files written by `llmops plan`. */

/** A plan file's JSON, or a `UserError` naming the file. */
export function readPlanJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: cannot read the plan: ${(err as Error).message}`);
  }
}

/**
 * A plan file as `llmops plan` writes it; anything else is refused (`MalformedPlanError`, exit
 * code 3) naming the file, each resource and field that is wrong: rules never see it.
 */
export function readPlanFile(file: string): Plan {
  const value = readPlanJson(file);
  const problems = planInputProblems(value, file);
  if (problems.length) throw new MalformedPlanError(problems);
  const plan = value as Plan;
  return { project: String(plan.project ?? ""), stack: plan.stack, resources: plan.resources, defaultProviders: plan.defaultProviders, outputs: plan.outputs ?? {} };
}

/** Renders `stacks`; with `cache` (the default), a plan rendered from the same files and configuration is reused. */
export async function renderedPlans(stacks: readonly string[], cache = true): Promise<Plan[]> {
  const dir = findProjectDir();
  const replies = await renderStacks(dir, stacks, { parallel: os.availableParallelism(), cache });
  const failures: string[] = [];
  const plans: Plan[] = [];
  replies.forEach((reply, i) => {
    if (reply.ok) plans.push(reply.plan);
    else if ("problems" in reply) failures.push(`stack ${stacks[i]}: ${formatProblems(reply.problems)}`);
    else throw new Error(`rendering stack ${stacks[i]} failed inside the program (a bug, not a configuration mistake):\n${reply.crash}`);
  });
  if (failures.length) throw new UserError(failures.join("\n"));
  return plans;
}

