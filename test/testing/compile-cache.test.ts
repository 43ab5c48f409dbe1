import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project";

// Node ≥ 22.1 keeps compiled code itself and bin/compile-cache.js hands the work to it; these
// tests are of the loader this file replaces on Node 20.
const OWN_LOADER = typeof (require("node:module") as { enableCompileCache?: unknown }).enableCompileCache !== "function";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** Modules under 32 KB get no entry (compile-cache.js, MIN_LENGTH): these are padded past it. */
const big = (source: string) => `${source}\n//${"-".repeat(32 * 1024)}\n`;

function folder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-compile-cache-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), /\.m?js$/.test(name) ? big(text) : text);
  }
  return dir;
}

// Counts, per process, the scripts compiled with kept code V8 took, rejected, or none: a spy on
// vm.Script, which the cache looks up at each compile.
const SPY = `const vm = require("node:vm"); const Script = vm.Script; const n = { kept: 0, rejected: 0, compiled: 0 };
vm.Script = function (code, options) { const s = new Script(code, options); n[!options?.cachedData ? "compiled" : s.cachedDataRejected ? "rejected" : "kept"]++; return s; };
process.on("exit", () => process.stderr.write("\\n" + JSON.stringify(n)));`;

/** Runs `main` in a fresh Node with the cache at `cache`; its stdout, and what the spy counted. */
function run(dir: string, main: string, cache: string, env: Record<string, string> = {}, args: string[] = []) {
  const spy = path.join(dir, "spy.cjs");
  fs.writeFileSync(spy, SPY);
  const result = spawnSync(process.execPath, [...args, "--require", spy, "--require", path.join(ROOT, "bin/compile-cache.js"), path.join(dir, main)], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", NODE_DISABLE_COMPILE_CACHE: "", NODE_COMPILE_CACHE: cache, ...env },
  });
  expect(result.status, result.stderr).toBe(0);
  const counts = JSON.parse(result.stderr.trim().split("\n").pop()!) as { kept: number; rejected: number; compiled: number };
  return { stdout: result.stdout, counts, entries: fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith(".bin")) : [] };
}

describe.runIf(OWN_LOADER)("the compiled code kept between processes (bin/compile-cache.js)", () => {
  it("runs a module from its kept code in the next process, with the same result", () => {
    const dir = folder({ "main.js": "const { twice } = require('./lib'); console.log(twice(21));", "lib.js": "exports.twice = (n) => n * 2;" });
    const cache = path.join(dir, "cache");
    const first = run(dir, "main.js", cache);
    expect(first.stdout.trim()).toBe("42");
    expect(first.counts).toMatchObject({ kept: 0, compiled: 2 });
    expect(first.entries).toHaveLength(2);
    const second = run(dir, "main.js", cache);
    expect(second.stdout.trim()).toBe("42");
    expect(second.counts).toEqual({ kept: 2, rejected: 0, compiled: 0 });
  });

  it("never runs the old code of a file edited to the same length (V8 itself compares lengths only), in the project or in node_modules", () => {
    const dir = folder({
      "main.js": "console.log(require('./value'), require('dep'));",
      "value.js": "module.exports = 'one';",
      "node_modules/dep/index.js": "module.exports = 'uno';",
    });
    const cache = path.join(dir, "cache");
    expect(run(dir, "main.js", cache).stdout.trim()).toBe("one uno");
    fs.writeFileSync(path.join(dir, "value.js"), big("module.exports = 'two';"));
    fs.writeFileSync(path.join(dir, "node_modules/dep/index.js"), big("module.exports = 'dos';"));
    const after = run(dir, "main.js", cache);
    expect(after.stdout.trim()).toBe("two dos");
    expect(after.counts).toMatchObject({ kept: 1, compiled: 2 });
  });

  it("compiles afresh over an entry V8 rejects, and keeps a good one instead", () => {
    const dir = folder({ "main.js": "console.log('fine');" });
    const cache = path.join(dir, "cache");
    const [entry] = run(dir, "main.js", cache).entries;
    fs.writeFileSync(path.join(cache, entry), "not V8's code");
    const damaged = run(dir, "main.js", cache);
    expect(damaged.stdout.trim()).toBe("fine");
    expect(damaged.counts).toMatchObject({ rejected: 1, kept: 0 });
    expect(run(dir, "main.js", cache).counts).toEqual({ kept: 1, rejected: 0, compiled: 0 });
  });

  it("gives a module from kept code what Node's loader gives it: require and its helpers, this, __filename, __dirname, a hashbang", () => {
    const dir = folder({
      "main.js": [
        "#!/usr/bin/env node",
        "const assert = require('node:assert');",
        "const path = require('node:path');",
        "assert.strictEqual(this, module.exports);",
        "assert.strictEqual(__filename, path.join(__dirname, 'main.js'));",
        "assert.strictEqual(require.main, module);",
        "assert.strictEqual(require.resolve('dep'), path.join(__dirname, 'node_modules/dep/index.js'));",
        "assert.ok(require.resolve.paths('dep').includes(path.join(__dirname, 'node_modules')));",
        "console.log(require('dep'));",
        "assert.ok(require.cache[require.resolve('dep')]);",
        "assert.strictEqual(require.extensions, require('node:module')._extensions);",
      ].join("\n"),
      "node_modules/dep/index.js": "module.exports = 'dep';",
    });
    const cache = path.join(dir, "cache");
    expect(run(dir, "main.js", cache).stdout.trim()).toBe("dep");
    const again = run(dir, "main.js", cache);
    expect(again.stdout.trim()).toBe("dep");
    expect(again.counts).toEqual({ kept: 2, rejected: 0, compiled: 0 });
  });

  it("leaves a module with a dynamic import() to Node's loader: from kept code its import would fail on Node 20", () => {
    const dir = folder({ "main.js": "require('./lib'); import('./esm.mjs').then((m) => console.log(m.value));", "lib.js": "exports.a = 1;", "esm.mjs": "export const value = 'esm';" });
    const cache = path.join(dir, "cache");
    expect(run(dir, "main.js", cache).stdout.trim()).toBe("esm");
    const again = run(dir, "main.js", cache);
    expect(again.stdout.trim()).toBe("esm");
    expect(again.counts).toEqual({ kept: 1, rejected: 0, compiled: 0 });
  });

  it("is off with NODE_DISABLE_COMPILE_CACHE=1 and with source maps on (Node maps stack traces only of what it compiled)", () => {
    const dir = folder({ "main.js": "console.log('ok');" });
    const cache = path.join(dir, "cache");
    expect(run(dir, "main.js", cache, { NODE_DISABLE_COMPILE_CACHE: "1" }).counts).toEqual({ kept: 0, rejected: 0, compiled: 0 });
    expect(run(dir, "main.js", cache, {}, ["--enable-source-maps"]).counts).toEqual({ kept: 0, rejected: 0, compiled: 0 });
    expect(fs.existsSync(cache)).toBe(false);
  });

  it("leaves an ES module to Node's loader, which requires it (Node 20.19+)", () => {
    const dir = folder({ "main.js": "console.log(require('./esm.mjs').value);", "esm.mjs": "export const value = 'esm';" });
    const cache = path.join(dir, "cache");
    expect(run(dir, "main.js", cache).stdout.trim()).toBe("esm");
    expect(run(dir, "main.js", cache)).toMatchObject({ stdout: "esm\n", counts: { kept: 1, rejected: 0, compiled: 0 } });
  });

  it("reports the module's own line and column in stack traces, the first line included", () => {
    const dir = folder({ "main.js": "try { null.x; } catch (e) { console.log(e.stack.split('\\n')[1].replace(/^.*main\\.js:/, '')); }" });
    const cache = path.join(dir, "cache");
    const plain = run(dir, "main.js", cache, { NODE_DISABLE_COMPILE_CACHE: "1" }).stdout;
    expect(plain.trim()).toMatch(/^1:\d+\)?$/);
    expect(run(dir, "main.js", cache).stdout).toBe(plain);
    const kept = run(dir, "main.js", cache);
    expect(kept.counts.kept).toBe(1);
    expect(kept.stdout).toBe(plain);
  });

  it("keeps no entry for a module under 32 KB: reading an entry of its own costs what compiling it does", () => {
    const dir = folder({ "main.js": "require('./small.cjs');", "small.cjs": "exports.a = 1;" });
    const cache = path.join(dir, "cache");
    run(dir, "main.js", cache);
    expect(run(dir, "main.js", cache)).toMatchObject({ counts: { kept: 1, rejected: 0, compiled: 1 }, entries: [expect.any(String)] });
  });

  it("compiles a project module once per process and text: loaded again (as a render lane loads the entry for each stack), it runs afresh from the code compiled", () => {
    // small.cjs runs three times: twice as it is, then edited; only the edit is compiled again.
    const main = `const fs = require("node:fs");
const file = require.resolve("./small.cjs");
const load = () => { delete require.cache[file]; require(file); };
load(); load();
fs.writeFileSync(file, "globalThis.n = (globalThis.n || 0) + 100;");
load();
console.log(globalThis.n);`;
    const dir = folder({ "main.js": main, "small.cjs": "globalThis.n = (globalThis.n || 0) + 1;" });
    expect(run(dir, "main.js", path.join(dir, "cache"))).toMatchObject({ stdout: "102\n", counts: { kept: 0, rejected: 0, compiled: 3 } });
  });

  it("keeps entries of processes with other V8 flags apart, instead of each rewriting the other's", () => {
    const dir = folder({ "main.js": "console.log('ok');" });
    const cache = path.join(dir, "cache");
    run(dir, "main.js", cache);
    run(dir, "main.js", cache, {}, ["--max-semi-space-size=32"]);
    expect(fs.readdirSync(cache)).toHaveLength(2);
    expect(run(dir, "main.js", cache).counts).toEqual({ kept: 1, rejected: 0, compiled: 0 });
    expect(run(dir, "main.js", cache, {}, ["--max-semi-space-size=32"]).counts).toEqual({ kept: 1, rejected: 0, compiled: 0 });
  });
});
