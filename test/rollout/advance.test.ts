/** `llmops rollout advance` moves a stage only on passing evidence, or on a recorded --force. */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze } from "../../cli/analysis/analyze";
import { readRecorded } from "../../cli/analysis/command";
import { UserError } from "../../cli/project";
import { rolloutAdvance, rolloutFinish, rolloutRollback } from "../../cli/rollout";
import { StackFileEdit } from "../../cli/stack-edit";
import { changedLines, committed, project } from "../cli/cli";

const MODEL = "support-assistant";
const FIXTURES = path.join(__dirname, "fixtures");
const evidence = (name: string) => path.join(FIXTURES, `vertex-${name}.json`);
const devFile = (dir: string) => fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
const devProject = () => project({ dev: committed("dev") });

function refused(dir: string, run: () => unknown, ...messages: (string | RegExp)[]): void {
  const before = devFile(dir);
  let error: unknown;
  try {
    run();
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(UserError);
  for (const m of messages) expect((error as Error).message).toMatch(m);
  expect(devFile(dir)).toBe(before);
}

describe("gated advance", () => {
  it("refuses without evidence, and says how to give it", () => {
    const dir = devProject();
    refused(dir, () => rolloutAdvance({ dir, stack: "dev", model: MODEL }), "refusing to advance support-assistant 1.3.0 in dev from canary 10%", "no evidence: give --evidence FILE");
  });

  it("refuses on a candidate over its latency budget, listing each failed gate with its numbers", () => {
    const dir = devProject();
    refused(
      dir,
      () => rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: evidence("slow") }),
      "the analysis says rollback",
      /failed latencyBudget: 1\.3\.0 requests slower than 6000 ms .*limit 1%: above the limit/,
      /failed latencyVsStable: .*\(at most 1\.25×\)/,
      "roll back (llmops rollout rollback support-assistant --stack dev)",
    );
  });

  it("refuses to advance on too little traffic (hold)", () => {
    const dir = devProject();
    refused(dir, () => rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: evidence("quiet") }), "the analysis says hold", "waiting minRequests: 1.3.0 served 20 requests; the gate needs 500");
  });

  it("advances on passing evidence with a one-line edit", () => {
    const dir = devProject();
    const before = devFile(dir);
    const result = rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: evidence("healthy") });
    expect(result.message).toContain("1.3.0 canary 10% → partial 50%; stable 1.2.0 keeps 50% (gates passed)");
    expect(changedLines(before, devFile(dir))).toEqual({ removed: ["        stage: canary"], added: ["        stage: partial"] });
  });

  it("takes an analysis file, but only one about this candidate at this stage", () => {
    const dir = devProject();
    const settings = new StackFileEdit(dir, "dev").validate();
    const analysis = analyze({ project: settings.project, stack: "dev", environment: "dev", model: settings.models[MODEL], metrics: readRecorded(evidence("healthy")), projectDir: dir });
    const file = path.join(dir, "analysis.json");
    fs.writeFileSync(file, JSON.stringify({ ...analysis, stage: "partial" }));
    refused(dir, () => rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: file }), "analysis.json analyzes support-assistant 1.3.0 in dev at partial, not support-assistant 1.3.0 in dev at canary");
    fs.writeFileSync(file, JSON.stringify(analysis));
    expect(rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: file }).message).toContain("(gates passed)");
  });

  it("--force needs a reason, and records who and why beside the stage until the next move", () => {
    const dir = devProject();
    refused(dir, () => rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: evidence("quiet"), force: true }), '--force needs --reason "why the gates are overridden"');
    const before = devFile(dir);
    const forced = rolloutAdvance({ dir, stack: "dev", model: MODEL, evidence: evidence("quiet"), force: true, reason: "launch demo: traffic: too low to judge", by: "ana@acme.example" });
    expect(forced.message).toContain("(forced by ana@acme.example: the analysis says hold)");
    expect(changedLines(before, devFile(dir))).toEqual({
      removed: ["        stage: canary"],
      added: ["        stage: partial", "        forced:", "          stage: partial", "          by: ana@acme.example", '          reason: "launch demo: traffic: too low to judge"'],
    });
    // The record validates and goes with the next move (here a rollback).
    rolloutRollback({ dir, stack: "dev", model: MODEL });
    expect(devFile(dir)).not.toContain("forced:");
    expect(devFile(dir)).toContain("        stage: rollback");
  });

  it("never gates a rollback, nor the retry of a rolled-back candidate from the first stage", () => {
    const dir = devProject();
    rolloutRollback({ dir, stack: "dev", model: MODEL });
    expect(rolloutAdvance({ dir, stack: "dev", model: MODEL, to: "canary" }).message).toContain("retry from the first stage: no gate");
  });

  it("finish removes a forced record of the last stage", () => {
    const dir = devProject();
    rolloutAdvance({ dir, stack: "dev", model: MODEL, to: "full", force: true, reason: "incident rollback of 1.2.0", by: "oncall" });
    expect(devFile(dir)).toContain("forced:");
    rolloutFinish({ dir, stack: "dev", model: MODEL });
    expect(devFile(dir)).not.toContain("forced:");
  });
});
