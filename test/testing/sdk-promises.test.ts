import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project";

/**
 * In a fresh process (Error.stackTraceLimit and the SDK's module are process-wide): quiets the
 * SDK's promise traces, twice, makes a debuggable promise and prints its kept trace, what it
 * resolved to, and a stack trace taken afterwards.
 */
const SCRIPT = `
const { quietPromiseStackTraces } = require(${JSON.stringify(path.join(ROOT, "infra/testing/sdk-promises.ts"))});
require("@pulumi/pulumi");
quietPromiseStackTraces();
quietPromiseStackTraces();
const debuggable = require("@pulumi/pulumi/runtime/debuggable");
const input = Promise.resolve(7);
debuggable.debuggablePromise(input, "a test").then((value) => {
  console.log(JSON.stringify({ kept: input._debugStackTrace, value, later: new Error("later").stack, limit: Error.stackTraceLimit }));
});
`;

function run(env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--require", path.join(ROOT, "bin/register.js"), "-e", SCRIPT], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "", PULUMI_DEBUG_PROMISE_LEAKS: "", ...env } });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { kept: string; value: number; later: string; limit: number };
}

describe("the renderer's quiet promise traces for the Pulumi SDK (infra/testing/sdk-promises.ts)", () => {
  it("keeps no frames for the SDK's promises, which resolve as before, and leaves every other stack trace whole", () => {
    const quiet = run();
    expect(quiet.kept).toBe("Error");
    expect(quiet.value).toBe(7);
    expect(quiet.later).toMatch(/^Error: later\n\s+at /);
    expect(quiet.limit).toBe(10);
  });

  it("keeps the frames when PULUMI_DEBUG_PROMISE_LEAKS asks for the report that prints them", () => {
    expect(run({ PULUMI_DEBUG_PROMISE_LEAKS: "1" }).kept).toMatch(/^Error\n\s+at /);
  });
});
