import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DeploymentSpec, EndpointDeploymentInputs } from "../../infra/models/providers/endpoint-deployment-types";
import { FakeVertex, FakeVertexOptions } from "./fake-vertex";
import { checkSafety, expectRecordMatches, expectServes, simulatedDiff, up, type Outcome, type Recorded } from "./engine-sim";
import { MODEL_ID, deployment, endpointInputs } from "./fixtures";

/**
 * Random schedules of programs and faults across a rollout's life (stable alone, canary,
 * partial, full, promoted, rollback, a candidate dropped, the resource removed and re-added),
 * each run of the schedule a `pulumi up` in a new process (engine-sim.ts) against the in-process
 * fake, whose operations finish in the background at random speeds and whose replicas arrive
 * late. Faults per run: the process killed after N mutating calls, lost answers, transient 503s,
 * 429s beyond the retries, operations that fail or hang past their timeout, and a person's edits
 * before the run.
 *
 * After every run: a run that returned left a record equal to the endpoint; after the schedule,
 * every state the endpoint went through was safe (`checkSafety`). Then the faults stop, hung
 * operations finish (time passes), and the next run brings the endpoint to the last program, with
 * the record equal to it and a further preview showing no change. 300 schedules, about 1,300
 * simulated runs and 4,500 checked endpoint states per test run.
 */

const VERSIONS = ["1.0.0", "1.1.0", "1.2.0"] as const;
const VERBS = [":deployModel$", ":undeployModel$", ":mutateDeployedModel$", "^PATCH "] as const;

/** A program: versions with their percent (the split), the replica bounds of all; or the resource removed. */
interface Program {
  readonly serving: readonly (readonly [number, number])[];
  readonly min: number;
  readonly max: number;
}

type Fault =
  | { readonly kind: "kill"; readonly after: number }
  | { readonly kind: "lose" | "transient" | "throttled" | "operationFails" | "hang"; readonly verb: number; readonly after: number }
  | { readonly kind: "hand-split"; readonly cuts: readonly number[] }
  | { readonly kind: "hand-undeploy-idle" | "hand-replicas-lost" | "hand-empty-split" | "time-passes" };

interface Schedule {
  readonly fake: FakeVertexOptions;
  readonly headroom: number;
  readonly steps: readonly { readonly program: Program | undefined; readonly faults: readonly Fault[] }[];
  readonly last: Program;
}

const arbProgram: fc.Arbitrary<Program> = fc
  .record({
    stable: fc.nat(2),
    candidate: fc.option(fc.record({ offset: fc.integer({ min: 1, max: 2 }), weight: fc.constantFrom(0, 10, 50, 100) }), { nil: undefined }),
    min: fc.integer({ min: 1, max: 3 }),
    extra: fc.nat(3),
  })
  .map(({ stable, candidate, min, extra }) => ({
    serving: candidate ? [[stable, 100 - candidate.weight], [(stable + candidate.offset) % 3, candidate.weight]] : [[stable, 100]],
    min,
    max: min + extra,
  }));

const arbFault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ kind: fc.constant("kill" as const), after: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constantFrom("lose" as const, "transient" as const, "throttled" as const, "operationFails" as const, "hang" as const), verb: fc.nat(3), after: fc.nat(1) }),
  fc.record({ kind: fc.constant("hand-split" as const), cuts: fc.array(fc.nat(100), { minLength: 2, maxLength: 2 }) }),
  fc.record({ kind: fc.constantFrom("hand-undeploy-idle" as const, "hand-replicas-lost" as const, "hand-empty-split" as const, "time-passes" as const) }),
);

const arbSchedule: fc.Arbitrary<Schedule> = fc.record({
  fake: fc.record({
    operationPolls: fc.nat(3),
    operationTicks: fc.oneof(fc.constant(Number.POSITIVE_INFINITY), fc.integer({ min: 2, max: 12 })),
    replicaLag: fc.nat(3),
  }),
  headroom: fc.constantFrom(0, 0, 20, 50),
  steps: fc.array(
    fc.record({
      program: fc.oneof({ weight: 9, arbitrary: arbProgram }, { weight: 1, arbitrary: fc.constant(undefined) }),
      faults: fc.array(arbFault, { maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  last: arbProgram,
});

/** The bounds of a run under faults: an operation that hangs gives up after 5 ms. */
const FAULTY = { operationTimeoutMs: 5, pollIntervalMs: 0, runTimeoutMs: 2_000 };
/** The bounds of the runs after the schedule: generous, since nothing hangs any more. */
const CALM = { operationTimeoutMs: 2_000, pollIntervalMs: 0, runTimeoutMs: 5_000 };

function arm(fake: FakeVertex, fault: Fault): void {
  const endpoint = fake.endpoints.get("4242");
  const share = (id: string) => endpoint.trafficSplit[id] ?? 0;
  switch (fault.kind) {
    case "kill":
      return fake.killAfter(fault.after);
    case "lose":
      return fake.loseNext(new RegExp(VERBS[fault.verb]), 1, fault.after);
    case "transient":
      return fake.failNext(new RegExp(VERBS[fault.verb]), 1, "UNAVAILABLE", "injected blip", fault.after);
    case "throttled":
      return fake.failNext(new RegExp(VERBS[fault.verb]), 10, "RESOURCE_EXHAUSTED", "injected quota exhaustion", fault.after);
    case "operationFails":
      return fake.failOperations(new RegExp(VERBS[fault.verb]), "RESOURCE_EXHAUSTED", "injected: the following quota metrics exceed quota limits");
    case "hang":
      return fake.hangOperations(new RegExp(VERBS[fault.verb]));
    case "hand-split": {
      const ids = endpoint.deployedModels.map((d) => d.id);
      if (ids.length === 0) return;
      const points = [0, ...[...fault.cuts].sort((a, b) => a - b).slice(0, ids.length - 1), 100];
      fake.hand.split("4242", Object.fromEntries(ids.map((id, i) => [id, points[i + 1] - points[i]]).filter(([, p]) => (p as number) > 0)));
      return;
    }
    case "hand-undeploy-idle": {
      const idle = endpoint.deployedModels.find((d) => share(d.id) === 0);
      if (idle) fake.hand.undeploy("4242", idle.id);
      return;
    }
    case "hand-replicas-lost": {
      const serving = endpoint.deployedModels.find((d) => share(d.id) > 0);
      return serving ? fake.hand.available("4242", serving.id, 0) : undefined;
    }
    case "hand-empty-split":
      fake.hand.split("4242", {});
      return;
    case "time-passes":
      return fake.releaseHungOperations();
  }
}

interface Tally {
  schedules: number;
  runs: number;
  states: number;
  outcomes: Record<Outcome, number>;
}

async function play(schedule: Schedule, tally: Tally): Promise<void> {
  const fake = FakeVertex.create({ ...schedule.fake, strictLastUndeploy: false });
  const endpoint = fake.createEndpoint("4242");
  const models = VERSIONS.map((v) => fake.seedVersion(MODEL_ID, `v${v.replace(/\./g, "-")}`));
  const inputsOf = (p: Program): EndpointDeploymentInputs => {
    const deployments: DeploymentSpec[] = p.serving.map(([i]) => ({ ...deployment(models[i], VERSIONS[i]), minReplicas: p.min, maxReplicas: p.max }));
    const split = Object.fromEntries(p.serving.map(([, percent], k) => [deployments[k].deployedModelId, percent]));
    return endpointInputs(fake, endpoint, deployments, split, { environment: "dev", trafficHeadroom: schedule.headroom });
  };

  let record: Recorded | undefined;
  for (const [n, step] of schedule.steps.entries()) {
    for (const fault of step.faults) arm(fake, fault);
    const program = step.program && inputsOf(step.program);
    const result = await up(fake, program, record, FAULTY);
    tally.runs++;
    tally.outcomes[result.outcome]++;
    record = result.record;
    const context = `run ${n} (${result.outcome}${result.error ? `: ${result.error.message}` : ""})`;
    const returned = ["created", "updated", "unchanged"].includes(result.outcome) || (result.outcome === "failed" && program && (result.error as { properties?: unknown })?.properties);
    if (returned && record) expectRecordMatches(record, fake.endpoints.get("4242"), context);
    if (result.outcome === "deleted") expectServes(fake.endpoints.get("4242"), undefined, context);
  }

  // The faults stop and time passes; the next run must converge on the last program.
  fake.clearFaults();
  fake.releaseHungOperations();
  const target = inputsOf(schedule.last);
  const result = await up(fake, target, record, CALM);
  tally.runs++;
  tally.outcomes[result.outcome]++;
  expect(result.error, `the run after the faults: ${result.error?.message}`).toBeUndefined();
  expectServes(fake.endpoints.get("4242"), target, "after the run that followed the faults");
  expectRecordMatches(result.record!, fake.endpoints.get("4242"), "the record after the run that followed the faults");
  expect((await simulatedDiff(fake, result.record!, target)).changes, "a preview after it").toBe(false);
  tally.states += checkSafety(fake.endpoints.history);
  tally.schedules++;
}

describe("EndpointDeployment under random fault schedules (property-based)", () => {
  it("keeps every state safe, keeps the record true, and converges on the first run once the faults stop", async () => {
    const tally: Tally = { schedules: 0, runs: 0, states: 0, outcomes: { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0, killed: 0 } };
    await fc.assert(
      fc.asyncProperty(arbSchedule, (schedule) => play(schedule, tally)),
      { numRuns: 300 },
    );
    // The schedules did exercise the faults they are about.
    expect(tally.schedules).toBe(300);
    expect(tally.outcomes.killed).toBeGreaterThan(20);
    expect(tally.outcomes.failed).toBeGreaterThan(20);
    expect(tally.outcomes.deleted).toBeGreaterThan(5);
    expect(tally.states).toBeGreaterThan(1_000);
  });
});
