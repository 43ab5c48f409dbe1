import { beforeAll, describe, expect, it } from "vitest";
import { type Capability, subtree } from "../../infra/testing";
import type { Plan } from "../../lib/plan";
import { committedStackFile, componentProblems, renderComponent } from "../helpers/component";
import { renderCommitted } from "../helpers/render";

// Each capability's umbrella components, as createStack places them under the stack.
const ROOTS: Record<Capability, (type: string) => boolean> = {
  platform: (t) => t.startsWith("llmops:platform:"),
  pipelines: (t) => t.startsWith("llmops:pipelines:"),
  gke: (t) => t === "llmops:gke:Capacity",
  models: (t) => t === "llmops:models:Models",
  monitoring: (t) => t === "llmops:monitoring:Monitoring",
};
const OUTPUTS: Record<Capability, string[]> = {
  platform: ["buckets", "imagesRepository", "pipelinesRepository", "serviceAccounts", "ciWorkloadIdentityProvider"],
  pipelines: ["pipelines"],
  gke: ["gke"],
  models: ["models"],
  monitoring: ["monitoring"],
};

let dev: Plan;
beforeAll(async () => {
  ({ dev } = await renderCommitted("dev"));
});

describe("renderComponent on a committed stack", () => {
  it.each(Object.keys(ROOTS) as Capability[])("renders %s exactly as the whole stack renders it: same resources, options, dependencies and outputs", async (capability) => {
    const component = await renderComponent(capability, {}, committedStackFile("dev"));
    const roots = dev.resources.filter((r) => r.parent === null && ROOTS[capability](r.type)).map((r) => r.urn);
    expect(roots.length).toBeGreaterThan(0);
    const expected = subtree(dev.resources, new Set(roots));
    expect(component.resources.map((r) => r.urn)).toEqual(expected.map((r) => r.urn));
    expect(component.resources).toEqual(expected);
    expect(component.outputs).toEqual(Object.fromEntries(OUTPUTS[capability].map((k) => [k, dev.outputs[k]])));
  });
});

describe("renderComponent on the fixture stack", () => {
  it("renders the same plan again after another capability's render: an earlier render leaves nothing behind", async () => {
    const config = { "llmops:ci": { github: { repository: "acme/llmops-gcp" } } };
    const first = await renderComponent("platform", config);
    await renderComponent("pipelines");
    expect(await renderComponent("platform", config)).toEqual(first);
  });

  it("reports a configuration mistake in the fixture's file and key, before rendering", async () => {
    expect(await componentProblems("platform", { "llmops:storage": { location: "us-centrl1", kmsKeyName: 5 } })).toEqual([
      expect.objectContaining({ file: "Pulumi.fixture.yaml", key: "llmops:storage.location", message: expect.stringContaining('did you mean "us-central1"') }),
      { file: "Pulumi.fixture.yaml", key: "llmops:storage.kmsKeyName", message: "got number 5; expected a string" },
    ]);
  });

  it("refuses to render GKE on a stack without llmops:gke", async () => {
    expect(await componentProblems("gke", {})).toEqual([{ file: "Pulumi.fixture.yaml", key: "llmops:gke", message: expect.stringMatching(/^not configured/) }]);
  });
});
