import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

// Counts esbuild's transforms in the process: bin/register.js transpiles only what its cache lacks.
// (esbuild exports getters: the module's exports are replaced, before the loader first requires it.)
const SPY = `const id = require.resolve("esbuild", { paths: [${JSON.stringify(ROOT)}] }); const esbuild = require(id); let n = 0;
require.cache[id].exports = { ...esbuild, transformSync: (...args) => (n++, esbuild.transformSync(...args)) };
process.on("exit", () => process.stderr.write("\\n" + JSON.stringify({ transforms: n })));`;

/** A module that reports its own file name and where it throws. */
const MODULE = (token: string) => `// ${token}\nexport const where = (): string[] => {\n  const err = new Error("here");\n  return [__filename, err.stack!.split("\\n")[1].trim()];\n};\n`;

describe("the TypeScript loader (bin/register.js)", () => {
  it("transpiles a file once for every copy of the project: a git revision in a temporary folder reuses its checkout's output", () => {
    // GIVEN two folders holding the same new file (a token no earlier run transpiled)
    const token = randomUUID();
    // (in a folder of the same name, as in two checkouts: esbuild names a module's exports after it)
    const [a, b] = ["a", "b"].map((name) => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), `llmops-register-${name}-`));
      made.push(root);
      const dir = path.join(root, "infra");
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "where.ts"), MODULE(token));
      return dir;
    });
    const spy = path.join(a, "spy.cjs");
    fs.writeFileSync(spy, SPY);
    const script = `for (const dir of ${JSON.stringify([a, b])}) console.log(JSON.stringify(require(dir + "/where.ts").where()));`;
    for (const sourceMaps of [false, true]) {
      // WHEN a process loads both
      const result = spawnSync(process.execPath, [...(sourceMaps ? ["--enable-source-maps"] : []), "--require", spy, "--require", path.join(ROOT, "bin/register.js"), "-e", script], { cwd: a, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
      expect(result.status, result.stderr).toBe(0);
      // THEN esbuild ran once at most (none the second time: the first process kept its output)
      const { transforms } = JSON.parse(result.stderr.trim().split("\n").pop()!) as { transforms: number };
      expect(transforms).toBe(sourceMaps ? 0 : 1);
      // AND each module is itself: its own __filename, and stack frames at its own path (with
      // source maps, at the TypeScript line: 3 is `new Error`)
      const [fromA, fromB] = result.stdout.trim().split("\n").map((line) => JSON.parse(line) as string[]);
      expect(fromA[0]).toBe(path.join(a, "where.ts"));
      expect(fromB[0]).toBe(path.join(b, "where.ts"));
      expect(fromA[1]).toContain(`${path.join(a, "where.ts")}:`);
      expect(fromB[1]).toContain(`${path.join(b, "where.ts")}:`);
      if (sourceMaps) expect(fromB[1]).toMatch(new RegExp(`${path.join(b, "where.ts").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3:\\d+\\)$`));
    }
  });

  it("names a file with a syntax error by its full path (the project has many index.ts)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-register-bad-"));
    made.push(root);
    const file = path.join(root, "models", "index.ts");
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, `// ${randomUUID()}\nexport const a = ;\n`);
    const result = spawnSync(process.execPath, ["--require", path.join(ROOT, "bin/register.js"), file], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`${file}:2:17: ERROR: Unexpected ";"`);
  });
});
