import { spawnSync } from "node:child_process";
import * as path from "node:path";

const resolved = new Map<string, string>();

/**
 * The Python a local run's steps start by default: `python3` from `PATH`, resolved once per
 * process (and `PATH`) to the interpreter it runs, `sys.executable`. A version manager's `python3`
 * is a shim (pyenv's runs a dozen bash scripts to pick a version), ~0.4 s of CPU before each step;
 * the interpreter it picks (from the working directory) is the one every step then gets, a
 * virtualenv's included (its `bin/python3`). Unresolvable (no Python, an embedding without an
 * executable): `python3`, and the step reports that it cannot start.
 */
export function defaultPython(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.PATH ?? "";
  let python = resolved.get(key);
  if (python === undefined) {
    const run = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8", env });
    const executable = run.status === 0 ? run.stdout.trim() : "";
    python = executable && path.isAbsolute(executable) ? executable : "python3";
    resolved.set(key, python);
  }
  return python;
}
