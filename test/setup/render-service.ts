/**
 * Global setup: one render service for the whole test run. Test files ask it for plans
 * (test/helpers/render.ts) and component renders (test/helpers/component.ts) instead of forking
 * their own workers, so that each distinct render happens once per run: the committed stacks,
 * which most files read, and the variants several
 * files share (dev at the partial stage, …). Renders run in worker processes as `llmops plan`
 * runs them, at most one per core, so files waiting for plans do not starve the others.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { TestProject } from "vitest/node";
import type { ComponentRequest } from "../../infra/testing/component";
import { RenderLane, rendererIdentity, withPlanCache } from "../../infra/testing/fork";
import { cacheKey } from "../../infra/testing/plan-cache";
import { readProjectFile, readStackFile } from "../../infra/testing/stack-files";
import type { ComponentReply, WorkerReply, WorkerRequest } from "../../infra/testing/render-request";

declare module "vitest" {
  export interface ProvidedContext {
    /** Where test/helpers/render.ts sends render requests. */
    renderService: string;
    /** Where test/helpers/component.ts sends component render requests. */
    componentService: string;
  }
}

/**
 * For a project the plan cache cannot key by content (a folder it cannot read): two requests
 * render the same plan when they run the same program (the real path of its entry point) on the
 * same stack with the same configuration. Anything unreadable keys by its folder: the render reports it.
 */
function keyOf(request: WorkerRequest): string {
  const dir = fs.realpathSync(request.dir);
  const project = readProjectFile(dir);
  const stackFile = project.ok ? readStackFile(dir, request.stack, project.value) : undefined;
  const identity =
    project.ok && stackFile?.ok
      ? { program: fs.realpathSync(path.resolve(dir, project.value.main)), project: project.value.name, stack: request.stack, config: request.config ?? stackFile.value.config, secretKeys: stackFile.value.secretKeys }
      : { dir, stack: request.stack, config: request.config ?? null };
  return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const renders = new Map<string, Promise<WorkerReply>>();
  // One lane per core: each renders one request after another in one process (see RenderLane).
  // A lane's process grows ~20 MB a stack render (~8 MB a component's) and starting one costs
  // seconds of CPU: a run's ~37 stacks and ~31 components in two lanes of at most 40 renders each
  // start none again (24 started two more near the end, ~8 s of CPU).
  const lanes = Array.from({ length: os.availableParallelism() }, () => new RenderLane(40));
  // The others open once the first has rendered: on a clean clone a lane's first render fills the
  // caches a render reads (the transpiled project, the providers' serialised code: ~3 s of CPU),
  // which two lanes starting together both paid.
  const idle = lanes.slice(0, 1);
  const unopened = lanes.slice(1);
  const waiting: ((lane: RenderLane) => void)[] = [];
  const acquire = () => new Promise<RenderLane>((take) => (idle.length ? take(idle.pop()!) : waiting.push(take)));
  const release = (lane: RenderLane) => {
    for (const ready of [lane, ...unopened.splice(0)]) {
      if (waiting.length) waiting.shift()!(ready);
      else idle.push(ready);
    }
  };

  const renderer = rendererIdentity();
  const renderComponent = (request: ComponentRequest): Promise<ComponentReply> => acquire().then((lane) => lane.renderComponent(request).finally(() => release(lane)));
  const renderFresh = (request: WorkerRequest): Promise<WorkerReply> =>
    acquire().then((lane) => lane.render({ dir: request.dir, stack: request.stack, config: request.config }).finally(() => release(lane)));

  const render = (request: WorkerRequest & { fresh?: boolean }): Promise<WorkerReply> => {
    // `llmops … --no-cache` from a command run in process: a render of its own.
    if (request.fresh) return renderFresh(request);
    // Keyed by content where the project can be read: a test that edits a copy's program files
    // between two commands gets a new render, as `llmops plan` would.
    const diskKey = cacheKey(request, renderer);
    const key = diskKey ?? keyOf(request);
    let reply = renders.get(key);
    if (!reply) {
      // As `llmops plan` does: a plan rendered before (by an earlier run, or by `llmops plan` in
      // .ci/run) from the same files and configuration is reused (infra/testing/plan-cache.ts).
      reply = withPlanCache(request, renderer, () => renderFresh(request), diskKey);
      renders.set(key, reply);
    }
    return reply;
  };

  // A plan is megabytes of JSON, and many files ask for the same: written out once per reply.
  const texts = new WeakMap<object, string>();
  const text = (reply: object): string => {
    let json = texts.get(reply);
    if (json === undefined) texts.set(reply, (json = JSON.stringify(reply)));
    return json;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let request: unknown;
      try {
        request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch (err) {
        res.writeHead(400).end(String(err));
        return;
      }
      // Components render in the lanes, between stacks (RenderLane.renderComponent), not in a
      // worker per test process, each of which loaded the SDK and the program again, nor in a
      // process of their own (~3 s of CPU to start); each request renders (none is reused: a test
      // compares two renders).
      const answer = req.url === "/component" ? () => renderComponent(request as ComponentRequest) : () => render(request as WorkerRequest & { fresh?: boolean });
      Promise.resolve().then(answer).then(
        // One request per connection: a request on an idle kept-alive connection the server is closing fails.
        (reply) => res.writeHead(200, { "content-type": "application/json", connection: "close" }).end(text(reply)),
        (err: unknown) => res.writeHead(500).end(err instanceof Error ? (err.stack ?? err.message) : String(err)),
      );
    });
  });
  // A test may wait minutes for a queued render on a loaded machine: no server-side timeout.
  server.requestTimeout = 0;
  server.headersTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  // Most files read the committed stacks' plans: render them now, while Vitest starts its workers
  // and loads the first files (a cold run's first seconds use one core of two), not when the first
  // file asks. From the plan cache when it holds them; a run that reads no plan only spent the work.
  const root = path.resolve(__dirname, "../..");
  for (const file of fs.readdirSync(root).sort()) {
    const stack = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
    // The request that reads it gets the reply, or the failure, from the map.
    if (stack) render({ dir: root, stack }).catch(() => undefined);
  }

  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  project.provide("renderService", `${origin}/render`);
  project.provide("componentService", `${origin}/component`);
  return () =>
    new Promise<void>((done) => {
      for (const lane of lanes) lane.close();
      server.close(() => done());
      server.closeAllConnections();
    });
}
