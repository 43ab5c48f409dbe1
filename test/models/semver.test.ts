import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareVersions, inReleaseOrder } from "../../infra/models/config/semver";

describe("semantic-version precedence", () => {
  it("orders the semver.org example chain (spec item 11), whatever order it is given in", () => {
    const chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"];
    expect(inReleaseOrder([...chain].reverse())).toEqual(chain);
    expect(inReleaseOrder(["1.0.0-rc.1", "1.0.0-alpha", "1.0.0", "1.0.0-beta.11", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-alpha.1", "1.0.0-beta"])).toEqual(chain);
  });

  it("compares each numeric part as a number, not as text", () => {
    expect(inReleaseOrder(["1.10.0", "1.9.0", "1.2.10", "1.2.9", "10.0.0", "2.0.0"])).toEqual(["1.2.9", "1.2.10", "1.9.0", "1.10.0", "2.0.0", "10.0.0"]);
  });

  it("is a total order: antisymmetric, zero only for equal strings, transitive", () => {
    const part = fc.integer({ min: 0, max: 12 }).map(String);
    const ident = fc.oneof(part, fc.constantFrom("alpha", "beta", "rc", "a1"));
    const version = fc
      .tuple(part, part, part, fc.option(fc.array(ident, { minLength: 1, maxLength: 3 }), { nil: undefined }))
      .map(([major, minor, patch, pre]) => `${major}.${minor}.${patch}${pre ? `-${pre.join(".")}` : ""}`);
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareVersions(a, b))).toBe(-Math.sign(compareVersions(b, a)) || 0);
        expect(compareVersions(a, b) === 0).toBe(a === b);
        if (compareVersions(a, b) < 0 && compareVersions(b, c) < 0) expect(compareVersions(a, c)).toBeLessThan(0);
      }),
    );
  });
});
