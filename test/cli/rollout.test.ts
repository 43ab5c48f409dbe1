import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffStack } from "../../cli/diff/report";
import { UserError } from "../../cli/project";
import { promote } from "../../cli/promote";
import { rolloutAdvance, rolloutFinish, rolloutRollback } from "../../cli/rollout";
import { STACK_TRACE, changedLines, committedProject, llmops, removeProjects, renderTo, stackFile } from "./cli";

afterAll(removeProjects);

const MODEL = "support-assistant";
// Recorded Cloud Monitoring responses of a healthy dev canary (test/rollout): advance's gates pass.
const HEALTHY = path.join(__dirname, "../rollout/fixtures/vertex-healthy.json");
const write = (dir: string, stack: string, text: string) => fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
const atStage = (text: string, stage: string) => text.replace(/^( {8}stage: )\w+$/m, `$1${stage}`);

/** A project whose prod has 1.3.0 in flight at canary (promoted from a fully rolled-out dev). */
function prodInFlight(): string {
  const dir = committedProject();
  write(dir, "dev", atStage(stackFile(dir, "dev"), "full"));
  promote({ dir, model: MODEL, version: "1.3.0", from: "dev", to: "prod" });
  return dir;
}

/** The same refusal in-process (the CLI prints a UserError's message alone: see the table below). */
function expectUserError(dir: string, run: () => unknown, message: string): void {
  const before = [stackFile(dir, "dev"), stackFile(dir, "prod")];
  expect(run).toThrow(UserError);
  expect(run).toThrow(message);
  expect([stackFile(dir, "dev"), stackFile(dir, "prod")]).toEqual(before);
}

async function expectRefused(dir: string, args: string[], message: RegExp | string): Promise<void> {
  const before = [stackFile(dir, "dev"), stackFile(dir, "prod")];
  const run = await llmops(dir, ...args);
  expect(run.code, run.stdout).toBe(1);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect([stackFile(dir, "dev"), stackFile(dir, "prod")]).toEqual(before);
}

describe("llmops rollout status", () => {
  it("shows the stage in its list, the traffic and what to run next", async () => {
    const run = await llmops(committedProject(), "rollout", "status", MODEL, "--stack", "dev");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("support-assistant in dev (vertex, us-central1)");
    expect(run.stdout).toContain("stages     [canary 10%] → partial 50% → full 100%");
    expect(run.stdout).toContain("traffic    1.2.0 90%, 1.3.0 10%");
    expect(run.stdout).toContain("llmops rollout advance support-assistant --stack dev   (to partial 50%)");
  });
});

describe("llmops rollout advance", () => {
  it("outside prod, may jump to a later stage with --to, editing one line", async () => {
    const dir = committedProject();
    const before = stackFile(dir, "dev");
    const run = await llmops(dir, "rollout", "advance", MODEL, "--stack", "dev", "--to", "full", "--evidence", HEALTHY);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("support-assistant in dev: 1.3.0 canary 10% → full 100%; stable 1.2.0 keeps 0% (gates passed)");
    expect(changedLines(before, stackFile(dir, "dev"))).toEqual({ removed: ["        stage: canary"], added: ["        stage: full"] });
  });

  it("in prod, never skips a stage", async () => {
    const dir = prodInFlight();
    await expectRefused(dir, ["rollout", "advance", MODEL, "--stack", "prod", "--to", "full"], "prod never skips a stage: support-assistant 1.3.0 is at canary, so the next stage is partial");
  }, 120_000);

  it("prints the edit without writing it on --dry-run", async () => {
    const dir = committedProject();
    const before = stackFile(dir, "dev");
    const run = await llmops(dir, "rollout", "advance", MODEL, "--stack", "dev", "--dry-run", "--evidence", HEALTHY);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("-        stage: canary\n+        stage: partial");
    expect(run.stdout).toContain("Dry run: nothing was written.");
    expect(stackFile(dir, "dev")).toBe(before);
  });
});

describe("llmops rollout rollback, then a retry", () => {
  it("sets the stage to rollback, refuses a plain advance, and retries from the first stage with --to", async () => {
    const dir = prodInFlight();
    const before = stackFile(dir, "prod");
    const back = await llmops(dir, "rollout", "rollback", MODEL, "--stack", "prod");
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain("1.3.0 rolled back from canary 10%; stable 1.2.0 takes 100% again (1.3.0 stays deployed without traffic)");
    expect(changedLines(before, stackFile(dir, "prod"))).toEqual({ removed: ["        stage: canary"], added: ["        stage: rollback"] });

    const o = { dir, stack: "prod", model: MODEL };
    expectUserError(dir, () => rolloutRollback(o), "support-assistant 1.3.0 is already rolled back in prod");
    expectUserError(dir, () => rolloutAdvance(o), "To retry it from the first stage: llmops rollout advance support-assistant --stack prod --to canary");
    expectUserError(dir, () => rolloutAdvance({ ...o, to: "partial" }), "prod never skips a stage");
    expectUserError(dir, () => rolloutFinish(o), "a rolled-back candidate cannot become stable");

    rolloutAdvance({ ...o, to: "canary" });
    expect(stackFile(dir, "prod")).toBe(before);
  }, 120_000);
});

describe("llmops rollout finish", () => {
  it("makes the fully rolled-out candidate stable, stamps it released, and leaves the old version in versions but undeployed", async () => {
    const dir = committedProject();
    write(dir, "dev", atStage(stackFile(dir, "dev"), "full"));
    const before = stackFile(dir, "dev");
    const plans = fs.mkdtempSync(path.join(dir, "plans-"));
    const full = await renderTo(dir, "dev", path.join(plans, "full.json"));

    const run = await llmops(dir, "rollout", "finish", MODEL, "--stack", "dev");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("support-assistant in dev: 1.3.0 is now stable (100%); 1.2.0 is undeployed and stays in versions");
    const { added, removed } = changedLines(before, stackFile(dir, "dev"));
    // The comment above `candidate` described the candidate, so it goes with it.
    expect(removed).toEqual(['        stable: "1.2.0"', "        # 1.3.0 is being tried on a tenth of dev traffic.", '        candidate: "1.3.0"', "        stage: full"]);
    expect(added).toHaveLength(2);
    expect(added[0]).toMatch(/^ {10}released: sha256:[0-9a-f]{16}$/);
    expect(added[1]).toBe('        stable: "1.3.0"');

    const finished = await renderTo(dir, "dev", path.join(plans, "finished.json"));
    const deployment = finished.resources.find((r) => r.type === "pulumi-nodejs:dynamic/vertex:EndpointDeployment")!;
    expect((deployment.inputs.deployments as { displayName: string }[]).map((d) => d.displayName)).toEqual(["support-assistant-1.3.0"]);
    expect(finished.resources.some((r) => r.name === "model-support-assistant-us-central1-1.2.0")).toBe(true);
    const d = diffStack("dev", full, finished);
    expect(d.models[0].sentences).toEqual(["support-assistant, dev: 1.3.0 becomes stable in us-central1, finishing its rollout from full 100%; 1.2.0 is undeployed"]);
    expect(d.models[0].split).toEqual([
      { region: "us-central1", version: "1.3.0", role: "stable", before: 100, after: 100 },
      { region: "us-central1", version: "1.2.0", role: "undeployed", before: 0, after: null },
    ]);
  }, 180_000);
});

describe("llmops rollout refuses, with a clear message and without touching the file", () => {
  it.each<[string, (dir: string) => void, string[], RegExp | string]>([
    ["an unknown model", () => undefined, ["advance", "support", "--stack", "dev"], /unknown model "support" in Pulumi\.dev\.yaml; models there: support-assistant/],
    ["an unknown stack", () => undefined, ["advance", MODEL, "--stack", "staging"], /unknown stack "staging": no Pulumi\.staging\.yaml in .*; stacks here: dev, prod/],
    ["advance at the last stage", (dir) => write(dir, "dev", atStage(stackFile(dir, "dev"), "full")), ["advance", MODEL, "--stack", "dev"], "support-assistant 1.3.0 is already fully rolled out in dev (full 100%); make it stable with llmops rollout finish support-assistant --stack dev"],
    ["finish before the last stage", () => undefined, ["finish", MODEL, "--stack", "dev"], "support-assistant 1.3.0 is at canary 10% in dev, not fully rolled out; finish needs full 100%. Advance it first (2 more stages): llmops rollout advance support-assistant --stack dev"],
    ["advance without a candidate", () => undefined, ["advance", MODEL, "--stack", "prod"], /cannot advance support-assistant in prod: no candidate in flight \(stable 1\.2\.0 serves 100%, no candidate\)\. Start one with `llmops promote support-assistant VERSION --from SOURCE --to prod`/],
    ["rollback without a candidate", () => undefined, ["rollback", MODEL, "--stack", "prod"], "cannot roll back support-assistant in prod: no candidate in flight"],
    ["an unknown stage", () => undefined, ["advance", MODEL, "--stack", "dev", "--to", "ful"], "unknown stage \"ful\" for support-assistant in dev; stages: canary 10% → partial 50% → full 100%"],
    ["a stage behind the current one", (dir) => write(dir, "dev", atStage(stackFile(dir, "dev"), "partial")), ["advance", MODEL, "--stack", "dev", "--to", "canary"], "stage canary is not ahead of partial; advance only moves forward"],
    ["a stack file that is invalid already", (dir) => write(dir, "dev", stackFile(dir, "dev").replace("llmops:environment: dev", "llmops:environment: qa")), ["advance", MODEL, "--stack", "dev"], /Pulumi\.dev\.yaml is invalid; fix it before advancing its rollout\.\nInvalid stack configuration \(1 problem\)/],
  ])("%s", async (_what, prepare, args, message) => {
    const dir = committedProject();
    prepare(dir);
    await expectRefused(dir, ["rollout", ...args], message);
  });
});
