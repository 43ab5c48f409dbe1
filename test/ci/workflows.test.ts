/** The workflows run the checks that keep a first `pulumi up` from failing. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers/project";

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
}
interface Workflow {
  readonly jobs: Record<string, { readonly steps: readonly Step[] }>;
}

const workflow = (file: string) => parse(fs.readFileSync(path.join(ROOT, ".github/workflows", file), "utf8")) as Workflow;
const indexOf = (steps: readonly Step[], match: (s: Step) => boolean) => steps.findIndex(match);

describe("deploy.yml", () => {
  const deploy = workflow("deploy.yml");

  it.each(["dev", "prod"])("%s: preflight, then the kubeconfig's auth plugin, then pulumi up", (job) => {
    const steps = deploy.jobs[job].steps;
    const preflight = indexOf(steps, (s) => s.run === `npx llmops preflight --stack ${job}`);
    const plugin = indexOf(steps, (s) => /apt-get install .*google-cloud-cli-gke-gcloud-auth-plugin/.test(s.run ?? ""));
    const up = indexOf(steps, (s) => (s.uses ?? "").startsWith("pulumi/actions") && s.with?.command === "up");
    expect(preflight).toBeGreaterThanOrEqual(0);
    expect(plugin).toBeGreaterThan(preflight);
    expect(up).toBeGreaterThan(plugin);
  });
});

describe("pr.yml and .ci/run", () => {
  it("run preflight over every stack", () => {
    expect(workflow("pr.yml").jobs.preflight.steps.some((s) => s.run === "npx llmops preflight")).toBe(true);
    expect(fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8")).toMatch(/^npx llmops preflight --plan \.llmops\/plan\/dev\.json --plan \.llmops\/plan\/prod\.json$/m);
  });
});

describe("rollout-analysis.yml", () => {
  const text = fs.readFileSync(path.join(ROOT, ".github/workflows/rollout-analysis.yml"), "utf8");
  const wf = parse(text) as Workflow & { on: Record<string, unknown>; permissions: Record<string, string> };

  it("runs on a schedule and by hand, with only the permissions it uses", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    expect(wf.permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
  });

  it("authenticates keylessly before analyzing, and turns verdicts into advance or rollback pull requests", () => {
    const steps = wf.jobs.analyze.steps;
    const auth = indexOf(steps, (s) => (s.uses ?? "").startsWith("google-github-actions/auth@"));
    const run = indexOf(steps, (s) => (s.run ?? "").includes("llmops rollout analyze"));
    expect(auth).toBeGreaterThanOrEqual(0);
    expect(run).toBeGreaterThan(auth);
    const script = steps[run].run!;
    expect(script).toMatch(/0\) npx llmops rollout advance "\$model" --stack "\$stack" --evidence/);
    expect(script).toMatch(/1\) npx llmops rollout rollback "\$model" --stack "\$stack"/);
    expect(script).toContain("gh pr edit");
    expect(script).toContain("gh pr create");
    // Every action is pinned by commit.
    for (const s of steps) if (s.uses) expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
  });
});
