import * as path from "node:path";
import type { Capability, ComponentReply, ComponentRequest } from "../../infra/testing";
import type { ConfigProblem } from "../../infra/settings";
import type { Plan } from "../../lib/plan";
import { ROOT } from "./project";
import { askService } from "./render";

/** The smallest valid stack (one region, nothing optional), which component renders start from. */
export const FIXTURE_STACK = path.join(ROOT, "test/fixtures/Pulumi.fixture.yaml");

/** A committed stack's file, to lay a config over instead of the fixture. */
export const committedStackFile = (stack: string) => path.join(ROOT, `Pulumi.${stack}.yaml`);

/** Renders in the run's render lanes, through the render service (test/setup/render-service.ts). */
const renderInWorker = (request: ComponentRequest) => askService<ComponentReply>("componentService", request);

/**
 * One capability's resources, rendered on the fixture stack (or `stackFile`) with `config` laid over it (stack
 * file keys to values as YAML gives them; each replaces the fixture's key). The test run's
 * render lanes render it, between stacks.
 */
export async function renderComponent(capability: Capability, config: Record<string, unknown> = {}, stackFile = FIXTURE_STACK): Promise<Plan> {
  const reply = await renderInWorker({ capability, dir: ROOT, stackFile, config });
  if (!reply.ok) throw new Error(`the ${capability} component did not render: ${"crash" in reply ? reply.crash : JSON.stringify(reply.problems, null, 1)}`);
  return reply.plan;
}

/** The configuration problems a component render reports (none: it rendered). */
export async function componentProblems(capability: Capability, config: Record<string, unknown>, stackFile = FIXTURE_STACK): Promise<ConfigProblem[]> {
  const reply = await renderInWorker({ capability, dir: ROOT, stackFile, config });
  if (reply.ok) return [];
  if ("crash" in reply) throw new Error(reply.crash);
  return reply.problems;
}
