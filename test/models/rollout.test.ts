import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deployedVersions, describeStage, versionSplit } from "../../infra/models/config/rollout";
import { DEFAULT_STAGES, type RolloutConfig } from "../../infra/models/config/schema";

const rollout = (over: Partial<RolloutConfig>): RolloutConfig => ({ stable: "1.2.0", stages: DEFAULT_STAGES, ...over });

describe("traffic split of a rollout state", () => {
  it.each([
    ["no candidate", {}, { "1.2.0": 100 }],
    ["canary", { candidate: "1.3.0", stage: "canary" }, { "1.2.0": 90, "1.3.0": 10 }],
    ["partial", { candidate: "1.3.0", stage: "partial" }, { "1.2.0": 50, "1.3.0": 50 }],
    ["full", { candidate: "1.3.0", stage: "full" }, { "1.2.0": 0, "1.3.0": 100 }],
    ["rollback", { candidate: "1.3.0", stage: "rollback" }, { "1.2.0": 100, "1.3.0": 0 }],
  ])("%s", (_what, over, split) => {
    expect(versionSplit(rollout(over))).toEqual(split);
  });

  it("keeps the candidate deployed at rollback and full, and deploys only stable without one", () => {
    expect(deployedVersions(rollout({ candidate: "1.3.0", stage: "rollback" }))).toEqual(["1.2.0", "1.3.0"]);
    expect(deployedVersions(rollout({ candidate: "1.3.0", stage: "full" }))).toEqual(["1.2.0", "1.3.0"]);
    expect(deployedVersions(rollout({}))).toEqual(["1.2.0"]);
  });

  it("describes the stage in words", () => {
    expect(describeStage(rollout({ candidate: "1.3.0", stage: "partial" }))).toBe("partial 50%");
    expect(describeStage(rollout({ candidate: "1.3.0", stage: "rollback" }))).toBe("rollback");
    expect(describeStage(rollout({}))).toBe("stable only");
  });

  it("sums to 100 at every stage of any valid stage list, and the candidate gets exactly the stage weight", () => {
    const stages = fc
      .uniqueArray(fc.integer({ min: 1, max: 99 }), { maxLength: 6 })
      .map((ws) => [...ws.sort((a, b) => a - b), 100].map((weight, i) => ({ name: `s${i}`, weight })));
    fc.assert(
      fc.property(stages, fc.nat(), (list, pick) => {
        const stage = list[pick % list.length];
        const split = versionSplit(rollout({ candidate: "2.0.0", stages: list, stage: stage.name }));
        expect(split["1.2.0"] + split["2.0.0"]).toBe(100);
        expect(split["2.0.0"]).toBe(stage.weight);
      }),
    );
  });
});
