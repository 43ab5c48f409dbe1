import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { syntheticProject } from "../../cli/bench";
import { loadStackInputs } from "../../infra/testing/render";
import { ROOT } from "../helpers/project";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run bench's synthetic stack", () => {
  it("is a valid configuration of 50 Vertex AI models in 4 regions, made from the committed dev stack", () => {
    const dir = syntheticProject(ROOT);
    made.push(dir);
    const inputs = loadStackInputs({ dir, stack: "synthetic" });
    expect(inputs.ok, JSON.stringify(inputs)).toBe(true);
    if (!inputs.ok) return;
    expect(Object.keys(JSON.parse(inputs.config["llmops:models"]))).toHaveLength(50);
    expect(JSON.parse(inputs.config["llmops:regions"])).toHaveLength(4);
  });
});
