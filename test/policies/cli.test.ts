import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { policy } from "../../cli/policy";
import { policyCommand } from "../../cli/program";
import { UserError } from "../../cli/project";
import { canonicalJson } from "../../lib/json";
import { packConfig } from "../../policies/config";
import type { PolicyResource } from "../../policies/types";
import { bucket, endpoint } from "./fixtures";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-policy-cli-"));

function write(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

/** A plan file as llmops plan writes it, from fixture resources. */
function planFile(name: string, resources: readonly PolicyResource[]): string {
  return write(name, {
    project: "llmops",
    stack: "prod",
    resources: resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parentUrn ?? null, inputs: r.inputs, options: { protect: r.options.protect, retainOnDelete: false, dependsOn: [], ignoreChanges: [] } })),
    // prod must declare a budget (monthly-budget); generous, so only the fixtures' own faults show.
    outputs: { budget: { worstCaseMonthlyUsd: 1_000_000 } },
  });
}

function captureStdout(): () => string {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return () => chunks.join("");
}

afterEach(() => vi.restoreAllMocks());

const openBucket = planFile("open.json", [bucket({ publicAccessPrevention: "inherited" })]);
const served = planFile("served.json", [bucket({ publicAccessPrevention: "inherited" }), endpoint("us-central1"), endpoint("europe-west4")]);

describe("llmops policy", () => {
  it("prints violations grouped by policy with resource, mirrored check and fix, and fails on a mandatory one", async () => {
    const stdout = captureStdout();
    await expect(policy({ plans: [openBucket] })).rejects.toThrow(new UserError("policy: 1 mandatory policy fails (storage-public-access-prevention)"));
    expect(stdout()).toContain(
      [
        "✗ storage-public-access-prevention · mandatory · security · high · mirrors CKV_GCP_114",
        "  Cloud Storage buckets enforce public access prevention.",
        '  prod: gcp:storage/bucket:Bucket storage-models: publicAccessPrevention is "inherited"; allowed: "enforced"',
        '  fix: Set publicAccessPrevention: "enforced" on the bucket',
      ].join("\n"),
    );
  });

  it("writes the same findings as JSON for bots", async () => {
    const stdout = captureStdout();
    await expect(policy({ plans: [openBucket], format: "json" })).rejects.toThrow(UserError);
    const report = JSON.parse(stdout());
    expect(report.stacks).toEqual([{ environment: "prod", source: expect.stringContaining("open.json"), stack: "prod" }]);
    expect(report.violations).toEqual([expect.objectContaining({ policy: "storage-public-access-prevention", level: "mandatory", mirrors: ["CKV_GCP_114"], resource: { type: "gcp:storage/bucket:Bucket", name: "storage-models" } })]);
  });

  it("takes levels and settings from a CrossGuard-format config file", async () => {
    const stdout = captureStdout();
    const advisory = write("advisory.json", { "storage-public-access-prevention": "advisory", "prod-alerts-wired": "disabled", "prod-multi-region-serving": { minRegions: 3 } });
    await expect(policy({ plans: [served], config: advisory })).rejects.toThrow(new UserError("policy: 1 mandatory policy fails (prod-multi-region-serving)"));
    expect(stdout()).toMatch(/^! storage-public-access-prevention · advisory/m);
  });

  it("refuses a config file with every problem listed, and a file that is not a plan", async () => {
    const bad = write("bad.json", { "storage-public-access-preventoin": "advisory", "prod-canary-weight": { maxPercent: 0 } });
    await expect(policy({ plans: [openBucket], config: bad })).rejects.toThrow(/2 problems\):\n.*storage-public-access-preventoin: unknown policy.*\n.*prod-canary-weight.maxPercent/);
    await expect(policy({ plans: [write("not-a-plan.json", { hello: 1 })] })).rejects.toThrow(/not-a-plan.json: not an llmops plan file; expected/);
    await expect(policy({ plans: [path.join(dir, "missing.json")] })).rejects.toThrow(/missing.json: cannot read the plan/);
  });

  it("prints an environment's default config, the content of policies/config/<environment>.json", async () => {
    const stdout = captureStdout();
    await policyCommand().parseAsync(["--print-config", "dev"], { from: "user" });
    expect(stdout()).toBe(canonicalJson(packConfig("dev")));
  });
});
