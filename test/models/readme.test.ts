import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { comparePlans } from "../../infra/testing";
import { ofType, type Plan } from "../../lib/plan";
import { renderComponent } from "../helpers/component";
import { ROOT } from "../helpers/project";
import { exampleConfig, readmeExamples } from "../helpers/readme";
import { describeReadme } from "../helpers/readme-suite";

describeReadme("infra/models/README.md", "models");

// What the README says of its example: 90/10 at canary, and a stage change moves only those numbers.
describe("infra/models/README.md: the canary example's plan", () => {
  const [example] = readmeExamples(fs.readFileSync(path.join(ROOT, "infra/models/README.md"), "utf8"));
  const withStage = (stage: string) => {
    const config = exampleConfig(example) as { "llmops:models": Record<string, { rollout: { stage: string } }> };
    config["llmops:models"]["support-assistant"].rollout.stage = stage;
    return config;
  };
  const split = (plan: Plan) => {
    const [d] = ofType(plan, "pulumi-nodejs:dynamic/vertex:EndpointDeployment");
    const specs = d.inputs.deployments as { deployedModelId: string; displayName: string }[];
    const trafficSplit = d.inputs.trafficSplit as Record<string, number>;
    return Object.fromEntries(specs.map((s) => [s.displayName.replace(/^.*?(\d+\.\d+\.\d+)$/, "$1"), trafficSplit[s.deployedModelId]]));
  };

  it("sends 90% to 1.2.0 and 10% to 1.3.0 in us-central1; partial changes only the two numbers", async () => {
    const canary = await renderComponent("models", exampleConfig(example));
    const partial = await renderComponent("models", withStage("partial"));
    expect(split(canary)).toEqual({ "1.2.0": 90, "1.3.0": 10 });
    expect(ofType(canary, "gcp:vertex/aiEndpoint:AiEndpoint").map((e) => e.inputs.location)).toEqual(["us-central1"]);
    const changes = comparePlans(canary, partial);
    expect(changes.map((c) => [c.kind, c.path?.replace(/\d+/, "<id>"), c.before, c.after]).sort()).toEqual([
      ["change", 'inputs.trafficSplit["<id>"]', 10, 50],
      ["change", 'inputs.trafficSplit["<id>"]', 90, 50],
    ]);
  });
});
