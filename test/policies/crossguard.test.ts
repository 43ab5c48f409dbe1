import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it, vi } from "vitest";
import { fromCrossGuard, plainProps, toCrossGuard } from "../../policies/crossguard";
import { policyNamed, POLICIES } from "../../policies/registry";
import type { PolicyResource } from "../../policies/types";
import { bucket, endpoint } from "./fixtures";

// The proxy CrossGuard wraps props in, and the sentinel it stands for: what `pulumi preview` hands a policy.
const { unknownCheckingProxy, unknownStringValue } = require("@pulumi/policy/proxy");

/** A resource as CrossGuard passes it to validateResource / validateStack, props behind the proxy. */
function crossGuardArgs(r: PolicyResource, config: Record<string, unknown> = {}) {
  return {
    type: r.type,
    urn: r.urn,
    name: r.name,
    props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.inputs))),
    opts: { protect: r.options.protect, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, parent: r.parentUrn },
    dependencies: [],
    propertyDependencies: {},
    stackTags: new Map(),
    getConfig: () => config,
    notApplicable: () => {
      throw new Error("not applicable");
    },
    isType: () => false,
    asType: () => undefined,
  } as any;
}

describe("resources as CrossGuard passes them", () => {
  it("copies props out of the preview proxy, unknown values as the plan's marker", () => {
    const props = unknownCheckingProxy({ name: "b", labels: { team: unknownStringValue }, rules: [{ age: 30 }, unknownStringValue] });
    expect(() => props.labels.team).toThrow(/can't be known during preview/);
    expect(plainProps(props)).toEqual({ name: "b", labels: { team: "[unknown]" }, rules: [{ age: 30 }, "[unknown]"] });
  });

  it("keeps the urn, type, protect option and parent, and finds the component in the URN", () => {
    const r = endpoint();
    expect(fromCrossGuard(crossGuardArgs(r))).toEqual({ ...r, options: { protect: true } });
  });
});

describe("policies as CrossGuard policies", () => {
  it.each(POLICIES.map((p) => [p.name, p] as const))("%s: carries its metadata, prod's level without config, and the right validator", (_, p) => {
    const cg = toCrossGuard(p);
    expect(cg).toMatchObject({ name: p.name, description: p.description, severity: p.severity, enforcementLevel: p.enforcement.prod, remediationSteps: p.remediation, tags: [p.group, ...p.mirrors] });
    expect("validateResource" in cg).toBe(Boolean(p.resource));
    expect("validateStack" in cg).toBe(Boolean(p.stack));
  });

  it("reports a resource violation from behind the proxy, and skips other types", () => {
    const cg = toCrossGuard(policyNamed("storage-public-access-prevention")!) as ResourceValidationPolicy;
    const report = vi.fn();
    const validate = cg.validateResource as (args: unknown, report: unknown) => void;
    validate(crossGuardArgs(bucket({ publicAccessPrevention: "inherited" })), report);
    validate(crossGuardArgs(bucket({ publicAccessPrevention: unknownStringValue })), report);
    validate(crossGuardArgs(endpoint()), report);
    expect(report.mock.calls).toEqual([['publicAccessPrevention is "inherited"; allowed: "enforced"', undefined]]);
  });

  it("checks the whole stack, pinning each violation to its resource, with settings from policy config", () => {
    const multiRegion = toCrossGuard(policyNamed("prod-multi-region-serving")!) as StackValidationPolicy;
    const report = vi.fn();
    const resources = [endpoint("us-central1"), endpoint("europe-west4")];
    multiRegion.validateStack({ resources: resources.map((r) => crossGuardArgs(r)), getConfig: () => ({}) } as any, report);
    expect(report).not.toHaveBeenCalled();
    multiRegion.validateStack({ resources: resources.map((r) => crossGuardArgs(r)), getConfig: () => ({ minRegions: 3 }) } as any, report);
    expect(report.mock.calls).toEqual([[expect.stringMatching(/served from 2 regions .*at least 3/), resources[0].urn]]);
  });

  it("publishes each policy's settings as its config schema", () => {
    expect(toCrossGuard(policyNamed("prod-canary-weight")!).configSchema).toEqual({ properties: { maxPercent: { type: "integer", minimum: 1, maximum: 100 } } });
    expect(toCrossGuard(policyNamed("iam-no-basic-roles")!).configSchema).toBeUndefined();
  });
});
