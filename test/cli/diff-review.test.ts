/** What a reviewer reads in the comment: provider code on one line, and nothing from a plan that can change the comment. */
import { describe, expect, it } from "vitest";
import { formatReport } from "../../cli/diff";
import { formatMarkdown } from "../../cli/diff/format-markdown";
import { diffStack } from "../../cli/diff/report";
import type { DiffReport, StackDiff } from "../../cli/diff/types";
import type { Plan, PlannedResource } from "../../lib/plan";
import { plannedResource } from "../helpers/plans";

const DEPLOYMENT = "pulumi-nodejs:dynamic/vertex:EndpointDeployment";
const TEMPLATE = "pulumi-nodejs:dynamic/kfp:KfpTemplate";
const code = (digest: string) => `[provider code sha256:${digest}]`;
const OLD = "1111111111111111";
const NEW = "2222222222222222";

const res = (type: string, name: string, inputs: Record<string, unknown>): PlannedResource => plannedResource(type, name, inputs, null, "dev");
const plan = (resources: PlannedResource[], stack = "dev"): Plan => ({ project: "llmops", stack, resources, outputs: {} });
const report = (...stacks: StackDiff[]): DiffReport => ({ base: { spec: "a", label: "a" }, head: { spec: "b", label: "b" }, stacks });

/** Four endpoint deployments and a template; `digest` is the endpoint provider's code. */
function stack(digest: string, traffic = 100, templateDigest = OLD): Plan {
  const regions = ["us-central1", "europe-west4", "asia-east1", "us-east4"];
  return plan([
    ...regions.map((region, i) => res(DEPLOYMENT, `deploy-${region}`, { __provider: code(digest), region, traffic: i === 0 ? traffic : 100 })),
    res(TEMPLATE, "template-tune", { __provider: code(templateDigest), versionName: "v1" }),
  ]);
}

describe("llmops diff: new provider code", () => {
  it("is one line per provider with the number of resources, not an input change of each", () => {
    const s = diffStack("dev", stack(OLD), stack(NEW));
    expect(s.providerCode).toEqual([
      { provider: "vertex:EndpointDeployment", type: DEPLOYMENT, before: OLD, after: NEW, resources: expect.arrayContaining([expect.stringContaining("deploy-us-central1")]) },
    ]);
    expect(s.providerCode[0].resources).toHaveLength(4);
    expect(s.resources).toEqual([]);
    expect(s.counts).toEqual({ create: 0, update: 0, replace: 0, delete: 0, move: 0 });
    const line = "provider code of vertex:EndpointDeployment changed (sha 11111111 → 22222222), 4 resources";
    expect(formatReport(report(s), "text")).toContain(`    ${line}\n`);
    expect(formatReport(report(s), "markdown")).toContain(`- ${line}\n`);
    expect(formatReport(report(s), "markdown")).toContain("| dev | 0 | 0 | 0 | 0 | provider code |");
    expect(JSON.parse(formatReport(report(s), "json")).stacks[0].providerCode[0].resources).toHaveLength(4);
  });

  it("leaves a resource's real change in place, without __provider among its properties", () => {
    const s = diffStack("dev", stack(OLD, 100), stack(NEW, 90));
    expect(s.resources.map((r) => [r.name, r.action, r.properties.map((p) => p.path)])).toEqual([["deploy-us-central1", "update", ["traffic"]]]);
    expect(s.providerCode[0].resources).toHaveLength(4);
  });

  it("is one line for each provider whose code changed", () => {
    const s = diffStack("dev", stack(OLD), stack(NEW, 100, NEW));
    expect(s.providerCode.map((p) => `${p.provider} ${p.resources.length}`)).toEqual(["kfp:KfpTemplate 1", "vertex:EndpointDeployment 4"]);
  });

  it("is nothing at all when the code did not change", () => {
    const s = diffStack("dev", stack(OLD), stack(OLD));
    expect(s.providerCode).toEqual([]);
    expect(formatReport(report(s), "text")).toContain("No changes: dev.");
    expect(formatMarkdown(report(s))).toContain("No changes in any stack.");
  });

  it("is not counted for created or deleted resources (their code comes and goes with them)", () => {
    const s = diffStack("dev", plan([]), stack(NEW));
    expect(s.providerCode).toEqual([]);
    expect(s.counts.create).toBe(5);
  });
});

describe("llmops diff: markdown from stack files and plans cannot change the comment", () => {
  const evil = '<img src=x onerror="alert(1)"></details><!-- @octocat #1 **bold** [link](https://example.com) `tick`';
  const before = plan([res("gcp:storage/bucket:Bucket", "b", { name: "b" })], evil);
  const after = plan([res("gcp:storage/bucket:Bucket", "b", { name: "b", labels: { team: evil } }), res(DEPLOYMENT, `d-${evil}`, { __provider: code(NEW), region: evil })], evil);
  const quiet = diffStack(`quiet @octocat <b>`, plan([]), plan([]));
  const md = formatMarkdown(report(diffStack(evil, before, after), quiet));
  // What markdown and HTML are left once code spans and fenced blocks (shown verbatim) are removed.
  const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, "").replace(/(?<![\\`])(`+)(?!`)[^\n]*?(?<!`)\1(?!`)/g, "");

  it("escapes HTML: no tag from a stack name, and the folds stay balanced", () => {
    expect(prose).not.toMatch(/<img|<!--(?! llmops-diff)/);
    expect(md).toContain("&#60;img src=x onerror=&#34;alert(1)&#34;&#62;&#60;/details&#62;");
    expect(prose.match(/<details>/g)?.length).toBe(prose.match(/<\/details>/g)?.length);
  });

  it("pings nobody and links no issue: @ and # are followed by a word joiner", () => {
    expect(prose).not.toMatch(/@octocat|#1\b/);
    expect(md).toContain("@\u2060octocat");
    expect(md).toContain("#\u20601");
  });

  it("makes no emphasis, link or code span from a name", () => {
    expect(prose).not.toMatch(/\*\*bold|\[link\]|`tick/);
    expect(md).toContain("&#42;&#42;bold&#42;&#42; &#91;link&#93;(https://example.com) &#96;tick&#96;");
  });

  it("keeps a stack name with a line break on one table row", () => {
    const s = diffStack("two\nlines | cell", plan([]), plan([res("gcp:storage/bucket:Bucket", "b", {})]));
    expect(formatMarkdown(report(s))).toContain("| two lines &#124; cell | 1 | 0 | 0 | 0 |  |");
  });
});

describe("llmops diff: the comment names what it compared, what was checked and what merging does", () => {
  const sha = (c: string) => c.repeat(40);
  const checks = [() => ({ check: "policies" as const, checked: 31, blocking: 0 }), () => ({ check: "preflight" as const, checked: 17, blocking: 0 })];
  const changed = diffStack("dev", plan([]), plan([res("gcp:storage/bucket:Bucket", "b", {})]), { sources: [], preflightSources: [], checkSources: checks });
  const prodChanged = diffStack("prod", plan([], "prod"), plan([res("gcp:storage/bucket:Bucket", "b", {})], "prod"), { sources: [], preflightSources: [], checkSources: checks });
  const full: DiffReport = {
    base: { spec: "origin/main", label: "origin/main (aaaaaaa)", commit: sha("a") },
    head: { spec: "HEAD", label: "bbbbbbb", commit: sha("b") },
    context: { at: "2026-12-02T05:00:00Z", runUrl: "https://github.com/acme/llmops/actions/runs/42" },
    deploys: [
      { stack: "dev", job: "dev", environment: "dev", approval: false },
      { stack: "prod", job: "prod", environment: "prod", approval: true },
    ],
    stacks: [changed, prodChanged],
  };

  it("footer: both commit ids, the run link and the time", () => {
    expect(formatMarkdown(full).trimEnd().split("\n").pop()).toBe(
      `<sub>Compared base \`origin/main ${sha("a")}\` · head \`HEAD ${sha("b")}\` · [CI run](https://github.com/acme/llmops/actions/runs/42) · 2026-12-02T05:00:00Z</sub>`,
    );
    expect(formatReport(full, "text")).toContain(`Compared base origin/main ${sha("a")} with head HEAD ${sha("b")}; run https://github.com/acme/llmops/actions/runs/42; 2026-12-02T05:00:00Z.`);
  });

  it("links no run address that is not a plain https URL", () => {
    const md = formatMarkdown({ ...full, context: { at: "t", runUrl: "javascript:alert(1)//https://x" } });
    expect(md).not.toContain("CI run");
    expect(md).not.toContain("javascript");
  });

  it("reports the checks when they pass", () => {
    const md = formatMarkdown(full);
    expect(md).toContain("- dev: policies: 31 checked, 0 new violations; preflight: 17 rules, 0 new findings");
    expect(formatReport(full, "text")).toContain("  prod: policies: 31 checked, 0 new violations; preflight: 17 rules, 0 new findings");
  });

  it("reports blocking findings the base already had", () => {
    const failing = diffStack("dev", plan([]), plan([]), { sources: [], preflightSources: [], checkSources: [() => ({ check: "policies", checked: 31, blocking: 2 })] });
    expect(formatReport(report(failing), "text")).toContain("dev: policies: 31 checked, 0 new violations, 2 mandatory violations in the head plan");
  });

  it("next steps: which stacks merging deploys, which wait for approval, which no job deploys", () => {
    const md = formatMarkdown({ ...full, stacks: [...full.stacks, diffStack("staging", plan([]), plan([res("gcp:storage/bucket:Bucket", "b", {})]))] });
    expect(md).toContain("- dev: merging deploys it (job dev)\n- prod: merging deploys it after a reviewer approves environment prod (job prod)\n- staging: no deploy job: merging does not deploy it");
  });
});

describe("llmops diff: an accelerator pool replaced or deleted names the models it serves", () => {
  const P = "urn:pulumi:prod::llmops::";
  const component = (type: string, name: string, parent: string | null): PlannedResource => ({ ...res(type, name, {}), urn: `${P}${type}::${name}`, parent });
  const cluster = (region: string) => component("llmops:gke:Cluster", `gke-${region}`, null);
  const child = (type: string, name: string, parent: PlannedResource, inputs: Record<string, unknown>, provider?: string): PlannedResource => ({
    ...res(type, name, inputs),
    urn: `${P}${type}::${name}`,
    parent: parent.urn,
    options: { protect: false, retainOnDelete: false, dependsOn: [], ignoreChanges: [], ...(provider && { provider }) },
  });
  const pool = (c: PlannedResource, name: string, labels: Record<string, string>, gpu = "nvidia-l4") =>
    child("gcp:container/nodePool:NodePool", `${c.name}-${name}`, c, { name, location: c.name.slice(4), nodeConfig: { labels, guestAccelerators: [{ type: gpu, count: 1 }] } });
  const server = (c: PlannedResource, provider: PlannedResource, model: string, version: string, nodeSelector: Record<string, string>) =>
    child("kubernetes:apps/v1:Deployment", `model-${model}-${c.name}-${version}`, c, { metadata: { labels: { model, "model-version": version } }, spec: { template: { spec: { nodeSelector } } } }, provider.urn);

  const us = cluster("us-central1");
  const eu = cluster("europe-west4");
  const usK8s = child("pulumi:providers:kubernetes", "gke-us-central1-k8s", us, {});
  const euK8s = child("pulumi:providers:kubernetes", "gke-europe-west4-k8s", eu, {});
  const usSpot = pool(us, "l4-serving-spot", { "cloud.google.com/compute-class": "l4-serving", "llmops-pool": "l4-serving" });
  const euL4 = pool(eu, "l4-serving", { "llmops-pool": "l4-serving" });
  const euTpu = pool(eu, "tpu-batch", { "llmops-pool": "tpu-batch" }, "none");
  const base = plan(
    [
      us, eu, usK8s, euK8s, usSpot, euL4, euTpu,
      server(us, usK8s, "gemma-chat", "1-0-0", { "cloud.google.com/compute-class": "l4-serving", "cloud.google.com/gke-accelerator": "nvidia-l4" }),
      server(eu, euK8s, "gemma-chat", "1-0-0", { "llmops-pool": "l4-serving", "cloud.google.com/gke-accelerator": "nvidia-l4" }),
      server(eu, euK8s, "support-bot", "2-1-0", { "llmops-pool": "l4-serving", "cloud.google.com/gke-accelerator": "nvidia-l4" }),
    ],
    "prod",
  );

  it("by the pool's labels or compute class, on its own cluster only, in the callout and the JSON", () => {
    const s = diffStack("prod", base, { ...base, resources: base.resources.filter((r) => ![usSpot.urn, euL4.urn, euTpu.urn].includes(r.urn)) });
    const pools = Object.fromEntries(s.dangers.filter((d) => d.type === "gcp:container/nodePool:NodePool").map((d) => [d.name, d.models ?? []]));
    // The TPU pool serves no model; the us-central1 server is not on the europe-west4 pools, nor the reverse.
    expect(pools).toEqual({ "gke-us-central1-l4-serving-spot": ["gemma-chat 1-0-0"], "gke-europe-west4-l4-serving": ["gemma-chat 1-0-0", "support-bot 2-1-0"], "gke-europe-west4-tpu-batch": [] });
    expect(s.dangers.find((d) => d.name === "gke-europe-west4-l4-serving")!.consequence).toMatch(/; it serves gemma-chat 1-0-0, support-bot 2-1-0$/);
    expect(formatMarkdown(report(s))).toContain("it serves gemma-chat 1-0-0, support-bot 2-1-0.");
  });
});
