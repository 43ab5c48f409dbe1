import * as fs from "node:fs";
import * as os from "node:os";
import type { Plan } from "../lib/plan";
import { formatProblems } from "../infra/settings/problems";
import { renderStacks } from "../infra/testing/fork";
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

/** A plan file as `llmops plan` writes it; anything else is refused with the reason. */
export function readPlanFile(file: string): Plan {
  const value = readPlanJson(file);
  const plan = value as Partial<Plan>;
  const resourcesOk = Array.isArray(plan?.resources) && plan.resources.every((r) => r && typeof r.urn === "string" && typeof r.type === "string" && typeof r.name === "string" && typeof r.inputs === "object" && typeof r.options === "object");
  if (typeof plan?.stack !== "string" || !resourcesOk) {
    throw new UserError(`${file}: not an llmops plan file; expected {project, stack, resources: [{urn, type, name, inputs, options}], outputs} as written by llmops plan`);
  }
  return { project: String(plan.project ?? ""), stack: plan.stack, resources: plan.resources ?? [], defaultProviders: plan.defaultProviders, outputs: plan.outputs ?? {} };
}

export async function renderedPlans(stacks: readonly string[]): Promise<Plan[]> {
  const dir = findProjectDir();
  const replies = await renderStacks(dir, stacks, os.availableParallelism());
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

