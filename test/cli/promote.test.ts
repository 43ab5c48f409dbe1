import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiffReport, ResourceChange, StackDiff } from "../../cli/diff/types";
import { promote } from "../../cli/promote";
import { StackFileEdit } from "../../cli/stack-edit";
import { scenarios, vertexFixture } from "../rollout/monitoring-fixtures";
import type { Plan } from "../../lib/plan";
import { type Run, STACK_TRACE, changedLines, committedProject, llmops, removeProjects, renderTo, stackFile } from "./cli";

afterAll(removeProjects);

const MODEL = "support-assistant";
const DEV_HEALTHY = path.join(__dirname, "../rollout/fixtures/vertex-healthy.json");
const ENDPOINT_DEPLOYMENT = "pulumi-nodejs:dynamic/vertex:EndpointDeployment";

interface Step {
  readonly run: Run;
  readonly before: Record<string, string>;
  readonly after: Record<string, string>;
}

/** Runs a command that edits stack files, keeping the files before and after. */
async function step(dir: string, ...args: string[]): Promise<Step> {
  const read = () => ({ dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") });
  const before = read();
  const run = await llmops(dir, ...args);
  return { run, before, after: read() };
}

async function diffJson(dir: string, a: string, b: string): Promise<StackDiff> {
  const run = await llmops(dir, "diff", a, b, "--format", "json");
  expect(run.code, run.stderr).toBe(0);
  const report = JSON.parse(run.stdout) as DiffReport;
  expect(report.stacks).toHaveLength(1);
  return report.stacks[0];
}

const byAction = (s: StackDiff, action: ResourceChange["action"]) => s.resources.filter((r) => r.action === action);

describe("promote support-assistant 1.3.0 from dev to prod, then advance twice", () => {
  const dir = committedProject();
  const plans = path.join(dir, "plans");
  const file = (name: string) => path.join(plans, `${name}.json`);
  const devAdvances: Step[] = [];
  let promotion: Step;
  let advances: Step[];
  let prod0: Plan;

  beforeAll(async () => {
    fs.mkdirSync(plans);
    // GIVEN dev with 1.3.0 fully rolled out (the committed file has it at an earlier stage)
    for (let i = 0; i < 5; i++) {
      const s = await step(dir, "rollout", "advance", MODEL, "--stack", "dev", "--evidence", DEV_HEALTHY);
      if (s.run.code !== 0) {
        expect(s.run.stderr).toContain("already fully rolled out");
        break;
      }
      devAdvances.push(s);
    }
    [prod0] = await Promise.all([renderTo(dir, "prod", file("prod0")), renderTo(dir, "dev", file("dev0"))]);
    // WHEN promoting, then advancing prod twice
    promotion = await step(dir, "promote", MODEL, "1.3.0", "--from", "dev", "--to", "prod");
    await Promise.all([renderTo(dir, "prod", file("prod1")), renderTo(dir, "dev", file("dev1"))]);
    // Recorded metrics of a healthy prod canary, for the gates (test/rollout/monitoring-fixtures.ts).
    const prod = new StackFileEdit(dir, "prod").validate();
    const healthy = scenarios(prod.models[MODEL].config.slo!.latencyP99Ms).healthy;
    const evidence = path.join(plans, "prod-evidence.json");
    fs.writeFileSync(evidence, JSON.stringify(vertexFixture(prod.project, prod.models[MODEL], { ...healthy, candidate: { ...healthy.candidate, perMinute: 150 } }, "prod")));
    advances = [];
    for (const name of ["prod2", "prod3"]) {
      advances.push(await step(dir, "rollout", "advance", MODEL, "--stack", "prod", "--evidence", evidence));
      await renderTo(dir, "prod", file(name));
    }
  }, 400_000);

  it("advanced dev one stage per command, each a one-line edit of rollout.stage", () => {
    expect(devAdvances.length).toBeGreaterThan(0);
    for (const s of devAdvances) {
      expect(s.run.code, s.run.stderr).toBe(0);
      const { added, removed } = changedLines(s.before.dev, s.after.dev);
      expect(removed).toHaveLength(1);
      expect(added).toHaveLength(1);
      expect(removed[0]).toMatch(/^ {8}stage: [a-z]+$/);
      expect(added[0]).toMatch(/^ {8}stage: [a-z]+$/);
    }
    expect(devAdvances[devAdvances.length - 1].after.dev).toMatch(/^ {8}stage: full$/m);
  });

  it("promote stamps dev's 1.3.0 released, and adds to prod only the version, the candidate and its first stage", () => {
    expect(promotion.run.code, promotion.run.stderr).toBe(0);
    const dev = changedLines(promotion.before.dev, promotion.after.dev);
    expect(dev.removed).toEqual([]);
    expect(dev.added).toHaveLength(1);
    expect(dev.added[0]).toMatch(/^ {10}released: sha256:[0-9a-f]{16}$/);

    // The definition is copied verbatim (comments included), from dev's file as stamped.
    const devLines = promotion.after.dev.split("\n");
    const start = devLines.indexOf('        "1.3.0":');
    const end = devLines.indexOf(dev.added[0], start);
    const block = devLines.slice(start, end + 1);
    expect(block.some((l) => l.includes("# Stricter than 1.2.0"))).toBe(true);
    const prod = changedLines(promotion.before.prod, promotion.after.prod);
    expect(prod.removed).toEqual([]);
    expect(prod.added).toEqual([...block, '        candidate: "1.3.0"', "        stage: canary"]);
  });

  it("prints both patches and the commands that copy the artifacts and the image into prod", () => {
    const out = promotion.run.stdout;
    expect(out).toContain("support-assistant 1.3.0: dev → prod, candidate at canary 10%; stable 1.2.0 keeps 90%");
    expect(out).toMatch(/^--- Pulumi\.dev\.yaml/m);
    expect(out).toMatch(/^--- Pulumi\.prod\.yaml/m);
    expect(out).toContain("+        candidate: \"1.3.0\"");
    expect(out).toContain("gcloud storage rsync --recursive gs://acme-llmops-dev-dev-models/support-assistant/1.3.0/ gs://acme-llmops-prod-prod-models/support-assistant/1.3.0/");
    expect(out).toMatch(
      /crane copy us-central1-docker\.pkg\.dev\/acme-llmops-dev\/llmops-images-dev\/vllm-openai@sha256:[0-9a-f]{64} us-central1-docker\.pkg\.dev\/acme-llmops-prod\/llmops-images-prod\/vllm-openai:support-assistant-1\.3\.0/,
    );
  });

  it("each advance in prod is a one-line edit: canary → partial → full", () => {
    const edits = advances.map((s) => {
      expect(s.run.code, s.run.stderr).toBe(0);
      expect(s.after.dev).toBe(s.before.dev);
      return changedLines(s.before.prod, s.after.prod);
    });
    expect(edits).toEqual([
      { removed: ["        stage: canary"], added: ["        stage: partial"] },
      { removed: ["        stage: partial"], added: ["        stage: full"] },
    ]);
  });

  it("the promote diff of prod: the candidate enters at 10%, with its uploads, safety templates and deployments, and nothing destructive", async () => {
    const d = await diffJson(dir, file("prod0"), file("prod1"));
    expect(d.models.map((m) => m.sentences)).toEqual([["support-assistant, prod: 1.3.0 enters as candidate at canary 10% in us-central1, europe-west4; stable 1.2.0 keeps 90%"]]);
    expect(d.models[0].split).toEqual([
      { region: "us-central1", version: "1.2.0", role: "stable", before: 100, after: 90 },
      { region: "us-central1", version: "1.3.0", role: "candidate", before: null, after: 10 },
      { region: "europe-west4", version: "1.2.0", role: "stable", before: 100, after: 90 },
      { region: "europe-west4", version: "1.3.0", role: "candidate", before: null, after: 10 },
    ]);
    expect(byAction(d, "create").map((r) => [r.type, r.name]).sort()).toEqual([
      ["gcp:modelarmor/template:Template", "model-support-assistant-safety-1.3.0-europe-west4"],
      ["gcp:modelarmor/template:Template", "model-support-assistant-safety-1.3.0-us-central1"],
      ["pulumi-nodejs:dynamic/vertex:ModelVersion", "model-support-assistant-europe-west4-1.3.0"],
      ["pulumi-nodejs:dynamic/vertex:ModelVersion", "model-support-assistant-us-central1-1.3.0"],
    ]);
    expect(d.counts.replace + d.counts.delete).toBe(0);
    expect(d.dangers).toEqual([]);
    const deployments = byAction(d, "update").filter((r) => r.type === ENDPOINT_DEPLOYMENT);
    expect(deployments.map((r) => r.name).sort()).toEqual(["model-support-assistant-europe-west4-deployment", "model-support-assistant-us-central1-deployment"]);
    for (const r of deployments) for (const p of r.properties) expect(p.path).toMatch(/^(deployments\[1\]\.|trafficSplit\[)/);
    // Monitoring follows the deployed versions (dashboard split, safety alerts per template).
    for (const r of byAction(d, "update").filter((r) => r.type !== ENDPOINT_DEPLOYMENT)) expect(r.type).toMatch(/^gcp:monitoring\//);
    // Both versions keep their own replicas while the candidate is in flight: the endpoint's accelerators double.
    const held = prod0.resources.find((r) => r.type === ENDPOINT_DEPLOYMENT)!.inputs.deployments as { minReplicas: number; maxReplicas: number }[];
    expect(d.accelerators.map((a) => [a.platform, a.region, a.accelerator, a.before, a.after])).toEqual(
      ["europe-west4", "us-central1"].map((region) => [
        "vertex",
        region,
        "NVIDIA_L4",
        { baseline: held[0].minReplicas, worstCase: held[0].maxReplicas },
        { baseline: 2 * held[0].minReplicas, worstCase: 2 * held[0].maxReplicas },
      ]),
    );
  });

  it("the released stamp changes nothing deployed in dev", async () => {
    const d = await diffJson(dir, file("dev0"), file("dev1"));
    expect([d.resources, d.models, d.outputs]).toEqual([[], [], []]);
  });

  it.each([
    ["prod1", "prod2", "1.3.0 canary 10% → partial 50% in us-central1, europe-west4; stable 1.2.0 keeps 50%", [90, 10], [50, 50]],
    ["prod2", "prod3", "1.3.0 partial 50% → full 100% in us-central1, europe-west4; stable 1.2.0 keeps 0% (still deployed, for a quick rollback)", [50, 50], [0, 100]],
  ] as const)("the diff %s → %s is exactly the traffic change, in words and in the split table", async (a, b, sentence, [stableBefore, candidateBefore], [stableAfter, candidateAfter]) => {
    const d = await diffJson(dir, file(a), file(b));
    expect(d.models.map((m) => m.sentences)).toEqual([[`support-assistant, prod: ${sentence}`]]);
    expect(d.models[0].split).toEqual(
      ["us-central1", "europe-west4"].flatMap((region) => [
        { region, version: "1.2.0", role: "stable", before: stableBefore, after: stableAfter },
        { region, version: "1.3.0", role: "candidate", before: candidateBefore, after: candidateAfter },
      ]),
    );
    expect([d.counts.create, d.counts.replace, d.counts.delete]).toEqual([0, 0, 0]);
    expect([d.dangers, d.accelerators, d.outputs]).toEqual([[], [], []]);
    const deployments = d.resources.filter((r) => r.type === ENDPOINT_DEPLOYMENT);
    expect(deployments).toHaveLength(2);
    for (const r of deployments) {
      expect(r.properties.map((p) => p.path).every((p) => p.startsWith("trafficSplit["))).toBe(true);
      expect(r.properties.map((p) => [p.before, p.after]).sort()).toEqual([[stableBefore, stableAfter], [candidateBefore, candidateAfter]].sort());
    }
    // The only other resource that moves is the dashboard, whose overview tile shows the split.
    expect(d.resources.filter((r) => r.type !== ENDPOINT_DEPLOYMENT).map((r) => r.type)).toEqual(
      d.resources.filter((r) => r.type !== ENDPOINT_DEPLOYMENT).map(() => "gcp:monitoring/dashboard:Dashboard"),
    );
  });

  it("says the same in the markdown comment and in the terminal", async () => {
    const md = await llmops(dir, "diff", file("prod1"), file("prod2"), "--format", "markdown");
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout.startsWith("<!-- llmops-diff -->")).toBe(true);
    expect(md.stdout).toContain("**support-assistant, prod: 1.3.0 canary 10% → partial 50% in us-central1, europe-west4; stable 1.2.0 keeps 50%**");
    expect(md.stdout).toContain("| us-central1 | 1.2.0 | stable | 90% | 50% |");
    expect(md.stdout).toContain("| europe-west4 | 1.3.0 | candidate | 10% | 50% |");
    expect(md.stdout).not.toContain("[!CAUTION]");
    const text = await llmops(dir, "diff", file("prod1"), file("prod2"));
    expect(text.stdout).toContain("support-assistant, prod: 1.3.0 canary 10% → partial 50%");
    expect(text.stdout).toMatch(/us-central1\s+1\.2\.0\s+stable\s+90%\s+50%/);
  }, 120_000);
});

/** Edits the lines of one version's block in a stack file. */
function inVersion(text: string, version: string, edit: (line: string) => string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(`        "${version}":`);
  const end = lines.findIndex((l, i) => i > start && /^ {0,8}\S/.test(l));
  return [...lines.slice(0, start), ...lines.slice(start, end).map(edit), ...lines.slice(end)].join("\n");
}

describe("promote refuses, with a clear message and without touching either file", () => {
  /** dev with a 1.4.0 (a copy of 1.3.0 with its own artifact) as candidate at `stage`. */
  function devWith140(text: string, stage: string): string {
    const lines = text.split("\n");
    const start = lines.indexOf('        "1.3.0":');
    const end = lines.findIndex((l, i) => i > start && /^ {0,8}\S/.test(l));
    // A new definition: not released yet, so no stamp.
    const block = lines
      .slice(start, end)
      .filter((l) => !l.includes("released:"))
      .map((l) => l.replace(/1\.3\.0/g, "1.4.0"));
    lines.splice(end, 0, ...block);
    return lines.join("\n").replace(/candidate: "1\.3\.0"/, 'candidate: "1.4.0"').replace(/^( {8}stage: )\w+$/m, `$1${stage}`);
  }

  async function refused(edit: (files: { dev: string; prod: string }) => { dev: string; prod: string }, args: string[], message: RegExp | string) {
    const dir = committedProject();
    const files = edit({ dev: stackFile(dir, "dev"), prod: stackFile(dir, "prod") });
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), files.dev);
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), files.prod);
    const run = await llmops(dir, "promote", ...args);
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(stackFile(dir, "dev")).toBe(files.dev);
    expect(stackFile(dir, "prod")).toBe(files.prod);
  }

  const same = (f: { dev: string; prod: string }) => f;
  const full = (f: { dev: string; prod: string }) => ({ ...f, dev: f.dev.replace(/^( {8}stage: )\w+$/m, "$1full") });

  it.each<[string, (f: { dev: string; prod: string }) => { dev: string; prod: string }, string[], RegExp | string]>([
    ["an unknown model", same, ["support-assistent", "1.3.0", "--from", "dev", "--to", "prod"], /unknown model "support-assistent" in Pulumi\.dev\.yaml \(did you mean "support-assistant"\?\); models there: support-assistant/],
    ["an unknown version", same, [MODEL, "1.3.1", "--from", "dev", "--to", "prod"], /unknown version "1\.3\.1" of support-assistant in Pulumi\.dev\.yaml \(did you mean "1\.3\.0"\?\); versions there: 1\.2\.0, 1\.3\.0/],
    ["a version not fully rolled out", same, [MODEL, "1.3.0", "--from", "dev", "--to", "prod"], /1\.3\.0 is not fully rolled out in dev \(candidate 1\.3\.0 at canary 10%, stable 1\.2\.0 keeps 90%\)\. Advance it to full first \(2 more stages\): llmops rollout advance support-assistant --stack dev/],
    ["a rolled-back version", (f) => ({ ...f, dev: f.dev.replace(/^( {8}stage: )\w+$/m, "$1rollback") }), [MODEL, "1.3.0", "--from", "dev", "--to", "prod"], /rolled back there, so it cannot be promoted/],
    [
      "an image pinned by tag",
      (f) => full({ ...f, dev: inVersion(f.dev, "1.3.0", (l) => l.replace(/image: vllm-openai@sha256:[0-9a-f]{64}/, "image: vllm-openai:1.3.0")) }),
      [MODEL, "1.3.0", "--from", "dev", "--to", "prod"],
      /refusing to promote support-assistant 1\.3\.0 from dev:\n {2}- its image "vllm-openai:1\.3\.0" is not pinned by digest/,
    ],
    ["an artifact path that does not name the version", (f) => full({ ...f, dev: f.dev.replace("artifactUri: support-assistant/1.3.0/", "artifactUri: support-assistant/latest/") }), [MODEL, "1.3.0", "--from", "dev", "--to", "prod"], /its artifact "support-assistant\/latest\/" does not name the version/],
    ["an artifact in dev's own bucket", (f) => full({ ...f, dev: f.dev.replace("artifactUri: support-assistant/1.3.0/", "artifactUri: gs://acme-llmops-dev-dev-models/support-assistant/1.3.0/") }), [MODEL, "1.3.0", "--from", "dev", "--to", "prod"], /its artifact names dev's own models bucket; write the path inside the bucket \(support-assistant\/1\.3\.0\/\)/],
    ["an unknown target stack", full, [MODEL, "1.3.0", "--from", "dev", "--to", "staging"], /unknown stack "staging": no Pulumi\.staging\.yaml in .*; stacks here: dev, prod/],
    ["the same stack twice", full, [MODEL, "1.3.0", "--from", "dev", "--to", "dev"], /--from and --to are both dev/],
  ])("%s", (_what, edit, args, message) => refused(edit, args, message));

  it("a candidate in flight in prod, unless --force, which replaces it", async () => {
    const dir = committedProject();
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), full({ dev: stackFile(dir, "dev"), prod: "" }).dev);
    promote({ dir, model: MODEL, version: "1.3.0", from: "dev", to: "prod" });
    const prod = stackFile(dir, "prod");
    const dev = devWith140(stackFile(dir, "dev"), "full");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), dev);

    const run = await llmops(dir, "promote", MODEL, "1.4.0", "--from", "dev", "--to", "prod");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("prod already has a candidate in flight: candidate 1.3.0 at canary 10%, stable 1.2.0 keeps 90%. Finish it (llmops rollout finish support-assistant --stack prod) or roll it back");
    expect(run.stderr).toContain("or pass --force to replace it (1.3.0 is then undeployed)");
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect([stackFile(dir, "dev"), stackFile(dir, "prod")]).toEqual([dev, prod]);

    const forced = await llmops(dir, "promote", MODEL, "1.4.0", "--from", "dev", "--to", "prod", "--force");
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain("replacing candidate 1.3.0 (was canary 10%)");
    const { added, removed } = changedLines(prod, stackFile(dir, "prod"));
    expect(removed).toEqual(['        candidate: "1.3.0"']);
    expect(added).toContain('        candidate: "1.4.0"');
    expect(added).toContain('        "1.4.0":');
  }, 180_000);

  it("does nothing, successfully, when the version is already stable in the target", async () => {
    const dir = committedProject();
    const before = [stackFile(dir, "dev"), stackFile(dir, "prod")];
    const run = await llmops(dir, "promote", MODEL, "1.2.0", "--from", "dev", "--to", "prod");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("support-assistant 1.2.0 is already stable in prod; nothing to promote");
    expect([stackFile(dir, "dev"), stackFile(dir, "prod")]).toEqual(before);
  });
});
