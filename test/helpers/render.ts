import { inject } from "vitest";
import type { Plan } from "../../lib/plan";
import type { WorkerReply, WorkerRequest } from "../../infra/testing/worker";
import { ROOT } from "./project";

/**
 * Renders a stack as `llmops plan` does, in a worker process, through the run's render service
 * (test/setup/render-service.ts): a render another file asked for already, with the same program,
 * stack and configuration, is not repeated; `fresh` renders anyway (as `llmops plan --no-cache`).
 */
export function render(request: Pick<WorkerRequest, "dir" | "stack" | "config"> & { fresh?: boolean }): Promise<WorkerReply> {
  return askService<WorkerReply>("renderService", request);
}

/** Sends `request` to one of the run's services (test/setup/render-service.ts) and returns its answer. */
export async function askService<T>(service: "renderService" | "componentService", request: unknown): Promise<T> {
  const res = await fetch(inject(service), { method: "POST", body: JSON.stringify(request) });
  if (!res.ok) throw new Error(`${service}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** As `render`, for a render that must succeed. */
export async function renderPlan(request: Pick<WorkerRequest, "dir" | "stack" | "config">): Promise<Plan> {
  const reply = await render(request);
  if (!reply.ok) throw new Error(`stack ${request.stack} did not render: ${JSON.stringify(reply)}`);
  return reply.plan;
}

/** The committed stacks' plans, rendered once per test run. */
export async function renderCommitted(...stacks: string[]): Promise<Record<string, Plan>> {
  const plans = await Promise.all(stacks.map((stack) => renderPlan({ dir: ROOT, stack })));
  return Object.fromEntries(stacks.map((stack, i) => [stack, plans[i]]));
}
