import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { readPlanFile } from "../../cli/plans";
import type { Plan, PlannedResource } from "../../lib/plan";
import { MalformedPlanError, planInputProblems } from "../../policies/plan-input";
import { POLICIES } from "../../policies/registry";
import { runPolicies } from "../../policies/runner";
import { renderCommitted } from "../helpers/render";

/**
 * Issue 16 #15: a malformed plan is an input error (exit code 3, file and resource named), never
 * a pass and never a crash. The report's exact inputs first, then every rule over a corpus of
 * malformed resources derived from the committed stacks' real plans.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-malformed-"));
process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

const IAM = "gcp:projects/iAMMember:IAMMember";
const resource = (over: Record<string, unknown>) => ({
  urn: `urn:pulumi:prod::llmops::${IAM}::ci-owner`,
  type: IAM,
  name: "ci-owner",
  parent: null,
  inputs: { project: "acme-llmops-prod", role: "roles/viewer", member: "user:a@acme.example" },
  options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [] },
  ...over,
});

function planFile(name: string, resources: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ project: "llmops", stack: "prod", resources, outputs: {} }));
  return file;
}

function malformed(file: string): MalformedPlanError {
  try {
    readPlanFile(file);
  } catch (err) {
    expect(err).toBeInstanceOf(MalformedPlanError);
    return err as MalformedPlanError;
  }
  throw new Error("expected the plan to be refused");
}

describe("issue 16 #15: malformed plan files", () => {
  it("a well-formed plan file is read", () => {
    expect(readPlanFile(planFile("ok.json", [resource({})])).resources).toHaveLength(1);
  });

  it.each([
    ["inputs: null", { inputs: null }, /resources\[0\] \(gcp:projects\/iAMMember:IAMMember "ci-owner"\): inputs: expected an object, got null/],
    ["options: null", { options: null }, /resources\[0\] \(gcp:projects\/iAMMember:IAMMember "ci-owner"\): options: expected an object, got null/],
  ])("%s is refused naming the file and resource, with exit code 3", (_, over, message) => {
    const file = planFile("null.json", [resource(over)]);
    const err = malformed(file);
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(message);
  });

  it('an IAM member with role: ["roles/owner"] and member: 123 is refused, not "no violations"', () => {
    const err = malformed(planFile("iam.json", [resource({ inputs: { project: "acme-llmops-prod", role: ["roles/owner"], member: 123 } })]));
    expect(err.problems).toEqual([
      expect.stringMatching(/inputs\.role: expected a string, got a list$/),
      expect.stringMatching(/inputs\.member: expected a string, got number 123$/),
    ]);
  });

  it("opaque values stay allowed where a string is expected", () => {
    expect(planInputProblems({ stack: "prod", resources: [resource({ inputs: { role: "roles/viewer", member: "[unknown]", members: ["[secret]"] } })] }, "f")).toEqual([]);
  });

  it("a rule that throws on a resource is reported as malformed input, naming the resource and rule", () => {
    const plan: Plan = { project: "llmops", stack: "prod", outputs: {}, resources: [resource({}) as unknown as PlannedResource] };
    const throwing = { ...POLICIES[0], resource: { types: [IAM], check: () => (null as unknown as { x: string[] }).x } } as unknown as (typeof POLICIES)[number];
    expect(() => runPolicies([plan], undefined, [throwing])).toThrow(MalformedPlanError);
    expect(() => runPolicies([plan], undefined, [throwing])).toThrow(/stack prod: gcp:projects\/iAMMember:IAMMember "ci-owner" .*: rule .* cannot read it/);
  });
});

describe("every rule over a corpus of malformed resources", () => {
  let plans: Plan[];
  beforeAll(async () => {
    plans = Object.values(await renderCommitted("dev", "prod"));
  }, 600_000);

  /** A JSON value of a wrong kind for wherever it lands: nulls, numbers, lists, objects, strings. */
  const junk = fc.oneof(fc.constant(null), fc.integer(), fc.boolean(), fc.string(), fc.constant([]), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }), fc.constantFrom("[secret]", "[unknown]"));

  /** Replaces the value at a random path of `value` (a path of indices into keys at each level). */
  function mutate(value: unknown, steps: readonly number[], replacement: unknown): unknown {
    if (steps.length === 0 || value === null || typeof value !== "object") return replacement;
    if (Array.isArray(value)) {
      if (value.length === 0) return replacement;
      const i = steps[0] % value.length;
      return value.map((v, j) => (j === i ? mutate(v, steps.slice(1), replacement) : v));
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return replacement;
    const key = keys[steps[0] % keys.length];
    return { ...value, [key]: mutate((value as Record<string, unknown>)[key], steps.slice(1), replacement) };
  }

  it("never crashes and never passes a plan it cannot read: findings, or a MalformedPlanError", () => {
    const types = new Set(plans.flatMap((p) => p.resources.map((r) => r.type)));
    expect(types.size).toBeGreaterThan(20);
    let refused = 0;
    let checked = 0;
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), junk, fc.boolean(), (p, r, steps, replacement, wholeInputs) => {
        const plan = plans[p % plans.length];
        const i = r % plan.resources.length;
        const target = plan.resources[i];
        const broken = wholeInputs ? { ...target, inputs: replacement } : { ...target, inputs: mutate(target.inputs, steps, replacement) };
        const candidate = { ...plan, resources: plan.resources.map((x, j) => (j === i ? broken : x)) };
        const problems = planInputProblems(candidate, "plan.json");
        if (problems.length) {
          refused++;
          expect(problems.every((m) => m.startsWith(`plan.json: resources[${i}] (${target.type} "${target.name}")`))).toBe(true);
          return;
        }
        try {
          expect(Array.isArray(runPolicies([candidate as Plan]))).toBe(true);
          checked++;
        } catch (err) {
          if (!(err instanceof MalformedPlanError)) throw err;
          refused++;
          expect(err.message).toContain(target.name);
        }
      }),
      { numRuns: 400, seed: 16 },
    );
    expect(refused).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(0);
  });

  it("every rule runs over a resource whose every input is each kind of junk", () => {
    const prod = plans.find((p) => p.stack === "prod")!;
    for (const value of [null, 0, -1, true, "", "x", [], [null], {}, { a: null }]) {
      const resources = prod.resources.map((r) => ({ ...r, inputs: Object.fromEntries(Object.keys(r.inputs).map((k) => [k, value])) }));
      const candidate = { ...prod, resources };
      if (planInputProblems(candidate, "plan.json").length) continue;
      try {
        runPolicies([candidate], undefined, POLICIES);
      } catch (err) {
        if (!(err instanceof MalformedPlanError)) throw new Error(`inputs all ${JSON.stringify(value)}: ${(err as Error).stack}`);
      }
    }
  });
});
