import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Plan, planJson } from "../lib/plan";
import { renderStacks } from "../infra/testing/fork";
// Not the settings layer's index: this process only lists stack files and starts the renders.
import { listStacks } from "../infra/settings/stack-file";
import { UserError } from "./project";

export interface PlanOptions {
  readonly dir: string;
  readonly stacks?: readonly string[];
  readonly out: string;
  readonly quiet?: boolean;
  /** Reuse a plan rendered from the same files and configuration (default true; `--no-cache`). */
  readonly cache?: boolean;
}

/**
 * Renders stacks and writes `<out>/<stack>.json`. Returns the plans that rendered; throws a
 * `UserError` listing every configuration problem of every stack that did not.
 */
export async function plan(options: PlanOptions): Promise<Plan[]> {
  const stacks = options.stacks?.length ? [...options.stacks] : listStacks(options.dir);
  if (stacks.length === 0) throw new UserError(`no Pulumi.<stack>.yaml in ${options.dir}`);
  const outDir = path.resolve(options.dir, options.out);
  // This command renders once and exits: a single stack renders in this process.
  const replies = await renderStacks(options.dir, stacks, { parallel: os.availableParallelism(), cache: options.cache !== false, inProcess: true });
  const plans: Plan[] = [];
  const failures: string[] = [];
  // The summary (the cost catalog, every capability's summary) and the problems' formatter (the
  // schemas) load only when they are used: `--quiet` renders need neither.
  const { summarize } = options.quiet ? { summarize: undefined } : await import("./summary");
  const { formatProblems } = replies.some((r) => !r.ok && "problems" in r) ? await import("../infra/settings/problems") : { formatProblems: undefined };
  replies.forEach((reply, i) => {
    if (reply.ok) {
      fs.mkdirSync(outDir, { recursive: true });
      const file = path.join(outDir, `${stacks[i]}.json`);
      fs.writeFileSync(file, planJson(reply.plan));
      plans.push(reply.plan);
      if (summarize) console.log(summarize(reply.plan, path.relative(process.cwd(), file) || file));
      if (!options.quiet && reply.cached) console.error(`${stacks[i]}: reused the plan rendered from the same files and configuration (--no-cache renders again)`);
    } else if ("problems" in reply) {
      failures.push(`stack ${stacks[i]}: ${formatProblems!(reply.problems)}`);
    } else {
      throw new Error(`rendering stack ${stacks[i]} failed inside the program (a bug, not a configuration mistake):\n${reply.crash}`);
    }
  });
  if (failures.length) throw new UserError(failures.join("\n"));
  return plans;
}
