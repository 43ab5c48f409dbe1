import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project";

/**
 * In a fresh process (the module cache is the subject): loads the SDK, with or without the
 * stand-in, and serialises a function that calls a method of a class (the serialiser parses both
 * with TypeScript). Prints whether TypeScript had loaded before, and the serialised text.
 */
const SCRIPT = `
const defer = process.argv[1] === "defer";
if (defer) require(${JSON.stringify(path.join(ROOT, "infra/testing/sdk-typescript.ts"))}).deferSdkTypeScript();
const pulumi = require("@pulumi/pulumi");
const loaded = () => Object.keys(require.cache).some((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$/.test(f));
const before = loaded();
class Greeter { constructor(n) { this.n = n; } greet() { return "hello " + this.n; } }
const g = new Greeter("x");
pulumi.runtime.serializeFunction(() => g.greet()).then((s) => console.log(JSON.stringify({ before, after: loaded(), text: s.text })));
`;

function run(mode: "defer" | "plain") {
  const result = spawnSync(process.execPath, ["--require", path.join(ROOT, "bin/register.js"), "-e", SCRIPT, mode], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { before: boolean; after: boolean; text: string };
}

describe("the renderer's deferred TypeScript for the Pulumi SDK (infra/testing/sdk-typescript.ts)", () => {
  it("keeps TypeScript unloaded until the SDK serialises a function, which then gets the same text as the SDK as it is", () => {
    const plain = run("plain");
    const deferred = run("defer");
    expect(plain.before).toBe(true);
    expect(deferred.before).toBe(false);
    expect(deferred.after).toBe(true);
    expect(deferred.text).toContain("greet");
    expect(deferred.text).toBe(plain.text);
  });
});
