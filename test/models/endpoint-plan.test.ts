import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeploymentSpec, LiveEndpoint } from "../../infra/models/providers/endpoint-deployment-types";
import { DesiredEndpoint, Step, applyStep, capacityNeeded, normalizeSplit, planDrain, planEndpoint, redistribute, sameSplit } from "../../infra/models/providers/endpoint-plan";

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

const kinds = (steps: Step[]) =>
  steps.map((s) => {
    switch (s.kind) {
      case "traffic":
        return `traffic ${JSON.stringify(s.split)}`;
      case "ready":
        return `ready ${JSON.stringify(s.replicas)}`;
      case "undeploy":
        return s.trafficSplit ? `undeploy ${s.deployedModelId} moving ${JSON.stringify(s.trafficSplit)}` : `undeploy ${s.deployedModelId}`;
      case "mutate":
        return `mutate ${s.deployment.deployedModelId} ${s.deployment.minReplicas}-${s.deployment.maxReplicas}`;
      case "deploy":
        return `deploy ${s.deployment.deployedModelId} ${s.deployment.minReplicas}-${s.deployment.maxReplicas}`;
    }
  });

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
    // The canary's share rises, so it must have its replicas available first (here its minimum: 90% on one replica needs one for 50%).
    expect(kinds(steps)).toEqual([`ready {"1000000002":1}`, `traffic {"1000000001":50,"1000000002":50}`]);
  });

  it("deploys first, moves traffic, then undeploys", () => {
    const steps = planEndpoint(NAME, serving, { environment: "prod", deployments: [b], trafficSplit: { [b.deployedModelId]: 100 } });
    expect(kinds(steps)).toEqual(["deploy 1000000002 1-2", `ready {"1000000002":1}`, `traffic {"1000000002":100}`, "undeploy 1000000001"]);
  });

  it("grows replicas before the traffic move and shrinks them after", () => {
    const live: LiveEndpoint = { deployedModels: [a, b], trafficSplit: { [a.deployedModelId]: 90, [b.deployedModelId]: 10 } };
    const desired: DesiredEndpoint = {
      environment: "prod",
      deployments: [{ ...a, maxReplicas: 1 }, { ...b, minReplicas: 2, maxReplicas: 4 }],
      trafficSplit: { [a.deployedModelId]: 10, [b.deployedModelId]: 90 },
    };
    expect(kinds(planEndpoint(NAME, live, desired))).toEqual(["mutate 1000000002 2-4", `ready {"1000000002":2}`, `traffic {"1000000001":10,"1000000002":90}`, "mutate 1000000001 1-1"]);
  });

  it("mutates in place when only autoscaling changes", () => {
    const steps = planEndpoint(NAME, serving, { environment: "prod", deployments: [{ ...a, autoscaling: { metric: "accelerator-duty-cycle", target: 70 } }], trafficSplit: { [a.deployedModelId]: 100 } });
    expect(kinds(steps)).toEqual(["mutate 1000000001 1-2"]);
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

  it("refuses to empty a prod endpoint unless allowEmpty, and drains it when allowed", () => {
    const empty: DesiredEndpoint = { environment: "prod", deployments: [], trafficSplit: {} };
    expect(() => planEndpoint(NAME, serving, empty)).toThrow(/refusing to undeploy every model \(1000000001\) from a prod endpoint/);
    // No "traffic {}" first: the last model goes in one undeploy, which empties the split with it.
    expect(kinds(planEndpoint(NAME, serving, { ...empty, allowEmpty: true }))).toEqual(["undeploy 1000000001"]);
    expect(kinds(planEndpoint(NAME, serving, { ...empty, environment: "dev" }))).toEqual(["undeploy 1000000001"]);
    expect(planEndpoint(NAME, { deployedModels: [], trafficSplit: {} }, empty)).toEqual([]);
  });
});

describe("capacity before traffic", () => {
  const stable = spec("1000000001", { minReplicas: 2, maxReplicas: 6 });
  const canary = spec("1000000002", { minReplicas: 1, maxReplicas: 6 });
  const atCanary: LiveEndpoint = {
    deployedModels: [stable, canary],
    trafficSplit: { [stable.deployedModelId]: 90, [canary.deployedModelId]: 10 },
    availableReplicas: { [stable.deployedModelId]: 4, [canary.deployedModelId]: 1 },
  };
  const full = { [stable.deployedModelId]: 0, [canary.deployedModelId]: 100 };

  it("raises the candidate to its share of the stable's available replicas before moving 10% to 100%, then lowers it again", () => {
    // The stable serves 90% on 4 replicas: 100% needs ceil(100 * 4 / 90) = 5.
    const steps = planEndpoint(NAME, atCanary, { environment: "prod", deployments: [stable, canary], trafficSplit: full });
    expect(kinds(steps)).toEqual([
      "mutate 1000000002 5-6",
      `ready {"1000000002":5}`,
      `traffic {"1000000002":100}`,
      "mutate 1000000002 1-6",
    ]);
  });

  it("adds the configured headroom, and never goes past the model's maxReplicas", () => {
    const half = { [stable.deployedModelId]: 50, [canary.deployedModelId]: 50 };
    // 50% of 4/90 per percent is 2.2 replicas; with 25% headroom 2.8, so 3.
    expect(kinds(planEndpoint(NAME, atCanary, { environment: "prod", deployments: [stable, canary], trafficSplit: half, trafficHeadroom: 25 }))[0]).toBe("mutate 1000000002 3-6");
    const small = { ...canary, maxReplicas: 3 };
    const live = { ...atCanary, deployedModels: [stable, small] };
    expect(kinds(planEndpoint(NAME, live, { environment: "prod", deployments: [stable, small], trafficSplit: full }))[0]).toBe("mutate 1000000002 3-3");
  });

  it("gives the stable back its capacity before a rollback from full", () => {
    const atFull: LiveEndpoint = { ...atCanary, trafficSplit: full, availableReplicas: { [stable.deployedModelId]: 2, [canary.deployedModelId]: 5 } };
    const steps = planEndpoint(NAME, atFull, { environment: "prod", deployments: [stable, canary], trafficSplit: { [stable.deployedModelId]: 100, [canary.deployedModelId]: 0 } });
    expect(kinds(steps)).toEqual(["mutate 1000000001 5-6", `ready {"1000000001":5}`, `traffic {"1000000001":100}`, "mutate 1000000001 2-6"]);
  });

  it("deploys a new model with the replicas its first share needs", () => {
    const lone: LiveEndpoint = { deployedModels: [stable], trafficSplit: { [stable.deployedModelId]: 100 }, availableReplicas: { [stable.deployedModelId]: 3 } };
    const steps = planEndpoint(NAME, lone, { environment: "prod", deployments: [stable, canary], trafficSplit: { [stable.deployedModelId]: 50, [canary.deployedModelId]: 50 } });
    expect(kinds(steps)).toEqual(["deploy 1000000002 2-6", `ready {"1000000002":2}`, `traffic {"1000000001":50,"1000000002":50}`, "mutate 1000000002 1-6"]);
  });

  it("counts a model's minReplicas where Vertex reports no status, and asks nothing when nothing serves yet", () => {
    const noStatus: LiveEndpoint = { deployedModels: [stable, canary], trafficSplit: atCanary.trafficSplit };
    expect(capacityNeeded(noStatus, canary.deployedModelId, 100, 0)).toBe(3); // 2 replicas carry 90%
    expect(capacityNeeded({ deployedModels: [stable, canary], trafficSplit: {} }, canary.deployedModelId, 100, 0)).toBe(0);
    expect(capacityNeeded(atCanary, canary.deployedModelId, 10, 50)).toBe(0); // the share does not rise
  });
});

describe("draining an endpoint", () => {
  const [a, b, c] = ["1000000001", "1000000002", "1000000003"].map((id) => spec(id));

  it("undeploys idle models first, then hands each share to the models that stay, the largest last", () => {
    const live: LiveEndpoint = { deployedModels: [a, b, c], trafficSplit: { [a.deployedModelId]: 70, [b.deployedModelId]: 30, [c.deployedModelId]: 0 } };
    expect(kinds(planDrain(live))).toEqual([
      "undeploy 1000000003",
      `ready {"1000000001":1}`,
      `undeploy 1000000002 moving {"1000000001":100}`,
      "undeploy 1000000001",
    ]);
  });

  it("redistributes a share in proportion, summing to 100", () => {
    expect(redistribute({ a: 20, b: 50, c: 30 }, "a")).toEqual({ b: 63, c: 37 });
    expect(redistribute({ a: 34, b: 33, c: 33 }, "a")).toEqual({ b: 50, c: 50 });
    expect(redistribute({ a: 100 }, "a")).toEqual({});
  });

  it("undeploys models of an endpoint that serves nothing without setting a split", () => {
    expect(kinds(planDrain({ deployedModels: [a, b], trafficSplit: {} }))).toEqual(["undeploy 1000000001", "undeploy 1000000002"]);
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

const arbAvailable = (state: LiveEndpoint) =>
  fc.tuple(...state.deployedModels.map(() => fc.integer({ min: 0, max: 8 }))).map((counts) => ({
    ...state,
    availableReplicas: Object.fromEntries(state.deployedModels.map((d, i) => [d.deployedModelId, counts[i]])),
  }));

describe("planEndpoint invariants (property-based)", () => {
  it("keeps the endpoint serving, gives rising models their capacity before their traffic, and reaches the desired state", () => {
    fc.assert(
      fc.property(arbState.chain(arbAvailable), arbState, fc.integer({ min: 0, max: 50 }), (live, desired, headroom) => {
        const target: DesiredEndpoint = { environment: "dev", deployments: desired.deployedModels, trafficSplit: desired.trafficSplit, trafficHeadroom: headroom };
        let state: LiveEndpoint = live;
        let readied: Readonly<Record<string, number>> = {};
        const servedBefore = Object.keys(normalizeSplit(live.trafficSplit)).length > 0;
        for (const step of planEndpoint(NAME, live, target)) {
          if (step.kind === "undeploy") {
            // Without traffic, or moving it away in the same call, or the last model.
            const keeps = step.trafficSplit ? (step.trafficSplit[step.deployedModelId] ?? 0) : (state.trafficSplit[step.deployedModelId] ?? 0);
            if (state.deployedModels.length > 1) expect(keeps).toBe(0);
          }
          if (step.kind === "ready") readied = step.replicas;
          if (step.kind === "traffic") {
            for (const d of state.deployedModels) {
              const share = step.split[d.deployedModelId] ?? 0;
              if (share <= (state.trafficSplit[d.deployedModelId] ?? 0)) continue;
              const wanted = desired.deployedModels.find((w) => w.deployedModelId === d.deployedModelId)!;
              expect(d.minReplicas).toBeGreaterThanOrEqual(Math.min(wanted.maxReplicas, capacityNeeded(live, d.deployedModelId, share, headroom)));
              expect(readied[d.deployedModelId]).toBe(d.minReplicas);
            }
          }
          state = applyStep(state, step);
          const deployed = new Set(state.deployedModels.map((d) => d.deployedModelId));
          for (const id of Object.keys(normalizeSplit(state.trafficSplit))) expect(deployed.has(id)).toBe(true);
          // An endpoint that served traffic keeps serving while any model is deployed.
          if (servedBefore && state.deployedModels.length > 0) expect(Object.values(state.trafficSplit).reduce((x, y) => x + y, 0)).toBe(100);
        }
        const byId = (list: readonly DeploymentSpec[]) => [...list].sort((x, y) => x.deployedModelId.localeCompare(y.deployedModelId));
        expect(byId(state.deployedModels)).toEqual(byId(desired.deployedModels));
        expect(sameSplit(state.trafficSplit, desired.trafficSplit)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
