import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { RACY_MS } from "../../infra/common/file-identity";
import { RenderLane } from "../../infra/testing/fork";
import type { WorkerReply } from "../../infra/testing/render-request";
import type { Plan } from "../../lib/plan";
import { ROOT } from "../helpers/project";
import { renderCommitted } from "../helpers/render";

/**
 * A render lane keeps the project's modules loaded between renders (infra/testing/worker.ts) and
 * runs the program's entry again for each stack; a module whose file changed is never reused.
 * A small program of its own counts, in process globals, how often each of its modules ran.
 */
const HEAD = "config:\n  gcp:project: acme-llmops-dev\n  llmops:environment: dev\n";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-lane-"));
const lane = new RenderLane(10);
afterAll(() => {
  lane.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const files: Record<string, string> = {
  "Pulumi.yaml": "name: lanetest\nruntime: nodejs\nmain: index.ts\n",
  "Pulumi.a.yaml": `${HEAD}  llmops:regions: [us-central1]\n`,
  "Pulumi.b.yaml": `${HEAD}  llmops:regions: [europe-west4]\n`,
  "counter.ts": "const g = globalThis as { counterLoads?: number };\ng.counterLoads = (g.counterLoads ?? 0) + 1;\nexport const counterLoads = (): number => g.counterLoads ?? 0;\n",
  "index.ts": [
    'import * as pulumi from "@pulumi/pulumi";',
    'import { counterLoads } from "./counter";',
    "const g = globalThis as { entryRuns?: number };",
    "g.entryRuns = (g.entryRuns ?? 0) + 1;",
    'export const regions = pulumi.runtime.allConfig()["llmops:regions"];',
    "export const runs = { counter: counterLoads(), entry: g.entryRuns };",
    "",
  ].join("\n"),
};
for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
const written = Date.now();

const planOf = (reply: WorkerReply) => {
  if (!reply.ok) throw new Error(JSON.stringify(reply));
  return reply.plan;
};
const outputsOf = (reply: WorkerReply) => planOf(reply).outputs;
/** A plan as a line per resource (and one for the rest), so that a failure shows the resources that differ. */
const lines = (plan: Plan): string[] => {
  const { resources, ...rest } = plan;
  return [JSON.stringify(rest), ...resources.map((r) => JSON.stringify(r))];
};

describe("a render lane's loaded modules", () => {
  it("give the real program's plans byte for byte as a fresh load does, after another stack", async () => {
    // GIVEN prod rendered by the project loaded afresh (the lane's first request)
    const fresh = await lane.render({ dir: ROOT, stack: "prod" });
    // WHEN dev, then prod again, render from the modules kept
    const dev = await lane.render({ dir: ROOT, stack: "dev" });
    const again = await lane.render({ dir: ROOT, stack: "prod" });
    // THEN each plan is the one a fresh load gives
    expect(lines(planOf(again))).toEqual(lines(planOf(fresh)));
    expect(lines(planOf(dev))).toEqual(lines((await renderCommitted("dev")).dev));
  });

  it("are kept from stack to stack, the entry run again with each stack's configuration, and loaded afresh once a file changes", async () => {
    // GIVEN the program's files older than the lane's doubt (a file changed within RACY_MS of a
    // render may have changed after its module read it: infra/common/file-identity.ts, racy);
    // the test above usually took that long
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, written + RACY_MS + 100 - Date.now())));
    // WHEN stack a, then stack b render in the same lane
    // THEN the counter module ran once, the entry twice, each time with its stack's configuration
    expect(outputsOf(await lane.render({ dir, stack: "a" }))).toEqual({ regions: '["us-central1"]', runs: { counter: 1, entry: 1 } });
    expect(outputsOf(await lane.render({ dir, stack: "b" }))).toEqual({ regions: '["europe-west4"]', runs: { counter: 1, entry: 2 } });
    // WHEN a module's file changes (a comment), THEN the project is loaded afresh: its text is read again
    fs.appendFileSync(path.join(dir, "counter.ts"), "// edited\n");
    expect(outputsOf(await lane.render({ dir, stack: "a" }))).toEqual({ regions: '["us-central1"]', runs: { counter: 2, entry: 3 } });
  });
});
