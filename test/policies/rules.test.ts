import { describe, expect, it } from "vitest";
import { POLICIES } from "../../policies/registry";
import { cost } from "./cases/cost";
import { reliability } from "./cases/reliability";
import { rollouts } from "./cases/rollouts";
import { security } from "./cases/security";
import { findingsOf, type PolicyCases } from "./harness";

const CASES: Readonly<Record<string, PolicyCases>> = { ...security, ...reliability, ...cost, ...rollouts };

describe("every policy has cases", () => {
  it("names only policies of the pack, and covers each with a passing and a failing case", () => {
    expect(Object.keys(CASES).sort()).toEqual(POLICIES.map((p) => p.name).sort());
    for (const [name, cases] of Object.entries(CASES)) {
      expect(cases.pass.length, `${name}: passing cases`).toBeGreaterThan(0);
      expect(cases.fail.length, `${name}: failing cases`).toBeGreaterThan(0);
    }
  });
});

describe.each(Object.entries(CASES))("%s", (name, cases) => {
  it.each(cases.pass.map((c) => [c.name, c] as const))("passes: %s", (_, c) => {
    expect(findingsOf(name, c)).toEqual([]);
  });

  it.each(cases.fail.map((c) => [c.name, c] as const))("fails: %s", (_, c) => {
    const findings = findingsOf(name, c);
    expect(findings.length).toBeGreaterThan(0);
    // Every finding points at a resource of the case (stack-wide findings have none).
    const urns = c.resources.map((r) => r.urn);
    for (const f of findings) if (f.urn) expect(urns).toContain(f.urn);
    if (c.expect) expect(findings.map((f) => f.message).join("\n")).toMatch(c.expect);
  });
});
