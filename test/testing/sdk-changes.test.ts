import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project";

/**
 * The renderer's two changes to how the Pulumi SDK loads and runs (infra/testing/sdk.ts), each in
 * a fresh process since the module cache and Error.stackTraceLimit are process-wide: one process with both, one with neither, for the SDK as it is. Each loads the SDK,
 * keeps a debuggable promise's trace (the first with PULUMI_DEBUG_PROMISE_LEAKS set, the second
 * without), and serialises a function that calls a method of a class (parsed with TypeScript).
 */
const SCRIPT = `
const changed = process.argv[1] === "changed";
const testing = ${JSON.stringify(path.join(ROOT, "infra/testing"))};
if (changed) require(testing + "/sdk.ts").deferSdkTypeScript();
const pulumi = require("@pulumi/pulumi");
const quiet = () => changed && require(testing + "/sdk.ts").quietPromiseStackTraces();
const typescriptLoaded = () => Object.keys(require.cache).some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(f));
const debuggable = require("@pulumi/pulumi/runtime/debuggable");
const trace = async () => { const p = Promise.resolve(7); const value = await debuggable.debuggablePromise(p, "a test"); return { trace: p._debugStackTrace, value }; };
(async () => {
  const typescriptAtFirst = typescriptLoaded();
  process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";
  quiet();
  const debugging = await trace();
  delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  quiet();
  quiet();
  const usual = await trace();
  class Greeter { constructor(n) { this.n = n; } greet() { return "hello " + this.n; } }
  const g = new Greeter("x");
  const { text } = await pulumi.runtime.serializeFunction(() => g.greet());
  console.log(JSON.stringify({ typescriptAtFirst, typescriptAfter: typescriptLoaded(), debugging, usual, later: new Error("later").stack, limit: Error.stackTraceLimit, text }));
})();
`;

type Seen = { typescriptAtFirst: boolean; typescriptAfter: boolean; debugging: { trace: string; value: number }; usual: { trace: string; value: number }; later: string; limit: number; text: string };

function run(mode: "changed" | "as it is"): Seen {
  const result = spawnSync(process.execPath, ["--require", path.join(ROOT, "bin/register.js"), "-e", SCRIPT, mode], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "", PULUMI_DEBUG_PROMISE_LEAKS: "" } });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Seen;
}

describe("the renderer's changes to the Pulumi SDK's loading and promises", () => {
  const [asItIs, changed] = [run("as it is"), run("changed")];

  it("loads TypeScript only when the SDK serialises a function, which then gets the same text as from the SDK as it is", () => {
    expect(asItIs.typescriptAtFirst).toBe(true);
    expect(changed.typescriptAtFirst).toBe(false);
    expect(changed.typescriptAfter).toBe(true);
    expect(changed.text).toContain("greet");
    expect(changed.text).toBe(asItIs.text);
  });

  it("keeps no frames for the SDK's promises, which resolve as before, and leaves every other stack trace whole", () => {
    expect(asItIs.usual.trace).toMatch(/^Error\n\s+at /);
    expect(changed.usual).toEqual({ trace: "Error", value: 7 });
    expect(changed.later).toMatch(/^Error: later\n\s+at /);
    expect(changed.limit).toBe(10);
  });

  it("keeps the frames when PULUMI_DEBUG_PROMISE_LEAKS asks for the report that prints them", () => {
    expect(changed.debugging.trace).toMatch(/^Error\n\s+at /);
    expect(changed.debugging.value).toBe(7);
  });
});
