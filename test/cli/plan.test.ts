import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planJson } from "../../lib/plan";
import { ROOT, tempProject } from "../helpers/project";
import { render, renderCommitted } from "../helpers/render";
import { type Run, copiedProject, llmops, removeProjects, spawnLlmops } from "./cli";

const HEAD = "config:\n  gcp:project: acme-llmops-dev\n  llmops:environment: dev\n";

// The stack files of the "done when", each with the key its error must name.
const BAD_STACKS: Record<string, [string, string]> = {
  unknownregion: [`${HEAD}  llmops:regions: [us-central1, mars-east1]\n`, "llmops:regions[1]"],
  duplicateregion: [`${HEAD}  llmops:regions: [us-central1, europe-west4, us-central1]\n`, "llmops:regions[2]"],
  uppercaselabel: [`${HEAD}  llmops:regions: [us-central1]\n  llmops:labels:\n    Team: ml\n`, "llmops:labels.Team"],
  misspelledkey: [`${HEAD}  llmops:regons: [us-central1]\n`, "llmops:regons"],
  noproject: ["config:\n  llmops:environment: dev\n  llmops:regions: [us-central1]\n", "gcp:project"],
  brokenyaml: [`${HEAD}  llmops:regions: [us-central1\n  llmops:labels: {\n`, "line "],
};

describe("llmops plan on bad stack files", () => {
  const dir = tempProject(Object.fromEntries(Object.entries(BAD_STACKS).map(([stack, [text]]) => [stack, text])));
  // One run for all of them, as `llmops plan` runs every stack: each stack's problems are reported.
  let all: Run;
  beforeAll(async () => {
    all = await llmops(dir, "plan", ...Object.keys(BAD_STACKS).flatMap((stack) => ["--stack", stack]), "--out", "plans");
  });

  it.each(Object.entries(BAD_STACKS))("%s: exits 1 naming the file and key, without a stack trace or a plan", (stack, [, key]) => {
    expect(all.code).toBe(1);
    expect(all.stderr).toContain(`Pulumi.${stack}.yaml: ${key}`);
    expect(all.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(fs.existsSync(path.join(dir, "plans", `${stack}.json`))).toBe(false);
  });

  it("names an unknown stack and lists the ones there are", async () => {
    const run = await llmops(dir, "plan", "--stack", "staging");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Pulumi\.staging\.yaml.*no such stack file.*stacks here: brokenyaml, duplicateregion/);
  });
});

describe("llmops plan reuses a plan rendered from the same files and configuration", () => {
  afterAll(removeProjects);

  it("renders once, reuses the plan byte for byte, and renders again when a program file changes (test/testing/plan-cache.test.ts: every input of the key)", async () => {
    // GIVEN a copy of the project with a small stack of its own, unlike any other test's
    const dir = copiedProject();
    const stackText = `${HEAD}  llmops:regions: [us-central1]\n  # ${process.pid}-${Date.now()}\n`;
    fs.writeFileSync(path.join(dir, "Pulumi.mini.yaml"), stackText);
    // Plans written inside the project but outside .llmops/ would be files of the project, in the key.
    const planOf = async (name: string, ...flags: string[]) => {
      const out = `.llmops/${name}`;
      const run = await llmops(dir, "plan", "--stack", "mini", "--out", out, ...flags);
      expect(run.code, run.stderr).toBe(0);
      return { reused: /mini: reused the plan/.test(run.stderr), bytes: fs.readFileSync(path.join(dir, out, "mini.json")) };
    };
    // WHEN it is planned twice, THEN the second run reuses the first's plan
    const first = await planOf("a");
    expect(first.reused).toBe(false);
    const second = await planOf("b");
    expect(second.reused).toBe(true);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    // (--no-cache renders anyway: "writes byte-identical plans" below.)
    // WHEN a program file changes (a comment: the plan is the same), THEN it renders again
    fs.appendFileSync(path.join(dir, "infra/index.ts"), "// touched\n");
    const third = await planOf("d");
    expect(third.reused).toBe(false);
    expect(third.bytes.equals(first.bytes)).toBe(true);
  });
});

describe("bin/llmops.js, in a process of its own", () => {
  it("prints the help with every command, exit 0", () => {
    const run = spawnLlmops(ROOT, "--help");
    expect(run.code, run.stderr).toBe(0);
    for (const command of ["plan", "diff", "promote", "rollout", "policy", "preflight", "pipelines", "bench"]) expect(run.stdout).toMatch(new RegExp(`^  ${command} `, "m"));
  });

  it("exits 1 on a bad stack file, naming the file and key, without a stack trace", () => {
    const dir = tempProject({ unknownregion: BAD_STACKS.unknownregion[0] });
    const run = spawnLlmops(dir, "plan", "--stack", "unknownregion");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Pulumi.unknownregion.yaml: ${BAD_STACKS.unknownregion[1]}`);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

describe("llmops plan on the committed stacks", () => {
  it("writes byte-identical plans on every run and prints a summary per stack", async () => {
    const dir = tempProject({
      dev: fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"),
      prod: fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"),
    });
    // Rendered, not reused (--no-cache), by the test run's render lanes, where the commands run in
    // this process send their renders (test/cli/cli.ts); the other run is the render the other
    // test files read. Prod here, the larger stack; dev in the next test, rendered in a process of
    // its own (as `plan --stack S` does) against a render worker's.
    // The committed stacks' plans are kept on disk by now (the render service keeps each before it
    // answers), so a command that ignored --no-cache would reuse prod's and say so.
    const committed = await renderCommitted("dev", "prod");
    const first = await llmops(dir, "plan", "--stack", "prod", "--out", "a", "--no-cache");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).not.toMatch(/reused/);
    expect(fs.readFileSync(path.join(dir, "a", "prod.json"), "utf8")).toBe(planJson(committed.prod));
    expect(first.stdout).toMatch(/stack prod → a\/prod\.json/);
    for (const written of Object.values(committed).map((plan) => JSON.parse(planJson(plan)))) {
      expect(Object.keys(written)).toEqual(["project", "stack", "resources", "defaultProviders", "outputs"]);
      expect(Object.keys(written.resources[0])).toEqual(["urn", "type", "name", "parent", "inputs", "dependencies", "options"]);
      expectEngineGraph(written);
    }
    // A column per region (buckets in the multi-region US); Kubernetes objects are counted in
    // the cluster, not as global resources.
    expect(first.stdout).toMatch(/type\s+total\s+europe-west4\s+US\s+us-central1\s+in cluster\s+global\n/);
    expect(first.stdout).toMatch(/gcp:storage\/bucket:Bucket\s+4\s+·\s+4\s+·\s+·\s+·\n/);
  });

  // In a process of its own, as a user runs it: the one stack renders in the command's own
  // process, whose output is part of what is checked.
  it("renders one stack in its own process, as a render worker does, with secure values as [secret], never printed", async () => {
    const ciphertext = "AAABAOnbLn3aQ1vH8cT5s0Xq9fZkQ==";
    // A stack file unlike any other run's: its plan cannot be one kept before.
    const text = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8") + `  gcp:accessToken:\n    secure: ${ciphertext}\n# ${process.pid}-${Date.now()}\n`;
    const dir = tempProject({ dev: text });
    const run = spawnLlmops(dir, "plan", "--out", ".llmops/first");
    expect(run.code, run.stderr).toBe(0);
    // Nothing on stderr: the SDK's leak report, say, which a worker's exit would hide.
    expect(run.stderr).toBe("");
    expect(run.stdout).not.toContain(ciphertext);
    const plan = fs.readFileSync(path.join(dir, ".llmops", "first", "dev.json"), "utf8");
    expect(plan).not.toContain(ciphertext);
    // The default provider's configuration is in the plan, its secret masked.
    expect(JSON.parse(plan).defaultProviders.gcp).toEqual({ accessToken: "[secret]", project: "acme-llmops-dev" });
    // Byte for byte what a render worker makes of the same stack (rendered afresh: the plan cache
    // holds the command's own).
    const worker = await render({ dir, stack: "dev", fresh: true });
    expect(worker.ok && planJson(worker.plan)).toBe(plan);
    // The plan was kept: the next run reuses it (the configuration the renderer hands the
    // program is not part of the key). (Into the default folder, .llmops/plan: plans written
    // elsewhere in the project, such as p/, are files of the project to the key.)
    const again = spawnLlmops(dir, "plan");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("dev: reused the plan rendered from the same files and configuration");
    expect(fs.readFileSync(path.join(dir, ".llmops", "plan", "dev.json"), "utf8")).toBe(plan);
  });
});

interface GraphResource {
  urn: string;
  type: string;
  name: string;
  dependencies: string[];
  options: { dependsOn: string[]; provider: string | null };
}

/** The dependency graph is the engine's: explicit dependsOn, property dependencies, providers. */
function expectEngineGraph(plan: { stack: string; resources: GraphResource[] }) {
  const urns = new Set(plan.resources.map((r) => r.urn));
  const named = (name: string) => plan.resources.find((r) => r.name === name)!;
  for (const r of plan.resources) {
    expect([...r.dependencies].sort(), r.urn).toEqual(r.dependencies);
    for (const d of r.dependencies) expect(urns.has(d), `${r.urn} → ${d}`).toBe(true);
    // An explicit dependsOn on a component stands for its custom children; every custom one is kept.
    for (const d of r.options.dependsOn) if (!d.split("::")[2].split("$").pop()!.startsWith("llmops:")) expect(r.dependencies).toContain(d);
  }
  // A property dependency the program never wrote as dependsOn: the grant reads the bucket's name.
  const grant = named("identity-serving-models-storage-objectviewer");
  const bucket = named("storage-models");
  expect(grant.options.dependsOn).not.toContain(bucket.urn);
  expect(grant.dependencies).toContain(bucket.urn);
  // Kubernetes objects wait for their provider, which waits for the cluster its kubeconfig reads.
  const namespaces = plan.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
  expect(namespaces.length).toBeGreaterThan(0);
  for (const namespace of namespaces) {
    const region = /pulumi:providers:kubernetes::gke-([a-z0-9-]+)-k8s$/.exec(namespace.options.provider ?? "")?.[1];
    expect(region, namespace.urn).toBeDefined();
    expect(namespace.dependencies).toContain(namespace.options.provider);
    expect(named(`gke-${region}-k8s`).dependencies).toContain(named(`gke-${region}-cluster`).urn);
  }
}
