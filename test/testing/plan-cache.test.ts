import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEntry, writeEntry } from "../../infra/common/file-cache";
import { PLAN_CACHE_FORMAT, cacheDir, cacheKey, cachedPlan, keepPlan } from "../../infra/testing/plan-cache";
import type { Plan } from "../../lib/plan";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A small project folder: what the key reads, and what it must leave out. */
function project(extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-cache-"));
  made.push(dir);
  const files: Record<string, string> = {
    "Pulumi.yaml": "name: llmops\nruntime: nodejs\nmain: infra/index.ts\n",
    "Pulumi.dev.yaml": "config:\n  gcp:project: acme-dev\n",
    "Pulumi.prod.yaml": "config:\n  gcp:project: acme-prod\n",
    "package-lock.json": '{"lockfileVersion":3}',
    "infra/index.ts": "export const a = 1;\n",
    "pipelines/steps/train.py": "print(1)\n",
    "test/index.test.ts": "// a test\n",
    ".llmops/plan/dev.json": "{}",
    ".git/HEAD": "ref: refs/heads/main\n",
    "node_modules/.package-lock.json": '{"packages":{}}',
    "node_modules/zod/index.js": "module.exports = 1;\n",
    ...extra,
  };
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const edit = (dir: string, file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

describe("plan cache key", () => {
  it("is the same for a copy of the project elsewhere: it reads contents, not paths", () => {
    expect(cacheKey({ dir: project(), stack: "dev" })).toBe(cacheKey({ dir: project(), stack: "dev" }));
  });

  it.each([
    ["a program file", "infra/index.ts", "export const a = 2;\n"],
    ["a new program file", "infra/other.ts", "export {};\n"],
    ["a file the program reads", "pipelines/steps/train.py", "print(2)\n"],
    ["the stack's own file", "Pulumi.dev.yaml", "config:\n  gcp:project: acme-dev2\n"],
    ["the project file", "Pulumi.yaml", "name: other\nruntime: nodejs\nmain: infra/index.ts\n"],
    ["the installed dependencies (npm's record of node_modules)", "node_modules/.package-lock.json", '{"packages":{"x":{}}}'],
  ])("changes with %s", (_what, file, text) => {
    const dir = project();
    const before = cacheKey({ dir, stack: "dev" });
    edit(dir, file, text);
    expect(cacheKey({ dir, stack: "dev" })).not.toBe(before);
  });

  it.each([
    ["another stack's file", "Pulumi.prod.yaml", "config:\n  gcp:project: acme-prod2\n"],
    ["a test", "test/index.test.ts", "// changed\n"],
    ["the command line", "cli/plan.ts", "// changed\n"],
    ["the policy pack or the price catalog", "policies/cost/catalog/prices.json", "{}"],
    ["the documentation", "docs/performance.md", "changed\n"],
    ["a written plan", ".llmops/plan/dev.json", '{"x":1}'],
    ["git's own files", ".git/HEAD", "ref: refs/heads/other\n"],
    ["Python's bytecode cache, which running a step's tests writes", "pipelines/steps/__pycache__/train.cpython-311.pyc", "\u0000bytecode"],
    ["a compiled Python file", "pipelines/steps/train.pyc", "\u0000bytecode"],
  ])("does not change with %s", (_what, file, text) => {
    const dir = project();
    const before = cacheKey({ dir, stack: "dev" });
    edit(dir, file, text);
    expect(cacheKey({ dir, stack: "dev" })).toBe(before);
  });

  it("reads a file again once it changes, even at the same size and modification time as when its hash was kept", () => {
    const dir = project();
    const file = path.join(dir, "infra/index.ts");
    // Old enough that the process keeps the file's hash (a file changed within the clock's
    // granularity of being read is read each time).
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
    const before = cacheKey({ dir, stack: "dev" });
    expect(cacheKey({ dir, stack: "dev" })).toBe(before);
    fs.writeFileSync(file, "export const a = 9;\n");
    fs.utimesSync(file, old, old);
    // Same size, same modification time: the change time (which no one can set) tells.
    expect(cacheKey({ dir, stack: "dev" })).not.toBe(before);
  });

  it("differs by stack and by a configuration given instead of the stack file's", () => {
    const dir = project();
    const keys = [cacheKey({ dir, stack: "dev" }), cacheKey({ dir, stack: "prod" }), cacheKey({ dir, stack: "dev", config: { "gcp:project": "x" } }), cacheKey({ dir, stack: "dev", config: { "gcp:project": "y" } })];
    expect(new Set(keys).size).toBe(4);
  });

  it("follows links: editing a linked folder's file changes the key of the project that links it", () => {
    const source = project();
    const linked = project();
    fs.rmSync(path.join(linked, "infra"), { recursive: true });
    fs.symlinkSync(path.join(source, "infra"), path.join(linked, "infra"));
    const before = cacheKey({ dir: linked, stack: "dev" });
    expect(before).toBe(cacheKey({ dir: source, stack: "dev" }));
    edit(source, "infra/index.ts", "export const a = 3;\n");
    expect(cacheKey({ dir: linked, stack: "dev" })).not.toBe(before);
  });

  it("changes with the environment the providers read (GOOGLE_*, PULUMI_K8S_*, …), not with the rest", () => {
    const dir = project();
    const base = { PATH: "/usr/bin", HOME: "/root" };
    const key = (env: NodeJS.ProcessEnv) => cacheKey({ dir, stack: "dev" }, "", env);
    expect(key({ ...base, HOME: "/elsewhere", EDITOR: "vi" })).toBe(key(base));
    for (const extra of [{ GOOGLE_ZONE: "us-central1-a" }, { CLOUDSDK_COMPUTE_ZONE: "us-central1-a" }, { PULUMI_K8S_DELETE_UNREACHABLE: "true" }, { KUBECONFIG: "/k" }]) {
      expect(key({ ...base, ...extra }), JSON.stringify(extra)).not.toBe(key(base));
    }
  });

  it("changes with the renderer: a git revision's own worker, and the loader", () => {
    const dir = project();
    expect(cacheKey({ dir, stack: "dev" }, "worker-a")).not.toBe(cacheKey({ dir, stack: "dev" }, "worker-b"));
  });

  it("is undefined for a folder it cannot read, so nothing is reused", () => {
    expect(cacheKey({ dir: path.join(os.tmpdir(), "llmops-no-such-folder"), stack: "dev" })).toBeUndefined();
  });
});

const plan = (stack: string): Plan => ({ project: "llmops", stack, resources: [], defaultProviders: {}, outputs: { n: 1 } });

describe("plan cache entries", () => {
  it("gives back the plan kept under a key, and nothing under another", () => {
    const dir = project();
    keepPlan(dir, "k1", plan("dev"));
    expect(cachedPlan(dir, "k1")).toEqual(plan("dev"));
    expect(cachedPlan(dir, "k2")).toBeUndefined();
    // Kept inside node_modules: `npm ci` starts it empty, and git never sees it.
    expect(fs.existsSync(path.join(dir, "node_modules/.cache/llmops/plans/k1.json"))).toBe(true);
  });

  it.each([
    ["not JSON", "{"],
    ["another format", JSON.stringify({ format: PLAN_CACHE_FORMAT - 1, plan: plan("dev") })],
    ["no plan", JSON.stringify({ format: PLAN_CACHE_FORMAT })],
    ["a plan without resources", JSON.stringify({ format: PLAN_CACHE_FORMAT, plan: { stack: "dev" } })],
  ])("ignores an entry that is %s", (_what, text) => {
    const dir = project();
    writeEntry(cacheDir(dir), "k.json", text, 64);
    expect(readEntry(cacheDir(dir), "k.json")).toBe(text);
    expect(cachedPlan(dir, "k")).toBeUndefined();
  });

  it.each([
    ["cut short", (t: string) => t.slice(0, t.length - 10)],
    ["changed", (t: string) => t.replace('"n":1', '"n":2')],
    ["without its hash", (t: string) => t.slice(t.indexOf("\n") + 1)],
  ])("ignores an entry that was %s after it was written", (_what, spoil) => {
    const dir = project();
    keepPlan(dir, "k", plan("dev"));
    expect(cachedPlan(dir, "k")).toEqual(plan("dev"));
    const file = path.join(cacheDir(dir), "k.json");
    fs.writeFileSync(file, spoil(fs.readFileSync(file, "utf8")));
    expect(cachedPlan(dir, "k")).toBeUndefined();
  });

  it("keeps the entries used last: reading one keeps it", () => {
    const dir = project();
    for (let i = 0; i < 64; i++) {
      keepPlan(dir, `k${i}`, plan("dev"));
      fs.utimesSync(path.join(cacheDir(dir), `k${i}.json`), 1_000_000 + i, 1_000_000 + i);
    }
    // k0 is the oldest written, but read now
    expect(cachedPlan(dir, "k0")).toEqual(plan("dev"));
    keepPlan(dir, "new", plan("dev"));
    const left = fs.readdirSync(cacheDir(dir));
    expect(left).toContain("k0.json");
    expect(left).not.toContain("k1.json");
  });

  it("keeps the newest 64 entries", () => {
    const dir = project();
    for (let i = 0; i < 66; i++) {
      keepPlan(dir, `k${i}`, plan("dev"));
      // mtimes one second apart, oldest first, whatever the file system's resolution
      fs.utimesSync(path.join(cacheDir(dir), `k${i}.json`), 1_000_000 + i, 1_000_000 + i);
    }
    keepPlan(dir, "last", plan("dev"));
    const left = fs.readdirSync(cacheDir(dir));
    expect(left).toHaveLength(64);
    for (const gone of ["k0", "k1", "k2"]) expect(left).not.toContain(`${gone}.json`);
    expect(left).toContain("last.json");
  });

  it("is no error when the cache cannot be written", () => {
    const dir = project();
    fs.writeFileSync(path.join(dir, "node_modules/.cache"), "a file where the folder would go");
    expect(() => keepPlan(dir, "k", plan("dev"))).not.toThrow();
    expect(cachedPlan(dir, "k")).toBeUndefined();
  });
});
