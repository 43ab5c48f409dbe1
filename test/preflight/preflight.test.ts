/**
 * Preflight on the committed stacks, and on plans mutated the ways a change could break an
 * apply-time precondition: every order a rule requires cut, an API, a deployer role, a metric,
 * a key grant, a cluster setting removed. Each must fail naming the resource that would fail.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPlan, preflightCommandAction } from "../../cli/preflight";
import { UserError } from "../../cli/project";
import type { Plan, PlannedResource } from "../../lib/plan";
import { PREFLIGHT_RULES, assertPlan, preflight, type Requirement } from "../../policies/preflight";
import { PlanGraph } from "../../policies/preflight/graph";
import { introducedFindings, preflightCheck } from "../../policies/preflight/diff";
import { formatJson, formatText } from "../../policies/preflight/report";
import { diffStack } from "../../cli/diff/report";
import { renderCommitted } from "../helpers/render";

let plans: Record<string, Plan>;
beforeAll(async () => {
  // Frozen: the mutations below share every resource they leave alone with the rendered plan, so
  // a check that wrote to its input would throw here instead of corrupting the next test's plan.
  plans = deepFreeze(await renderCommitted("dev", "prod"));
}, 180_000);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const STACKS = ["dev", "prod"] as const;

/** The plan with the resources `edit` returns (a new object for one it changes; undefined drops it). */
function mutate(plan: Plan, edit: (r: PlannedResource) => PlannedResource | undefined): Plan {
  return { ...plan, resources: plan.resources.map(edit).filter((r): r is PlannedResource => r !== undefined) };
}

/** Drops a resource and every edge to it, as if the program no longer declared it. */
function without(plan: Plan, drop: (r: PlannedResource) => boolean): Plan {
  const gone = new Set(plan.resources.filter(drop).map((r) => r.urn));
  expect(gone.size, "the mutation must remove something").toBeGreaterThan(0);
  return mutate(plan, (r) => (gone.has(r.urn) ? undefined : { ...r, dependencies: (r.dependencies ?? []).filter((d) => !gone.has(d)), parent: r.parent && gone.has(r.parent) ? null : r.parent }));
}

/**
 * Removes every path from `urn` to the targets: the targets leave the dependency lists (and
 * parent links) of `urn` and of everything it waits for, so nothing in between still leads there.
 */
function cut(plan: Plan, requirement: Requirement): Plan {
  const graph = new PlanGraph(plan);
  const upstream = new Set([requirement.urn, ...graph.waitsFor(requirement.urn)]);
  const targets = new Set(requirement.targets);
  return mutate(plan, (r) =>
    upstream.has(r.urn) ? { ...r, dependencies: (r.dependencies ?? []).filter((d) => !targets.has(d)), parent: r.parent && targets.has(r.parent) ? null : r.parent } : r,
  );
}

const errorsOf = (plan: Plan) => preflight(plan).findings.filter((f) => f.severity === "error");
const named = (plan: Plan, name: string) => plan.resources.find((r) => r.name === name)!;

describe.each(STACKS)("the committed %s stack", (stack) => {
  it("passes preflight without an error finding", () => {
    expect(errorsOf(plans[stack]).map((f) => `${f.rule} ${f.urn}: ${f.message}`)).toEqual([]);
  });

  it("requires orders of every rule that orders, and each cut is reported on the resource that would fail", () => {
    const { requirements } = preflight(plans[stack]);
    const rules = new Set(requirements.map((r) => r.rule));
    expect([...rules].sort()).toEqual(expect.arrayContaining(["api-enabled", "crd-installed", "deployer-act-as", "in-cluster", "log-metric-first", "runs-as-grants", "workload-identity-pool", "workload-metric-first"]));
    // Every requirement of a rule is cut in turn for the first few, then one in every few:
    // hundreds of mutations, each a full preflight run.
    const byRule = new Map<string, Requirement[]>();
    for (const r of requirements) byRule.set(r.rule, [...(byRule.get(r.rule) ?? []), r]);
    let cuts = 0;
    for (const [rule, list] of byRule) {
      list.forEach((requirement, i) => {
        if (i >= 12 && i % 7 !== 0) return;
        const errors = errorsOf(cut(plans[stack], requirement));
        expect(
          errors.some((f) => f.urn === requirement.urn && f.rule === rule),
          `cutting ${requirement.urn} → ${requirement.targets.join(" | ")} should fail ${rule}`,
        ).toBe(true);
        cuts++;
      });
    }
    expect(cuts).toBeGreaterThan(50);
  });

  it("fails every resource of an API when the stack stops enabling it", () => {
    const services = plans[stack].resources.filter((r) => r.type === "gcp:projects/service:Service");
    const { requirements } = preflight(plans[stack]);
    for (const service of services) {
      const api = service.inputs.service as string;
      const users = requirements.filter((r) => r.rule === "api-enabled" && r.targets.includes(service.urn)).map((r) => r.urn);
      if (users.length === 0) continue;
      const errors = errorsOf(without(plans[stack], (r) => r.urn === service.urn)).filter((f) => f.rule === "api-enabled");
      expect(errors.map((f) => f.urn).sort(), api).toEqual([...new Set(users)].sort());
      expect(errors[0].message).toContain(`"${api}"`);
    }
  });

  it("needs every project role the deployer holds: dropping any one fails a resource, naming the role to grant back", () => {
    const deployer = `serviceAccount:llmops-deployer-${stack}@acme-llmops-${stack}.iam.gserviceaccount.com`;
    const grants = plans[stack].resources.filter((r) => r.type === "gcp:projects/iAMMember:IAMMember" && r.inputs.member === deployer);
    expect(grants.length).toBeGreaterThan(5);
    for (const grant of grants) {
      const errors = errorsOf(without(plans[stack], (r) => r.urn === grant.urn)).filter((f) => f.rule === "deployer-permissions");
      expect(errors.length, `${grant.inputs.role} looks unneeded`).toBeGreaterThan(0);
      expect(errors.every((f) => f.message.includes("GRANTS.deployer") && /roles\//.test(f.message))).toBe(true);
    }
  });

  it("fails the deployments of an account when the deployer loses actAs on it", () => {
    const actAs = plans[stack].resources.filter((r) => r.type === "gcp:serviceaccount/iAMMember:IAMMember" && /actas/.test(r.name) && String(r.inputs.member).includes("deployer"));
    expect(actAs.length).toBeGreaterThan(1);
    for (const grant of actAs) {
      const errors = errorsOf(without(plans[stack], (r) => r.urn === grant.urn)).filter((f) => f.rule === "deployer-act-as");
      expect(errors.length, grant.name).toBeGreaterThan(0);
      expect(errors[0].message).toMatch(/may not act as it/);
    }
  });

  it("fails the alerts that read a log-based metric the stack no longer creates", () => {
    const errors = errorsOf(without(plans[stack], (r) => r.type === "gcp:logging/metric:Metric")).filter((f) => f.rule === "log-metric-first");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((f) => f.urn.includes("gcp:monitoring/alertPolicy:AlertPolicy"))).toBe(true);
  });

  it("fails Kubernetes objects on a default provider, and kinds whose installer is switched off", () => {
    const ns = plans[stack].resources.find((r) => r.type === "kubernetes:core/v1:Namespace")!;
    const ambient = errorsOf(mutate(plans[stack], (r) => (r.urn === ns.urn ? { ...r, options: { ...r.options, provider: null }, dependencies: [] } : r)));
    expect(ambient.some((f) => f.urn === ns.urn && f.rule === "in-cluster" && /default Kubernetes provider/.test(f.message))).toBe(true);

    const noPrometheus = errorsOf(
      mutate(plans[stack], (r) => (r.type === "gcp:container/cluster:Cluster" ? { ...r, inputs: { ...r.inputs, monitoringConfig: { enableComponents: ["SYSTEM_COMPONENTS"] } } } : r)),
    );
    expect(noPrometheus.some((f) => f.rule === "crd-installed" && f.urn.includes("PodMonitoring") && /managedPrometheus/.test(f.message))).toBe(true);

    const noFleet = errorsOf(without(plans[stack], (r) => r.type === "gcp:gkehub/feature:Feature" && r.inputs.name === "multiclusterservicediscovery"));
    expect(noFleet.some((f) => f.rule === "crd-installed" && f.urn.includes("ServiceExport"))).toBe(true);
  });

  it("fails Workload Identity grants when no cluster creates the pool", () => {
    const errors = errorsOf(mutate(plans[stack], (r) => (r.type === "gcp:container/cluster:Cluster" ? { ...r, inputs: { ...r.inputs, workloadIdentityConfig: undefined } } : r)));
    const wi = errors.filter((f) => f.rule === "workload-identity-pool");
    expect(wi.length).toBeGreaterThanOrEqual(2);
    expect(wi[0].message).toMatch(/Identity Pool does not exist/);
  });

  it("fails a schedule whose provider has no region, or another region than its location", () => {
    const schedule = plans[stack].resources.find((r) => r.type === "gcp:colab/schedule:Schedule")!;
    const provider = schedule.options.provider ? named(plans[stack], plans[stack].resources.find((r) => r.urn === schedule.options.provider)!.name) : undefined;
    expect(provider, "schedules name an explicit provider").toBeDefined();
    const noRegion = errorsOf(mutate(plans[stack], (r) => (r.urn === provider!.urn ? { ...r, inputs: { ...r.inputs, region: undefined } } : r)));
    expect(noRegion.some((f) => f.urn === schedule.urn && f.rule === "provider-region" && /Cannot determine region/.test(f.message))).toBe(true);
    const elsewhere = errorsOf(mutate(plans[stack], (r) => (r.urn === provider!.urn ? { ...r, inputs: { ...r.inputs, region: "europe-west4" } } : r)));
    expect(elsewhere.some((f) => f.urn === schedule.urn && f.rule === "provider-region" && /europe-west4/.test(f.message))).toBe(true);
  });

  it("fails an accelerator pool that starts more nodes than its minimum", () => {
    const pool = plans[stack].resources.find((r) => r.type === "gcp:container/nodePool:NodePool" && Array.isArray((r.inputs.nodeConfig as { guestAccelerators?: unknown[] }).guestAccelerators))!;
    const errors = errorsOf(mutate(plans[stack], (r) => (r.urn === pool.urn ? { ...r, inputs: { ...r.inputs, initialNodeCount: 5 } } : r)));
    expect(errors.some((f) => f.urn === pool.urn && f.rule === "initial-nodes")).toBe(true);
  });

});

// Only dev has a model with two versions in a region.
describe("the dev stack's model uploads", () => {
  it("fails versions of a model uploaded in parallel", () => {
    const versions = plans.dev.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/vertex:ModelVersion");
    const versionUrns = new Set(versions.map((v) => v.urn));
    const errors = errorsOf(mutate(plans.dev, (r) => (versionUrns.has(r.urn) ? { ...r, dependencies: (r.dependencies ?? []).filter((d) => !versionUrns.has(d)) } : r)));
    expect(errors.some((f) => f.rule === "model-upload-order" && /ALREADY_EXISTS/.test(f.message))).toBe(true);
  });
});

describe("the prod stack's customer-managed keys", () => {
  it("fail a repository whose key is in another location, or whose service agent grant is gone", () => {
    const repo = plans.prod.resources.find((r) => r.type === "gcp:artifactregistry/repository:Repository")!;
    expect(repo.inputs.kmsKeyName).toMatch(/locations\/us-central1\//);
    const moved = errorsOf(mutate(plans.prod, (r) => (r.urn === repo.urn ? { ...r, inputs: { ...r.inputs, kmsKeyName: "projects/acme-security/locations/us/keyRings/llmops/cryptoKeys/storage" } } : r)));
    expect(moved.some((f) => f.urn === repo.urn && f.rule === "kms-key-ready" && /is in us-central1 but its key .* is in us/.test(f.message))).toBe(true);
    const ungranted = errorsOf(without(plans.prod, (r) => r.type === "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember" && String(r.inputs.member).includes("artifactregistry")));
    expect(ungranted.filter((f) => f.rule === "kms-key-ready").map((f) => f.urn)).toEqual(expect.arrayContaining([repo.urn]));
  });

  it("warn, not fail, about the key grants the deployer needs in the key's own project", () => {
    const warnings = preflight(plans.prod).findings.filter((f) => f.severity === "warning" && f.rule === "deployer-permissions");
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.every((f) => f.urn.includes("CryptoKeyIAMMember") && /acme-security/.test(f.message))).toBe(true);
  });
});

describe("rules and types", () => {
  it("has unique rule ids, each with a summary", () => {
    const ids = PREFLIGHT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of PREFLIGHT_RULES) expect(rule.summary.length).toBeGreaterThan(20);
  });

  it("fails a resource type with no preflight entry", () => {
    const plan = mutate(plans.dev, (r) => (r.type === "gcp:storage/bucket:Bucket" ? { ...r, type: "gcp:storage/newThing:NewThing" } : r));
    const errors = errorsOf(plan).filter((f) => f.rule === "type-known");
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toContain("policies/preflight/resource-types.ts");
  });
});

describe("reading plans", () => {
  const good = () => structuredClone(plans.dev) as unknown as Record<string, unknown>;
  const broken: [string, (p: Record<string, unknown>) => void, RegExp][] = [
    ["no resources", (p) => delete p.resources, /no resources list/],
    ["inputs: null", (p) => ((p.resources as Record<string, unknown>[])[0].inputs = null), /inputs must be an object/],
    ["options: null", (p) => ((p.resources as Record<string, unknown>[])[0].options = null), /options must be an object/],
    ["a plan from before the dependency graph", (p) => (p.resources as Record<string, unknown>[]).forEach((r) => delete r.dependencies), /no dependencies list/],
    ["a numeric urn", (p) => ((p.resources as Record<string, unknown>[])[0].urn = 7), /urn, type and name must be strings/],
  ];

  it.each(broken)("refuses %s, naming the file", (_, breakIt, message) => {
    const plan = good();
    breakIt(plan);
    expect(() => assertPlan(plan, "plans/dev.json")).toThrow(message);
    expect(() => assertPlan(plan, "plans/dev.json")).toThrow(/^plans\/dev\.json: /);
  });

  it("refuses a dependency on a resource the plan does not have", () => {
    const plan = mutate(plans.dev, (r) => (r.type === "gcp:storage/bucket:Bucket" ? { ...r, dependencies: [...(r.dependencies ?? []), "urn:pulumi:dev::llmops::gcp:x/y:Z::gone"] } : r));
    expect(() => checkPlan(plan, "plans/dev.json")).toThrow(UserError);
    expect(() => checkPlan(plan, "plans/dev.json")).toThrow(/plans\/dev\.json: .*depends on urn:pulumi:dev::llmops::gcp:x\/y:Z::gone, which is not in the plan/);
  });
});

describe("llmops diff", () => {
  it("shows the preflight findings a change introduces, and none for an unchanged stack", () => {
    const broken = without(plans.dev, (r) => r.type === "gcp:logging/metric:Metric");
    expect(introducedFindings("dev", plans.dev, plans.dev)).toEqual([]);
    const introduced = introducedFindings("dev", plans.dev, broken);
    expect(introduced.length).toBeGreaterThan(0);
    expect(introduced.every((f) => f.rule === "log-metric-first")).toBe(true);
    // Fixing it is not news: the base's findings are not reported again.
    expect(introducedFindings("dev", broken, plans.dev)).toEqual([]);
    const diff = diffStack("dev", plans.dev, broken, { sources: [], preflightSources: [introducedFindings] });
    expect(diff.preflight.map((f) => f.rule)).toContain("log-metric-first");
  });

  it("reports what it checked when nothing is wrong, and the errors a head plan has", () => {
    expect(preflightCheck("dev", plans.dev)).toEqual({ check: "preflight", checked: PREFLIGHT_RULES.length, blocking: 0 });
    const broken = without(plans.dev, (r) => r.type === "gcp:logging/metric:Metric");
    const run = diffStack("dev", plans.dev, broken, { sources: [], preflightSources: [introducedFindings], checkSources: [preflightCheck] }).checks[0];
    expect(run.checked).toBe(PREFLIGHT_RULES.length);
    expect(run.introduced).toBeGreaterThan(0);
    expect(run.blocking).toBe(preflightCheck("dev", broken).blocking);
    expect(run.blocking).toBeGreaterThan(0);
  });

  it("counts every head finding as new when the base plan predates the dependency graph", () => {
    const old = mutate(plans.dev, (r) => ({ ...r, dependencies: undefined }));
    const broken = without(plans.dev, (r) => r.type === "gcp:logging/metric:Metric");
    expect(introducedFindings("dev", old, broken)).toEqual(preflight(broken).findings);
  });
});

describe("llmops preflight", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-preflight-"));
  const write = (name: string, plan: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify(plan));
    return file;
  };
  const run = async (...args: Parameters<typeof preflightCommandAction>) => {
    const out: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
    try {
      await preflightCommandAction(...args);
      return { error: undefined, stdout: out.join("") };
    } catch (err) {
      return { error: err as Error, stdout: out.join("") };
    } finally {
      process.stdout.write = original;
    }
  };

  it("passes the committed plans with exit 0 and prints both stacks", async () => {
    const result = await run({ plans: [write("dev.json", plans.dev), write("prod.json", plans.prod)] });
    expect(result.error).toBeUndefined();
    expect(result.stdout).toMatch(/stack dev \(.*dev\.json\): 0 errors/);
    expect(result.stdout).toMatch(/stack prod \(.*prod\.json\): 0 errors, \d+ warnings?/);
    expect(result.stdout).toContain("as of 2026-08-22");
  });

  it("fails with exit 1 on an error and groups findings by resource in text, with rule and source", async () => {
    const broken = without(plans.dev, (r) => r.type === "gcp:logging/metric:Metric");
    const result = await run({ plans: [write("broken.json", broken)] });
    expect(result.error).toBeInstanceOf(UserError);
    expect(result.error!.message).toMatch(/preflight: \d+ errors?/);
    expect(result.stdout).toMatch(/\n {2}gcp:monitoring\/alertPolicy:AlertPolicy monitoring-.*\n {4}urn:pulumi:dev::.*\n {4}error \[log-metric-first\] .*\n {6}source: https:\/\//);
  });

  it("writes {findings: [{rule, severity, urn, message, source}]} as JSON", async () => {
    const broken = without(plans.dev, (r) => r.type === "gcp:logging/metric:Metric");
    const result = await run({ plans: [write("broken.json", broken)], format: "json" });
    const json = JSON.parse(result.stdout) as { findings: Record<string, unknown>[] };
    expect(json.findings.length).toBeGreaterThan(0);
    for (const f of json.findings) expect(Object.keys(f).sort()).toEqual(["message", "rule", "severity", "source", "urn"]);
  });

  it("names a malformed plan file instead of checking it", async () => {
    const file = write("bad.json", { stack: "dev", resources: [{ urn: "u", type: "t", name: "n", inputs: null, options: {} }] });
    const result = await run({ plans: [file] });
    expect(result.error).toBeInstanceOf(UserError);
    expect(result.error!.message).toContain(file);
    expect(result.error!.message).toContain("inputs must be an object");
    const unreadable = write("bad2.json", "{");
    fs.writeFileSync(unreadable, "{");
    expect((await run({ plans: [unreadable] })).error!.message).toMatch(/bad2\.json: cannot read the plan/);
  });

  it("formats the same findings the same way every time", () => {
    const checked = [{ stack: "dev", source: "rendered", findings: preflight(without(plans.dev, (r) => r.type === "gcp:logging/metric:Metric")).findings }];
    expect(formatText(checked)).toBe(formatText(structuredClone(checked)));
    expect(formatJson(checked)).toBe(formatJson(structuredClone(checked)));
  });
});
