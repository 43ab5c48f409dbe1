import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CostReport } from "../../cli/cost/report";
import { committedCatalog, priceUsd } from "../../policies/cost/catalog";
import type { Plan } from "../../lib/plan";
import { type Run, STACK_TRACE, committedProject, llmops, removeProjects, stackFile } from "./cli";

afterAll(removeProjects);

const CATALOG = committedCatalog();
const dir = committedProject();
// Under .llmops/, which the plan cache's key leaves out: plans written elsewhere in the project
// are files of it, and every later command here would render both stacks again.
const plans = path.join(dir, ".llmops", "plans");
let planRun: Run;
const plan = (stack: string): Plan => JSON.parse(fs.readFileSync(path.join(plans, `${stack}.json`), "utf8"));

beforeAll(async () => {
  planRun = await llmops(dir, "plan", "--out", plans);
}, 300_000);

async function costJson(...args: string[]): Promise<CostReport> {
  const run = await llmops(dir, "cost", ...args, "--format", "json");
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as CostReport;
}

describe("llmops plan", () => {
  it("prints each stack's monthly cost with the catalog's date and age, and the budget's verdict", () => {
    expect(planRun.code, planRun.stderr).toBe(0);
    for (const stack of ["dev", "prod"]) {
      const block = planRun.stdout.slice(planRun.stdout.indexOf(`stack ${stack} →`));
      expect(block).toMatch(/\n {2}cost: baseline ≥ \$[\d,]+\.\d\d\/month, worst case ≥ \$[\d,]+\.\d\d\/month \(730 h; prices as of 2026-07-30, \d+ days old; \d lines? without a price; npx llmops cost\)/);
      expect(block).toMatch(/\n {4}budget: priced part within: worst case of the stack: ≥ \$[\d,.]+\/month against a budget of \$[\d,.]+/);
    }
  });

  it("exports the stack's budget as the budget output the policy reads", () => {
    expect(plan("prod").outputs.budget).toEqual({ baselineMonthlyUsd: 8000, worstCaseMonthlyUsd: 40000, models: { "gemma-chat": { worstCaseMonthlyUsd: 20000 } } });
    expect(plan("dev").outputs.budget).toEqual({ baselineMonthlyUsd: 2000, worstCaseMonthlyUsd: 4000 });
  });
});

describe("llmops cost", () => {
  it("prints both committed stacks' baseline and worst case, with the catalog's date", async () => {
    const run = await llmops(dir, "cost");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^prices as of 2026-07-30 \(\d+ days old\): .*Cyclenerd\/google-cloud-pricing-cost-calculator pricing\.yml \(2026-07-30\)/);
    for (const stack of ["dev", "prod"]) expect(run.stdout).toMatch(new RegExp(`\\n${stack}: baseline ≥ \\$[\\d,]+\\.\\d\\d/month, worst case ≥ \\$[\\d,]+\\.\\d\\d/month \\(730 hours a month; \\d lines? without a price, left out\\)`));
    expect(run.stdout).toMatch(/gke +gemma-chat +europe-west4 +1 × nvidia-l4 on g2-standard-12 +on-demand +\$1\.0515\/h +2 nodes: \$1,535\.17 +4 nodes: \$3,070\.34/);
    expect(run.stdout).toMatch(/vertex +support-assistant 1\.2\.0 +us-central1 +1 × nvidia-l4 on g2-standard-12 +on-demand +no price +2 replicas, no price +6 replicas, no price/);
    expect(run.stdout).toMatch(/without a price \(not in the totals\):\n.*gke-europe-west4-tpu-batch-spot-s0.*: no price in the catalog \(as of 2026-07-30\): Cloud TPU chips/);
    expect(run.stdout).toContain("gke-us-central1-l4-serving-reservation: reservation priced at the on-demand rate: a reservation is billed at on-demand rates");
    // Usage-priced items are listed with their unit prices (in the order of their resources), never counted.
    expect(run.stdout).toMatch(/priced by use \(not in the totals\):\n(?: {4}.*\n)*? {4}storage-batchOutputs +STANDARD storage in US .* \$0\.026 per GiB-month/);
  });

  it("adds up in JSON: every priced line is units × the catalog's hourly rate × 730, and the totals are their sums", async () => {
    const report = await costJson("--plan", path.join(plans, "prod.json"), "--plan", path.join(plans, "dev.json"));
    expect(report.catalog).toMatchObject({ asOf: "2026-07-30", stale: expect.any(Boolean) });
    expect(report.stacks.map((s) => s.stack)).toEqual(["prod", "dev"]);
    for (const s of report.stacks) {
      let baseline = 0;
      let worstCase = 0;
      for (const l of s.lines) {
        if (l.usdPerHour === null) continue;
        const item = CATALOG.items[l.items[0]];
        if (l.kind !== "cluster-fee") expect(l.usdPerHour, l.key).toBe(priceUsd(item.prices[l.region][l.capacity === "spot" ? "spot" : "on-demand"]!));
        expect(l.monthly.baseline, l.key).toBeCloseTo(l.units.baseline * l.usdPerHour * 730, 2);
        expect(l.monthly.worstCase, l.key).toBeCloseTo(l.units.worstCase! * l.usdPerHour * 730, 2);
        baseline += l.units.baseline * l.usdPerHour * 730;
        worstCase += l.units.worstCase! * l.usdPerHour * 730;
      }
      expect(s.baselineMonthlyUsd).toBeCloseTo(baseline, 2);
      expect(s.worstCaseMonthlyUsd).toBeCloseTo(worstCase, 2);
      // Vertex AI has no price in the committed catalog: the totals say they are lower bounds.
      expect(s.complete).toEqual({ baseline: false, worstCase: false });
      expect(s.budget?.checks.every((c) => !c.exceeded)).toBe(true);
    }
    const prod = report.stacks[0];
    expect(prod.breakdown.platform.map((r) => r.key)).toEqual(["gke", "vertex"]);
    expect(prod.breakdown.model.map((r) => r.key)).toEqual(["(platform)", "gemma-chat", "support-assistant"]);
    expect(prod.breakdown.accelerator.map((r) => r.key)).toEqual(["(none)", "nvidia-l4", "tpu-v5e 2x4"]);
    expect(prod.breakdown.region.map((r) => r.key)).toEqual(["europe-west4", "us-central1"]);
  });

  it("writes markdown for a pull request or a wiki page", async () => {
    const run = await llmops(dir, "cost", "--plan", path.join(plans, "prod.json"), "--format", "markdown");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^## Cost per month \(730 hours\)\n\n_prices as of 2026-07-30 \(\d+ days old\)/);
    expect(run.stdout).toContain("### prod: baseline ≥ $");
    expect(run.stdout).toContain("| platform | model | region | each | capacity | rate | baseline (month) | worst case (month) |");
    expect(run.stdout).toContain("**Without a price** (not in the totals)");
  });

  it.each([
    ["an unknown format", ["--format", "yaml"], /argument 'yaml' is invalid\. Allowed choices are text, json, markdown/],
    ["a plan file that does not exist", ["--plan", "nope.json"], /nope\.json: cannot read the plan/],
    ["a file that is not a plan", ["--plan", "Pulumi.prod.yaml"], /Pulumi\.prod\.yaml: cannot read the plan/],
    ["an unknown stack", ["--stack", "qa"], /Pulumi\.qa\.yaml.*no such stack file.*stacks here: dev, prod/],
    ["a catalog that does not exist", ["--plan", ".llmops/plans/dev.json", "--catalog", "nope.json"], /nope\.json: cannot read the price catalog/],
    ["a catalog that is not one", ["--plan", ".llmops/plans/dev.json", "--catalog", ".llmops/plans/dev.json"], /\.llmops\/plans\/dev\.json: schemaVersion: /],
  ])("refuses %s (exit 1, no stack trace)", async (_what, args, message) => {
    const run = await llmops(dir, "cost", ...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe("a budget below the plan's cost", () => {
  it("fails llmops policy in prod, naming the limit, the cost and the lines that cost most", async () => {
    const file = path.join(dir, "Pulumi.prod.yaml");
    const original = stackFile(dir, "prod");
    fs.writeFileSync(file, original.replace("worstCaseMonthlyUsd: 40000", "worstCaseMonthlyUsd: 12000"));
    try {
      const run = await llmops(dir, "policy", "--stack", "prod");
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/✗ monthly-budget · mandatory · cost · high/);
      expect(run.stdout).toMatch(/prod: \(the stack\): worst case of the stack: ≥ \$[\d,.]+\/month against a budget of \$12,000\.00, over by \$[\d,.]+ \(prices as of 2026-07-30; most: gke-us-central1-l4-serving-on-demand \$5,842\.43/);
      expect(run.stderr).toContain("policy: 1 mandatory policy fails (monthly-budget)");
    } finally {
      fs.writeFileSync(file, original);
    }
  });
});
