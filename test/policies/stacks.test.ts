import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlannedResource } from "../../lib/plan";
import { introducedViolations, policyCheck } from "../../policies/diff";
import { POLICIES } from "../../policies/registry";
import { isMandatory, runPolicies } from "../../policies/runner";
import { llmops } from "../cli/cli";
import { ROOT } from "../helpers/project";
import { renderCommitted } from "../helpers/render";

let plans: Record<string, Plan>;

beforeAll(async () => {
  plans = await renderCommitted("dev", "prod");
}, 180_000);

const clone = (plan: Plan): Plan => JSON.parse(JSON.stringify(plan));

function edit(plan: Plan, name: string, change: (inputs: Record<string, any>) => void): Plan {
  const copy = clone(plan);
  const r = copy.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name} in the ${plan.stack} plan`);
  change(r.inputs as Record<string, any>);
  return copy;
}

/** The four changes the issue names, each on a copy of the prod plan, with the policy that must catch it. */
const DONE_WHEN: readonly [string, string, (prod: Plan) => Plan][] = [
  ["a bucket without public access prevention", "storage-public-access-prevention", (prod) => edit(prod, "storage-models", (i) => (i.publicAccessPrevention = "inherited"))],
  [
    "a model whose endpoint exists in one region only",
    "prod-multi-region-serving",
    (prod) => {
      // What serving.regions: [us-central1] renders: every per-region resource of europe-west4 gone.
      const copy = clone(prod);
      return { ...copy, resources: copy.resources.filter((r: PlannedResource) => !(r.name.startsWith("model-support-assistant-") && r.name.includes("europe-west4"))) };
    },
  ],
  [
    "a serving image referenced by tag",
    "images-pinned-by-digest",
    (prod) => edit(prod, "model-support-assistant-us-central1-1.2.0", (i) => (i.container.imageUri = i.container.imageUri.replace(/@sha256:[a-f0-9]+$/, ":1.2.0"))),
  ],
  ["an accelerator pool without an autoscaling upper bound", "accelerator-pool-autoscaling", (prod) => edit(prod, "gke-us-central1-l4-serving-on-demand", (i) => delete i.autoscaling.totalMaxNodeCount)],
];

describe("the committed stacks", () => {
  it("render with the resources the policies are about", () => {
    const types = new Set(plans.prod.resources.map((r) => r.type));
    for (const t of ["gcp:storage/bucket:Bucket", "gcp:vertex/aiEndpoint:AiEndpoint", "pulumi-nodejs:dynamic/vertex:ModelVersion", "gcp:container/nodePool:NodePool", "gcp:monitoring/alertPolicy:AlertPolicy"]) expect(types).toContain(t);
  });

  it("have no mandatory violation", () => {
    expect(runPolicies([plans.dev, plans.prod]).filter(isMandatory)).toEqual([]);
  });

  it("export each model's stages and release digests, the evidence the rollout policies read", () => {
    const model = (plans.prod.outputs.models as Record<string, any>)["support-assistant"];
    expect(model.stages[0]).toEqual({ name: "canary", weight: 10 });
    expect(model.released).toEqual({ "1.2.0": expect.stringMatching(/^sha256:[a-f0-9]{16}$/) });
  });

  it("compare prod's candidate with dev: one still at canary there may not enter prod", () => {
    // Prod takes dev's canary version as its candidate, stamped as if promoted.
    const prod = clone(plans.prod);
    const record = (prod.outputs.models as Record<string, any>)["support-assistant"];
    Object.assign(record, { candidate: "1.3.0", stage: "canary", released: { ...record.released, "1.3.0": "sha256:0123456789abcdef" } });
    const found = runPolicies([plans.dev, prod]).filter((v) => v.policy === "prod-candidate-from-dev");
    expect(found.map((v) => [v.stack, v.level, v.message])).toEqual([["prod", "mandatory", expect.stringMatching(/1.3.0 is not fully rolled out in dev \(stack dev: stable 1.2.0, candidate 1.3.0 at canary\)/)]]);
  });
});

describe("copies of the prod plan: llmops policy --plan exits 1 naming the policy", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-policy-"));
  const results = new Map<string, { code: number; stdout: string; stderr: string }>();

  beforeAll(async () => {
    const cases: [string, Plan][] = [["unchanged", plans.prod], ...DONE_WHEN.map(([name, , mutate]) => [name, mutate(plans.prod)] as [string, Plan])];
    // One at a time: the CLI runs in this process, its output captured while it runs.
    for (const [i, [name, plan]] of cases.entries()) {
      const file = path.join(dir, `prod-${i}.json`);
      fs.writeFileSync(file, JSON.stringify(plan));
      const run = await llmops(ROOT, "policy", "--plan", file);
      results.set(name, { code: run.code ?? -1, stdout: run.stdout, stderr: run.stderr });
    }
  }, 180_000);

  it("the unchanged prod plan passes", () => {
    expect(results.get("unchanged")).toMatchObject({ code: 0, stdout: expect.stringContaining("no violations") });
  });

  it.each(DONE_WHEN.map(([name, policy]) => [name, policy]))("%s → %s", (name, policy) => {
    const r = results.get(name)!;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^✗ ${policy} · mandatory`, "m"));
    expect(r.stderr).toContain(policy);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a UserError: no stack trace
  });
});

describe("llmops diff", () => {
  it("shows the violations a change introduces, and none it keeps", () => {
    const [, , mutate] = DONE_WHEN[0];
    const changed = mutate(plans.prod);
    expect(introducedViolations("prod", plans.prod, changed)).toEqual([
      { policy: "storage-public-access-prevention", severity: "mandatory", urn: expect.stringMatching(/::storage-models$/), message: 'publicAccessPrevention is "inherited"; allowed: "enforced"' },
    ]);
    expect(introducedViolations("prod", changed, changed)).toEqual([]);
    expect(introducedViolations("prod", changed, undefined)).toEqual([]);
  });

  it("reports how many policies it checked, passing or not, and the mandatory ones that fail", () => {
    expect(policyCheck("prod", plans.prod)).toEqual({ check: "policies", checked: POLICIES.length, blocking: 0 });
    const [, , mutate] = DONE_WHEN[0];
    expect(policyCheck("prod", mutate(plans.prod)).blocking).toBe(1);
    // A policy disabled in the config is not counted as checked.
    expect(policyCheck("prod", plans.prod, { "storage-public-access-prevention": "disabled" }).checked).toBe(POLICIES.length - 1);
  });
});
