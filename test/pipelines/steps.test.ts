/**
 * The pipeline steps (pipelines/steps, standard-library Python): their own unittest suites run
 * from `npm test`, and every module a component runs exists and is tested.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../pipelines/compiler";
import { PIPELINES } from "../../pipelines/llmops";
import { hasPython, python } from "../helpers/python";

const ROOT = path.resolve(__dirname, "..", "..");
const STEPS = path.join(ROOT, "pipelines", "steps");
const TESTS = path.join(__dirname, "steps");

/** `python3 -m <module>` in a command line, and `"-m", "<module>"` in the steps' own code (the LoRA worker's command). */
function modulesRun(): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, pipeline] of Object.entries(PIPELINES)) {
    for (const [label, executor] of Object.entries(compile(pipeline, { allowUnpinnedImages: true }).deploymentSpec?.executors ?? {})) {
      const command = [...(executor.container?.command ?? []), ...(executor.container?.args ?? [])];
      const at = command.indexOf("-m");
      if (executor.container) found.set(at >= 0 ? command[at + 1] : `(no module: ${command.join(" ")})`, `${name} ${label}`);
    }
  }
  for (const file of fs.readdirSync(STEPS, { recursive: true }) as string[]) {
    if (!file.endsWith(".py")) continue;
    for (const m of fs.readFileSync(path.join(STEPS, file), "utf8").matchAll(/["']-m["'],\s*["'](llmops_[\w.]+)["']/g)) found.set(m[1], `pipelines/steps/${file}`);
  }
  return found;
}

/** Modules the step tests import: `from pkg import a, b` and `from pkg.mod import …`. */
function testedModules(): Set<string> {
  const tested = new Set<string>();
  for (const file of fs.readdirSync(TESTS).filter((f) => /^test_.*\.py$/.test(f))) {
    for (const m of fs.readFileSync(path.join(TESTS, file), "utf8").matchAll(/^from (llmops_\w+)(\.[\w.]+)? import (.+)$/gm)) {
      if (m[2]) tested.add(`${m[1]}${m[2]}`);
      else for (const name of m[3].split(",")) tested.add(`${m[1]}.${name.trim()}`);
    }
  }
  return tested;
}

describe("the modules the pipelines run", () => {
  const modules = modulesRun();

  it("are the steps package's: every component runs `python3 -m llmops_…`", () => {
    expect([...modules.keys()].filter((m) => !/^llmops_\w+\.\w+$/.test(m))).toEqual([]);
    // The LoRA worker is started by the CustomJob, not by a component.
    expect(modules.get("llmops_lora.train")).toBe("pipelines/steps/llmops_tuning/lora_job.py");
  });

  it("each exist in pipelines/steps and have a test that imports them", () => {
    const tested = testedModules();
    for (const module of modules.keys()) {
      expect(fs.existsSync(path.join(STEPS, `${module.replace(/\./g, "/")}.py`)), `${module} (${modules.get(module)}) has no source`).toBe(true);
      expect(tested.has(module), `${module} (${modules.get(module)}) is imported by no test under test/pipelines/steps`).toBe(true);
    }
  });
});

describe.skipIf(!hasPython)("python3 -m unittest on the step suites (skipped: python3 not found on PATH; install Python 3.8+ to run the steps' tests)", () => {
  it(
    "passes, standard library only",
    () => {
      // -I: no user site-packages or PYTHON* environment, so a package installed here cannot make a test pass.
      const result = spawnSync(python!, ["-I", "-m", "unittest", "discover", "-s", TESTS, "-t", TESTS, "-p", "test_*.py"], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
      const summary = /^Ran (\d+) tests? in/m.exec(result.stderr);
      expect(result.status, result.stderr.slice(-4000)).toBe(0);
      expect(Number(summary?.[1] ?? 0)).toBeGreaterThan(50);
    },
    300_000,
  );
});
