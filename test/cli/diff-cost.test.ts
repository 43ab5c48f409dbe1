import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { DiffReport } from "../../cli/diff/types";
import { type Plan, planJson } from "../../lib/plan";
import { catalogJson, committedCatalog, priceUsd } from "../../policies/cost/catalog";
import { buildCatalog } from "../../policies/cost/refresh/build";
import { COMPUTE_PAGES, GKE_PAGES, RATES, VERTEX_PAGES } from "../cost/fixtures/catalog-api";
import { gkePoolPlan, plannedResource } from "../helpers/plans";
import { STACK_TRACE, committedProject, llmops, removeProjects } from "./cli";

afterAll(removeProjects);

/**
 * `llmops diff` turns a change of capacity into dollars: the worst case moves by the added
 * nodes or replicas × the catalog's hourly rate × 730, the baseline by the added minimum, and
 * what the catalog cannot price says so instead of counting as zero.
 */

const dir = committedProject();
const CATALOG = committedCatalog();
const month = (units: number, usdPerHour: number) => Math.round(units * usdPerHour * 730 * 100) / 100;
const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** One GKE cluster in us-central1 with an on-demand L4 pool of g2-standard-8 between min and max nodes. */
const gkePlan = (min: number, max: number, outputs: Record<string, unknown> = {}): Plan => gkePoolPlan({ min, max, labels: { "llmops-pool": "l4-serving" }, outputs });

/** One Vertex AI model deployed in us-central1 on g2-standard-12 with one NVIDIA_L4, between min and max replicas. */
function vertexPlan(min: number, max: number): Plan {
  const model = plannedResource("llmops:models:VertexModel", "model-support-assistant", {});
  return {
    project: "llmops",
    stack: "prod",
    resources: [
      model,
      plannedResource(
        "pulumi-nodejs:dynamic/vertex:EndpointDeployment",
        "model-support-assistant-us-central1-deployment",
        { region: "us-central1", deployments: [{ displayName: "support-assistant-1.2.0", machineType: "g2-standard-12", acceleratorType: "NVIDIA_L4", acceleratorCount: 1, minReplicas: min, maxReplicas: max }] },
        model.urn,
      ),
    ],
    outputs: {},
  };
}

const write = (name: string, content: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const writePlan = (name: string, plan: Plan) => write(`${name}.json`, planJson(plan));

async function diffJson(...args: string[]): Promise<DiffReport> {
  const run = await llmops(dir, "diff", ...args, "--format", "json");
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as DiffReport;
}

describe("llmops diff: cost of doubling a GKE pool's maximum", () => {
  const rate = priceUsd(CATALOG.items["compute/machine/g2-standard-8"].prices["us-central1"]["on-demand"]!);
  const fee = priceUsd(CATALOG.items["gke/cluster-management"].prices.global["on-demand"]!);
  const before = writePlan("pool-max-4", gkePlan(1, 4));
  const after = writePlan("pool-max-8", gkePlan(1, 8));

  it("moves the worst case by 4 more nodes × the committed catalog's on-demand rate × 730, and not the baseline (JSON)", async () => {
    const cost = (await diffJson(before, after)).stacks[0].cost;
    expect(cost.before).toMatchObject({ baselineMonthlyUsd: month(1, rate) + month(1, fee), worstCaseMonthlyUsd: month(4, rate) + month(1, fee) });
    expect(cost.after).toMatchObject({ baselineMonthlyUsd: month(1, rate) + month(1, fee), worstCaseMonthlyUsd: month(8, rate) + month(1, fee) });
    expect(cost.lines).toHaveLength(1);
    expect(cost.lines[0].delta).toEqual({ baselineMonthlyUsd: 0, worstCaseMonthlyUsd: month(4, rate) });
    expect(cost.lines[0].unpriced).toBeNull();
    expect(cost.catalog.asOf).toBe("2026-07-30");
  });

  it("says it in the pull-request comment: totals before → after with the catalog's date, and the changed line (markdown)", async () => {
    const md = await llmops(dir, "diff", before, after, "--format", "markdown");
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(`**Cost (USD a month, 730 h; prices as of 2026-07-30, `);
    const [from, to] = [month(4, rate) + month(1, fee), month(8, rate) + month(1, fee)];
    // The totals' change is the difference of the rounded totals; the line's is exact to the cent.
    expect(md.stdout).toContain(`worst case ${usd(from)} → ${usd(to)} (+${usd(Math.round((to - from) * 100) / 100)})`);
    expect(md.stdout).toMatch(new RegExp(`^- .*us-central1.*worst case \\+4 × .*on-demand.*: \\+${usd(month(4, rate)).replace(/[$.]/g, "\\$&")}/month worst case$`, "m"));
    // The overview table notes the worst-case change per stack.
    expect(md.stdout).toContain(`+${usd(Math.round((to - from) * 100) / 100)}/mo worst case`);
  });

  it("calls out a change that crosses the stack's budget", async () => {
    const limit = month(6, rate);
    const over = (await diffJson(writePlan("budget-before", gkePlan(1, 4, { budget: { worstCaseMonthlyUsd: limit } })), writePlan("budget-after", gkePlan(1, 8, { budget: { worstCaseMonthlyUsd: limit } })))).stacks[0].cost;
    expect(over.budget.crossings).toEqual([expect.objectContaining({ scope: "stack", measure: "worstCase", status: "over", limitUsd: limit, afterUsd: month(8, rate) + month(1, fee) })]);
    const md = await llmops(dir, "diff", path.join(dir, "budget-before.json"), path.join(dir, "budget-after.json"), "--format", "markdown");
    expect(md.stdout).toContain("> [!WARNING]");
    expect(md.stdout).toMatch(/> crosses the budget: worst case of the stack: \$[\d,.]+\/month against a budget of \$[\d,.]+/);
  });

  it("shows no cost section when capacity does not change", async () => {
    const s = (await diffJson(before, writePlan("pool-max-4-again", gkePlan(1, 4)))).stacks[0];
    expect(s.cost.lines).toEqual([]);
    const text = await llmops(dir, "diff", before, path.join(dir, "pool-max-4-again.json"));
    expect(text.stdout).not.toContain("Cost (USD");
  });
});

describe("llmops diff: cost of doubling a Vertex AI model's maxReplicas", () => {
  const before = writePlan("vertex-max-2", vertexPlan(1, 2));
  const after = writePlan("vertex-max-4", vertexPlan(1, 4));

  it("with the committed catalog, which has no Vertex AI prediction prices: unpriced, with the reason, never $0", async () => {
    const cost = (await diffJson(before, after)).stacks[0].cost;
    expect(cost.lines).toHaveLength(1);
    expect(cost.lines[0].delta).toEqual({ baselineMonthlyUsd: null, worstCaseMonthlyUsd: null });
    expect(cost.lines[0].unpriced).toMatch(/no price in the catalog \(as of 2026-07-30\): Vertex AI online prediction node-hours/);
    expect(cost.lines[0].sentence).toMatch(/support-assistant.*us-central1.*worst case \+2/);
    expect(cost.after?.complete.worstCase).toBe(false);
  });

  it("with a catalog built by `prices refresh` from recorded Catalog API replies: +2 replicas × (12 cores + 48 GiB + 1 L4) at Vertex AI's rates × 730", async () => {
    // The replies are the illustrative ones of test/cost/fixtures (not Google's prices): this checks the arithmetic.
    const { catalog } = buildCatalog(CATALOG, { compute: COMPUTE_PAGES.flatMap((p) => p.skus ?? []), gke: GKE_PAGES.flatMap((p) => p.skus ?? []), vertex: VERTEX_PAGES.flatMap((p) => p.skus ?? []) }, "2026-12-02");
    const file = write("vertex-catalog.json", catalogJson(catalog));
    const perReplica = 12 * RATES.vertexG2.core + 48 * RATES.vertexG2.ram + 1 * RATES.vertexG2.l4;
    const cost = (await diffJson(before, after, "--catalog", file)).stacks[0].cost;
    expect(cost.lines[0].delta).toEqual({ baselineMonthlyUsd: 0, worstCaseMonthlyUsd: month(2, perReplica) });
    expect(cost.before).toMatchObject({ baselineMonthlyUsd: month(1, perReplica), worstCaseMonthlyUsd: month(2, perReplica) });
    expect(cost.after).toMatchObject({ baselineMonthlyUsd: month(1, perReplica), worstCaseMonthlyUsd: month(4, perReplica) });
    const md = await llmops(dir, "diff", before, after, "--catalog", file, "--format", "markdown");
    expect(md.stdout).toContain(`+${usd(month(2, perReplica))}/month worst case`);
  });

  it("refuses a catalog that is not one, naming the file, without a stack trace", async () => {
    const bad = write("not-a-catalog.json", "{}");
    const run = await llmops(dir, "diff", before, after, "--catalog", bad);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("not-a-catalog.json");
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
