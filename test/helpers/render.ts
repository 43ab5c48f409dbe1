import { renderStacks } from "../../infra/testing/fork";
import type { Plan } from "../../lib/plan";
import { ROOT } from "./project";

/** Renders the committed stacks once per test file, each in its own worker process. */
export async function renderCommitted(...stacks: string[]): Promise<Record<string, Plan>> {
  const replies = await renderStacks(ROOT, stacks, 2);
  const plans: Record<string, Plan> = {};
  replies.forEach((reply, i) => {
    if (!reply.ok) throw new Error(`stack ${stacks[i]} did not render: ${JSON.stringify(reply)}`);
    plans[stacks[i]] = reply.plan;
  });
  return plans;
}
