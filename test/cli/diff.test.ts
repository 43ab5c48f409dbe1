import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GITHUB_COMMENT_LIMIT, formatMarkdown } from "../../cli/diff/format-markdown";
import { diffStack } from "../../cli/diff/report";
import type { DiffReport, StackDiff } from "../../cli/diff/types";
import { type Plan, planJson } from "../../lib/plan";
import { gkePoolPlan, plannedResource } from "../helpers/plans";
import { STACK_TRACE, committedProject, copiedProject, llmops, removeProjects, renderTo, tempDir } from "./cli";

afterAll(removeProjects);

const clone = (p: Plan): Plan => JSON.parse(JSON.stringify(p));
const writePlan = (dir: string, name: string, plan: Plan) => {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, planJson(plan));
  return file;
};
const edit = (plan: Plan, name: string, change: (inputs: Record<string, unknown>) => void): Plan => {
  const copy = clone(plan);
  change(copy.resources.find((r) => r.name === name)!.inputs as Record<string, unknown>);
  return copy;
};

async function diffJson(dir: string, ...args: string[]): Promise<DiffReport> {
  const run = await llmops(dir, "diff", ...args, "--format", "json");
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as DiffReport;
}

describe("llmops diff: danger callouts", () => {
  const dir = committedProject();
  let prod: Plan;
  beforeAll(async () => {
    prod = await renderTo(dir, "prod", path.join(dir, "prod.json"));
  }, 120_000);

  it("a bucket whose location changes is replaced: data loss, protected, in the markdown and the JSON", async () => {
    const after = writePlan(dir, "eu", edit(prod, "storage-models", (i) => (i.location = "EU")));
    const md = await llmops(dir, "diff", path.join(dir, "prod.json"), after, "--format", "markdown", "--json", path.join(dir, "out", "diff.json"));
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain("> [!CAUTION]");
    expect(md.stdout).toContain("> **replace** `storage-models` (`gcp:storage/bucket:Bucket`): data loss.");
    expect(md.stdout).toContain("_protected: `pulumi up` stops with an error at this step until `protect` is removed_");
    expect(md.stdout).toContain('+ location: "EU"   # forces replacement');
    expect(md.stdout).toContain("[source](https://cloud.google.com/storage/docs/moving-buckets)");
    const report = JSON.parse(fs.readFileSync(path.join(dir, "out", "diff.json"), "utf8")) as DiffReport;
    const s = report.stacks[0];
    expect(s.counts).toEqual({ create: 0, update: 0, replace: 1, delete: 0, move: 0 });
    expect(s.dangers).toEqual([
      expect.objectContaining({ name: "storage-models", action: "replace", kind: "data loss", protect: true, retainOnDelete: true, consequence: expect.stringContaining("gs://acme-llmops-prod-prod-models") }),
    ]);
  });

  it("an endpoint deleted with its model is a serving-downtime callout", async () => {
    const { "support-assistant": _removed, ...otherModels } = prod.outputs.models as Record<string, unknown>;
    const after: Plan = { ...clone(prod), resources: prod.resources.filter((r) => !r.urn.includes("model-support-assistant")), outputs: { ...prod.outputs, models: otherModels } };
    const s = (await diffJson(dir, path.join(dir, "prod.json"), writePlan(dir, "nomodel", after))).stacks[0];
    expect(s.models[0].sentences[0]).toMatch(/^support-assistant, prod: removed; its endpoints in us-central1, europe-west4 stop serving/);
    expect(s.dangers.filter((d) => d.kind === "serving downtime").map((d) => d.type).sort()).toEqual([
      "gcp:vertex/aiEndpoint:AiEndpoint",
      "gcp:vertex/aiEndpoint:AiEndpoint",
      "pulumi-nodejs:dynamic/vertex:EndpointDeployment",
      "pulumi-nodejs:dynamic/vertex:EndpointDeployment",
    ]);
    // Each says whether `protect` would stop `pulumi up` first, as the plan has it.
    for (const d of s.dangers) expect(d.protect).toBe(prod.resources.find((r) => r.urn === d.urn)!.options.protect);
  });

  it("a node pool whose accelerator changes is replaced: capacity loss, and the accelerator delta", async () => {
    const before = writePlan(dir, "pool-l4", gkePoolPlan());
    const after = writePlan(dir, "pool-h100", gkePoolPlan({ type: "nvidia-h100-80gb", machineType: "a3-highgpu-8g", count: 8 }));
    const md = await llmops(dir, "diff", before, after, "--format", "markdown");
    expect(md.stdout).toContain("> [!CAUTION]");
    expect(md.stdout).toContain("> **replace** `gke-us-central1-l4` (`gcp:container/nodePool:NodePool`): capacity loss. node pool l4-serving (1 × nvidia-l4 per node) is drained and deleted");
    expect(md.stdout).toContain("_not protected: `pulumi up` will do it_");
    const s = (await diffJson(dir, before, after)).stacks[0];
    expect(s.resources[0].replaceReasons.map((r) => r.path)).toEqual(["nodeConfig.guestAccelerators[*].type", "nodeConfig.guestAccelerators[*].count"]);
    expect(s.accelerators).toEqual([
      { platform: "gke", region: "us-central1", accelerator: "nvidia-h100-80gb", before: { baseline: 0, worstCase: 0 }, after: { baseline: 8, worstCase: 32 } },
      { platform: "gke", region: "us-central1", accelerator: "nvidia-l4", before: { baseline: 1, worstCase: 4 }, after: { baseline: 0, worstCase: 0 } },
    ]);
  });

  it("a node pool whose machine type changes is updated in place: no callout", async () => {
    const s = (await diffJson(dir, writePlan(dir, "pool-8", gkePoolPlan()), writePlan(dir, "pool-12", gkePoolPlan({ machineType: "g2-standard-12" })))).stacks[0];
    expect(s.counts).toEqual({ create: 0, update: 1, replace: 0, delete: 0, move: 0 });
    expect(s.dangers).toEqual([]);
  });
});

describe("llmops diff: the markdown of a large diff", () => {
  // 300 components of 24 resources with 10 inputs each (over ten comments unfolded), a model, and 30 deleted buckets.
  const inputs = (i: number) => Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`setting${k}`, `value-${i}-${k}-${"x".repeat(30)}`]));
  const components = Array.from({ length: 300 }, (_, c) => plannedResource("llmops:platform:Thing", `thing-${c}`, {}));
  const resources = components.flatMap((c, ci) => [c, ...Array.from({ length: 24 }, (_, r) => plannedResource("gcp:projects/service:Service", `thing-${ci}-${r}`, inputs(ci * 100 + r), c.urn))]);
  const buckets = Array.from({ length: 30 }, (_, b) => plannedResource("gcp:storage/bucket:Bucket", `bucket-${b}`, { name: `acme-${b}`, forceDestroy: true }));
  const model = (stage: string, weight: number) => ({
    "support-assistant": {
      platform: "vertex",
      stable: "1.2.0",
      candidate: "1.3.0",
      stage,
      stageDescription: `${stage} ${weight}%`,
      split: { "1.2.0": 100 - weight, "1.3.0": weight },
      regions: { "us-central1": { versions: { "1.2.0": { deployedModelId: "1", percent: 100 - weight }, "1.3.0": { deployedModelId: "2", percent: weight } } } },
    },
  });
  const before: Plan = { project: "llmops", stack: "prod", resources: buckets, outputs: { primaryRegion: "us-central1", models: model("canary", 10) } };
  const after: Plan = { project: "llmops", stack: "prod", resources, outputs: { primaryRegion: "us-central1", models: model("partial", 50) } };
  const report: DiffReport = { base: { spec: "main", label: "main (abc1234)" }, head: { spec: "working tree", label: "working tree" }, stacks: [diffStack("prod", before, after), diffStack("dev", undefined, undefined)] };
  const md = formatMarkdown(report);

  it("would not fit unfolded", () => {
    expect(formatMarkdown(report, Number.POSITIVE_INFINITY).length).toBeGreaterThan(10 * GITHUB_COMMENT_LIMIT);
  });

  it("stays under GitHub's limit by folding details, never the summary", () => {
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith("<!-- llmops-diff -->\n\n### llmops diff: `main (abc1234)` → `working tree`")).toBe(true);
    expect(md).toContain("| prod | 7200 | 0 | 0 | 30 | 1 model, ⚠️ 30 destructive |");
    expect(md).toContain("<details><summary>1 stack without changes</summary>\n\ndev\n\n</details>");
    expect(md).toContain("**support-assistant, prod: 1.3.0 canary 10% → partial 50% in us-central1; stable 1.2.0 keeps 50%**");
    expect(md).toContain("| us-central1 | 1.3.0 | candidate | 10% | 50% |");
    for (let b = 0; b < 30; b++) expect(md).toContain(`> **delete** \`bucket-${b}\` (\`gcp:storage/bucket:Bucket\`): data loss. gs://acme-${b}: the bucket and every object in it are deleted.`);
    expect(md).toContain("see the JSON artifact");
    // The summary first, then the groups, folded as far as needed but each still listed.
    expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("<b>thing-0</b>"));
    for (let c = 0; c < 300; c++) expect(md).toContain(`<b>thing-${c}</b>`);
  });
});

describe("llmops diff: sides", () => {
  it("compares folders of plan files; a stack on one side only is all create", async () => {
    const dir = committedProject();
    // Beside the project, not in it: plan files in the project are files of the project to the
    // plan cache, and prod would be rendered again rather than read.
    const [a, b] = ["a", "b"].map((d) => path.join(tempDir(), d));
    fs.mkdirSync(a);
    fs.mkdirSync(b);
    const dev = await renderTo(dir, "dev", path.join(a, "dev.json"));
    fs.copyFileSync(path.join(a, "dev.json"), path.join(b, "dev.json"));
    await renderTo(dir, "prod", path.join(b, "prod.json"));
    const report = await diffJson(dir, a, b);
    expect(report.stacks.map((s: StackDiff) => [s.stack, s.presence, s.resources.length])).toEqual([
      ["dev", "both", 0],
      ["prod", "head only", expect.any(Number)],
    ]);
    expect(report.stacks[1].counts.create).toBe(report.stacks[1].resources.length);
    expect(dev.stack).toBe("dev");
    const unknown = await llmops(dir, "diff", a, b, "--stack", "staging");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`no stack staging in ${a} or ${b}; stacks: dev, prod`);
  }, 120_000);

  it("renders a git revision from its own tree in a temporary folder, against the working tree by default: only the edit differs", async () => {
    // GIVEN a clone with real files (links would resolve back into this checkout), committed at
    // canary, and the rollout advanced in the working tree
    const dir = copiedProject("dev");
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: dir, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "dev at canary");
    expect((await llmops(dir, "rollout", "advance", "support-assistant", "--stack", "dev", "--evidence", path.join(__dirname, "../rollout/fixtures/vertex-healthy.json"))).code).toBe(0);
    // WHEN main is compared with the working tree, both rendered (the plan cache could take the
    // committed stack's plan for main's: same files), in a temporary folder of this diff's own,
    // to see that it removes the revision's tree (other files' diffs run at the same time)
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-diff-test-"));
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let report: DiffReport;
    try {
      report = await diffJson(dir, "--no-cache");
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    // THEN the rollout's step is the one change, and nothing else differs: not the dynamic
    // providers' serialised code, not a path of the folder the revision was rendered in
    expect(report.base.label).toMatch(/^main \([0-9a-f]{7}\)$/);
    expect(report.head.label).toBe("working tree");
    expect(report.stacks[0].models[0].sentences).toEqual(["support-assistant, dev: 1.3.0 canary 10% → partial 50% in us-central1; stable 1.2.0 keeps 50%"]);
    expect(report.stacks[0].resources.map((r) => `${r.action} ${r.name}: ${r.properties.map((p) => p.path).join(", ")}`)).toEqual([
      expect.stringMatching(/^update model-support-assistant-us-central1-deployment: trafficSplit\["\d+"\], trafficSplit\["\d+"\]$/),
    ]);
    expect(report.stacks[0].counts).toEqual({ create: 0, update: 1, replace: 0, delete: 0, move: 0 });
    expect(fs.readdirSync(tmp)).toEqual([]);
    fs.rmdirSync(tmp);
    expect(execFileSync("git", ["status", "--porcelain"], { cwd: dir, encoding: "utf8" })).toBe(" M Pulumi.dev.yaml\n");
  }, 180_000);

  it.each([
    ["an unknown revision", ["no-such-branch"], /"no-such-branch" is neither a git revision of .*, nor a plan file \(\.json\), nor a folder of plan files/],
    ["a missing plan file", ["missing.json"], /missing\.json: no such plan file/],
    ["a JSON file that is not a plan", ["package.json", "package.json"], /package\.json: not a plan file; expected the JSON that `llmops plan` writes/],
    ["an unknown format", ["a.json", "--format", "html"], /argument 'html' is invalid\. Allowed choices are text, markdown, json/],
  ])("refuses %s with a message and exit 1", async (_what, args, message) => {
    const dir = committedProject();
    const run = await llmops(dir, "diff", ...args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});

describe("llmops diff: secrets", () => {
  it("never shows one: plan secrets stay [secret], and inputs named like credentials are masked too", () => {
    const at = (password: string, name: string): Plan => ({ project: "llmops", stack: "dev", resources: [plannedResource("gcp:sql/user:User", "u", { name, password, token: "[secret]" })], outputs: {} });
    const s = diffStack("dev", at("hunter2", "a"), at("hunter3", "b"));
    expect(s.resources[0].properties).toEqual([
      { path: "name", before: "a", after: "b" },
      { path: "password", before: "[secret]", after: "[secret]" },
    ]);
    const report: DiffReport = { base: { spec: "a", label: "a" }, head: { spec: "b", label: "b" }, stacks: [s, diffStack("dev", undefined, at("hunter4", "c"))] };
    expect(formatMarkdown(report)).not.toMatch(/hunter/);
    expect(JSON.stringify(report)).not.toMatch(/hunter/);
  });
});
