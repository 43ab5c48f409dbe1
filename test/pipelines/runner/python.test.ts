import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultPython } from "../../../pipelines/runner";
import { hasPython } from "../../helpers/python";

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});
const tmp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-python-"));
  made.push(dir);
  return dir;
};

describe("the Python of local runs", () => {
  it.skipIf(!hasPython)("is python3 from PATH, resolved once to its interpreter: a version manager's shim runs once, not before every step", () => {
    // GIVEN a shim first on PATH, as pyenv's, that counts its calls and hands over to the real python3
    const shims = tmp();
    const calls = path.join(shims, "calls");
    const real = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
    fs.writeFileSync(path.join(shims, "python3"), `#!/bin/sh\necho called >> ${JSON.stringify(calls)}\nexec ${JSON.stringify(real)} "$@"\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: `${shims}${path.delimiter}${process.env.PATH}` };
    // WHEN a run asks for it at each step
    const first = defaultPython(env);
    const second = defaultPython(env);
    // THEN the steps get the interpreter the shim starts, found by one call of the shim
    expect(first).toBe(real);
    expect(second).toBe(real);
    expect(fs.readFileSync(calls, "utf8")).toBe("called\n");
  });

  it("stays python3 when there is none to resolve, so that the step says it cannot start", () => {
    expect(defaultPython({ PATH: tmp() })).toBe("python3");
  });
});
