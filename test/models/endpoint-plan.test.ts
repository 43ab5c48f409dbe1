import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeploymentSpec, LiveEndpoint } from "../../infra/models/providers/endpoint-deployment-types";
import { DesiredEndpoint, Step, applyStep, normalizeSplit, planEndpoint, sameSplit } from "../../infra/models/providers/endpoint-plan";

const NAME = "projects/p/locations/us-central1/endpoints/1";

function spec(id: string, overrides: Partial<DeploymentSpec> = {}): DeploymentSpec {
  return {
    deployedModelId: id,
    model: `projects/p/locations/us-central1/models/m@${id.slice(-1)}`,
    displayName: `m-${id}`,
    machineType: "g2-standard-12",
    acceleratorType: "NVIDIA_L4",
    acceleratorCount: 1,
    minReplicas: 1,
    maxReplicas: 2,
    ...overrides,
  };
}

const kinds = (steps: Step[]) => steps.map((s) => (s.kind === "traffic" ? `traffic ${JSON.stringify(s.split)}` : `${s.kind} ${"deployment" in s ? s.deployment.deployedModelId : s.deployedModelId}`));

describe("planEndpoint", () => {
  const a = spec("1000000001");
  const b = spec("1000000002");
  const serving: LiveEndpoint = { deployedModels: [a], trafficSplit: { [a.deployedModelId]: 100 } };

  it("plans nothing when the endpoint already is as desired, zeros and key order aside", () => {
    const live: LiveEndpoint = { deployedModels: [a, b], trafficSplit: { [b.deployedModelId]: 0, [a.deployedModelId]: 100 } };
    expect(planEndpoint(NAME, live, { environment: "prod", deployments: [b, a], trafficSplit: { [a.deployedModelId]: 100 } })).toEqual([]);
  });

  it("plans a stage change as a single traffic update", () => {
    const live: LiveEndpoint = { deployedModels: [a, b], trafficSplit: { [a.deployedModelId]: 90, [b.deployedModelId]: 10 } };
    const steps = planEndpoint(NAME, live, { environment: "prod", deployments: [a, b], trafficSplit: { [a.deployedModelId]: 50, [b.deployedModelId]: 50 } });
    expect(kinds(steps)).toEqual([`traffic {"1000000001":50,"1000000002":50}`]);
  });

  it("deploys first, moves traffic, then undeploys", () => {
    const steps = planEndpoint(NAME, serving, { environment: "prod", deployments: [b], trafficSplit: { [b.deployedModelId]: 100 } });
    expect(kinds(steps)).toEqual(["deploy 1000000002", `traffic {"1000000002":100}`, "undeploy 1000000001"]);
  });

  it("grows replicas before the traffic move and shrinks them after", () => {
    const live: LiveEndpoint = { deployedModels: [a, b], trafficSplit: { [a.deployedModelId]: 90, [b.deployedModelId]: 10 } };
    const desired: DesiredEndpoint = {
      environment: "prod",
      deployments: [{ ...a, maxReplicas: 1 }, { ...b, minReplicas: 2, maxReplicas: 4 }],
      trafficSplit: { [a.deployedModelId]: 10, [b.deployedModelId]: 90 },
    };
    expect(kinds(planEndpoint(NAME, live, desired))).toEqual(["mutate 1000000002", `traffic {"1000000001":10,"1000000002":90}`, "mutate 1000000001"]);
  });

  it("mutates in place when only autoscaling changes", () => {
    const steps = planEndpoint(NAME, serving, { environment: "prod", deployments: [{ ...a, autoscaling: { metric: "accelerator-duty-cycle", target: 70 } }], trafficSplit: { [a.deployedModelId]: 100 } });
    expect(kinds(steps)).toEqual(["mutate 1000000001"]);
  });

  it("ignores a display name change: Vertex AI sets it at deploy time only", () => {
    expect(planEndpoint(NAME, serving, { environment: "prod", deployments: [{ ...a, displayName: "renamed" }], trafficSplit: { [a.deployedModelId]: 100 } })).toEqual([]);
  });

  it("treats a project number and a project id as the same model", () => {
    const live: LiveEndpoint = { ...serving, deployedModels: [{ ...a, model: a.model.replace("projects/p/", "projects/123456/") }] };
    expect(planEndpoint(NAME, live, { environment: "prod", deployments: [a], trafficSplit: { [a.deployedModelId]: 100 } })).toEqual([]);
  });

  it.each([
    ["model", { model: "projects/p/locations/us-central1/models/m@9" }, /model \(.*m@1 -> .*m@9\)/],
    ["machineType", { machineType: "g2-standard-24" }, /machineType \(g2-standard-12 -> g2-standard-24\)/],
    ["acceleratorType", { acceleratorType: "NVIDIA_H100_80GB", machineType: "g2-standard-12" }, /acceleratorType \(NVIDIA_L4 -> NVIDIA_H100_80GB\)/],
    ["acceleratorCount", { acceleratorCount: 2 }, /acceleratorCount \(1 -> 2\)/],
    ["serviceAccount", { serviceAccount: "serving@p.iam.gserviceaccount.com" }, /serviceAccount \(default -> serving@p\.iam\.gserviceaccount\.com\)/],
  ])("refuses to change %s under the same deployed model id", (_field, change, message) => {
    expect(() => planEndpoint(NAME, serving, { environment: "dev", deployments: [{ ...a, ...change }], trafficSplit: { [a.deployedModelId]: 100 } })).toThrow(message);
  });

  it("refuses to empty a prod endpoint unless allowEmpty, and plans traffic-then-undeploy when allowed", () => {
    const empty: DesiredEndpoint = { environment: "prod", deployments: [], trafficSplit: {} };
    expect(() => planEndpoint(NAME, serving, empty)).toThrow(/refusing to undeploy every model \(1000000001\) from a prod endpoint/);
    expect(kinds(planEndpoint(NAME, serving, { ...empty, allowEmpty: true }))).toEqual(["traffic {}", "undeploy 1000000001"]);
    expect(kinds(planEndpoint(NAME, serving, { ...empty, environment: "dev" }))).toEqual(["traffic {}", "undeploy 1000000001"]);
    expect(planEndpoint(NAME, { deployedModels: [], trafficSplit: {} }, empty)).toEqual([]);
  });
});

describe("split helpers", () => {
  it("normalizeSplit drops zeros and sorts keys; sameSplit compares normalised", () => {
    expect(Object.keys(normalizeSplit({ b: 60, a: 40, c: 0 }))).toEqual(["a", "b"]);
    expect(sameSplit({ a: 100, b: 0 }, { a: 100 })).toBe(true);
    expect(sameSplit({ a: 90, b: 10 }, { a: 100 })).toBe(false);
  });
});

/** Random endpoints and desired states whose splits are valid, as `check` guarantees. */
const ids = ["1000000001", "1000000002", "1000000003", "1000000004", "1000000005"];
const arbSpec = (id: string) =>
  fc.record({ minReplicas: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 3 }) }).map(({ minReplicas, extra }) => spec(id, { minReplicas, maxReplicas: minReplicas + extra }));
const arbSplit = (chosen: string[]) =>
  chosen.length === 0
    ? fc.constant({} as Record<string, number>)
    : fc.array(fc.integer({ min: 0, max: 100 }), { minLength: chosen.length - 1, maxLength: chosen.length - 1 }).map((cuts) => {
        const points = [0, ...cuts.sort((x, y) => x - y), 100];
        return Object.fromEntries(chosen.map((id, i) => [id, points[i + 1] - points[i]]));
      });
const arbState = fc.subarray(ids).chain((chosen) => fc.tuple(fc.tuple(...chosen.map(arbSpec)), arbSplit(chosen)).map(([deployedModels, trafficSplit]) => ({ deployedModels, trafficSplit })));

describe("planEndpoint invariants (property-based)", () => {
  it("keeps every model with traffic deployed, never undeploys one with traffic, and reaches the desired state", () => {
    fc.assert(
      fc.property(arbState, arbState, (live, desired) => {
        const target: DesiredEndpoint = { environment: "dev", deployments: desired.deployedModels, trafficSplit: desired.trafficSplit };
        let state: LiveEndpoint = live;
        const servedBefore = Object.keys(normalizeSplit(live.trafficSplit)).length > 0;
        for (const step of planEndpoint(NAME, live, target)) {
          if (step.kind === "undeploy") expect(state.trafficSplit[step.deployedModelId] ?? 0).toBe(0);
          state = applyStep(state, step);
          const deployed = new Set(state.deployedModels.map((d) => d.deployedModelId));
          for (const id of Object.keys(normalizeSplit(state.trafficSplit))) expect(deployed.has(id)).toBe(true);
          // An endpoint that served traffic keeps serving until the desired state says otherwise.
          if (servedBefore && desired.deployedModels.length > 0) expect(Object.values(state.trafficSplit).reduce((x, y) => x + y, 0)).toBe(100);
        }
        const byId = (list: readonly DeploymentSpec[]) => [...list].sort((x, y) => x.deployedModelId.localeCompare(y.deployedModelId));
        expect(byId(state.deployedModels)).toEqual(byId(desired.deployedModels));
        expect(sameSplit(state.trafficSplit, desired.trafficSplit)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
