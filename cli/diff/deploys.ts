import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { DeployStep } from "./types";

interface Job {
  readonly environment?: string | { readonly name?: string };
  readonly steps?: readonly { readonly uses?: string; readonly with?: Record<string, unknown> }[];
}
interface Workflow {
  readonly env?: Record<string, unknown>;
  readonly jobs?: Record<string, Job>;
}

/** Where the deploy workflow lives, relative to the project folder. */
export const DEPLOY_WORKFLOW = ".github/workflows/deploy.yml";

/**
 * What a merge deploys, read from the deploy workflow: each job with a `pulumi/actions` step whose
 * command is `up` deploys its `stack-name`. Which environments wait for a reviewer is a repository
 * setting the workflow cannot show, so the workflow declares it in `env.APPROVAL_ENVIRONMENTS`
 * (names separated by spaces or commas; keep it equal to the environments with required
 * reviewers). No workflow, or one that cannot be read: no next steps.
 */
export function deploySteps(dir: string): DeployStep[] | undefined {
  let workflow: Workflow;
  try {
    workflow = parse(fs.readFileSync(path.join(dir, DEPLOY_WORKFLOW), "utf8")) as Workflow;
  } catch {
    return undefined;
  }
  const approving = new Set(String(workflow?.env?.APPROVAL_ENVIRONMENTS ?? "").split(/[\s,]+/).filter(Boolean));
  const steps: DeployStep[] = [];
  for (const [job, spec] of Object.entries(workflow?.jobs ?? {})) {
    const environment = typeof spec.environment === "string" ? spec.environment : spec.environment?.name;
    for (const step of spec.steps ?? []) {
      const stack = step.with?.["stack-name"];
      if (!(step.uses ?? "").startsWith("pulumi/actions") || step.with?.command !== "up" || typeof stack !== "string") continue;
      steps.push({ stack, job, ...(environment && { environment }), approval: environment !== undefined && approving.has(environment) });
    }
  }
  return steps.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
}
