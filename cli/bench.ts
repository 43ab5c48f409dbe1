import { listStacks, renderInWorker, type Plan } from "../infra/testing";
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
 * Renders each stack `runs` times, each in a fresh process, and prints the median in-process
 * time beside the floor: the bare SDK registering the same resources under the same mocks.
 * Runs are sequential so they do not compete for the CPU.
 */
export async function bench(dir: string, runs: number, stacks?: readonly string[]): Promise<void> {
  const names = stacks?.length ? stacks : listStacks(dir);
  console.log(`median of ${runs} runs per stack, each in a fresh process, timed from process start (Node and tsx start-up are in both columns)`);
  console.log(["stack", "resources", "render ms", "per resource", "SDK floor ms", "ratio"].join("\t"));
  for (const stack of names) {
    const renders: number[] = [];
    const floors: number[] = [];
    let plan: Plan | undefined;
    for (let i = 0; i < runs; i++) {
      const r = await timed({ dir, stack });
      plan = r.plan;
      renders.push(r.ms);
      floors.push((await timed({ dir, stack, floorOf: plan })).ms);
    }
    const render = median(renders);
    const floor = median(floors);
    const count = plan!.resources.length;
    console.log([stack, count, render.toFixed(0), `${(render / count).toFixed(2)} ms`, floor.toFixed(0), (render / floor).toFixed(2)].join("\t"));
  }
}
