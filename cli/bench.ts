import { renderInWorker } from "../infra/testing/fork";
import type { Plan } from "../infra/testing/plan";
import { listStacks } from "../infra/testing/stack-files";
import type { WorkerRequest } from "../infra/testing/worker";
import { UserError } from "./project";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timed(request: WorkerRequest): Promise<{ ms: number; plan: Plan }> {
  const reply = await renderInWorker(request);
  if (!reply.ok) throw new UserError(`stack ${request.stack} did not render: ${"problems" in reply ? JSON.stringify(reply.problems) : reply.crash}`);
  return { ms: reply.ms, plan: reply.plan };
}

/**
 * Renders each stack `runs` times, each in a fresh process, and prints the median time beside
 * two baselines: the same program under the same mocks with nothing captured (so render/program
 * is what the plan machinery adds), and the floor: the bare SDK registering the same resources
 * with no program at all (so program/floor is the program's own work: loading @pulumi/gcp,
 * validating config, compiling pipelines). Runs are sequential so they do not compete for the CPU.
 */
export async function bench(dir: string, runs: number, stacks?: readonly string[]): Promise<void> {
  const names = stacks?.length ? stacks : listStacks(dir);
  console.log(`median of ${runs} runs per stack, each in a fresh process, timed from process start (Node and tsx start-up are in both columns)`);
  console.log(["stack", "resources", "render ms", "per resource", "program ms", "SDK floor ms", "render/program", "render/floor"].join("\t"));
  for (const stack of names) {
    const renders: number[] = [];
    const floors: number[] = [];
    const programs: number[] = [];
    let plan: Plan | undefined;
    for (let i = 0; i < runs; i++) {
      const r = await timed({ dir, stack });
      plan = r.plan;
      renders.push(r.ms);
      floors.push((await timed({ dir, stack, floorOf: plan })).ms);
      programs.push((await timed({ dir, stack, programOnly: true })).ms);
    }
    const render = median(renders);
    const floor = median(floors);
    const program = median(programs);
    const count = plan!.resources.length;
    console.log([stack, count, render.toFixed(0), `${(render / count).toFixed(2)} ms`, program.toFixed(0), floor.toFixed(0), (render / program).toFixed(2), (render / floor).toFixed(2)].join("\t"));
  }
}
