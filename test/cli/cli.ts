import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { format } from "node:util";
import { diffLines } from "diff";
import { vi } from "vitest";
import { run } from "../../cli/program";
import { type Plan, planJson } from "../../lib/plan";
import { useStackRenderer } from "../../infra/testing/fork";
import { ROOT, tempProject } from "../helpers/project";
import { render, renderPlan } from "../helpers/render";

const CLI = path.join(ROOT, "bin/llmops.js");

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Commands run in process render through the run's render service (test/setup/render-service.ts):
// its workers, each configuration once, instead of new workers per command.
useStackRenderer(render);

/**
 * Runs a command line of the CLI in `dir`, in this process: the same command tree, exit codes and
 * messages as bin/llmops.js (cli/program.ts `run`), without starting Node and loading the CLI
 * for each call; its renders go to the run's render service. Output of the render workers is not captured.
 */
export async function llmops(dir: string, ...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const write = (into: string[]) => (chunk: string | Uint8Array, ...rest: unknown[]) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    (rest.find((r) => typeof r === "function") as (() => void) | undefined)?.();
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(write(out)),
    vi.spyOn(process.stderr, "write").mockImplementation(write(err)),
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(`${format(...a)}\n`)),
    vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void err.push(`${format(...a)}\n`)),
  ];
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const code = await run(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.chdir(cwd);
    for (const spy of spies) spy.mockRestore();
  }
}

/** Runs bin/llmops.js in a new process in `dir`, exactly as a user would: for the few tests of the process itself. */
export function spawnLlmops(dir: string, ...args: string[]): Run {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, FORCE_COLOR: "0" } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** A stack trace line, which a user error must never print. */
export const STACK_TRACE = /^\s+at .+:\d+:\d+\)?$/m;

export const committed = (stack: string) => fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");

const projects: string[] = [];

/** A temp project (see `tempProject`) that `removeProjects` deletes after the file's tests. */
export function project(stackFiles: Record<string, string>): string {
  const dir = tempProject(stackFiles);
  projects.push(dir);
  return dir;
}

/** An empty temporary folder that `removeProjects` deletes after the file's tests. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-test-out-"));
  projects.push(dir);
  return dir;
}

/** A temp project with copies of the committed dev and prod stack files. */
export function committedProject(): string {
  return project({ dev: committed("dev"), prod: committed("prod") });
}

const COPY_EXCLUDED = new Set(["node_modules", ".git", ".llmops", "test"]);

/**
 * A project whose sources are copies, not links to this checkout (as in any other clone), with
 * the committed stack files named in `stacks` and this checkout's node_modules linked in.
 */
export function copiedProject(...stacks: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-test-"));
  projects.push(dir);
  // Every top-level entry the program could import, so a new folder (as lib/ was) cannot make the
  // copy silently incomplete; only stack files are chosen.
  const entries = fs.readdirSync(ROOT).filter((e) => !COPY_EXCLUDED.has(e) && !/^Pulumi\..+\.yaml$/.test(e));
  for (const entry of [...entries, ...stacks.map((s) => `Pulumi.${s}.yaml`)]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

export function removeProjects(): void {
  for (const dir of projects.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export const stackFile = (dir: string, stack: string) => fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");

/** The lines an edit added and removed, compared line by line. */
export function changedLines(before: string, after: string): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, "").split("\n");
    if (part.added) added.push(...lines);
    if (part.removed) removed.push(...lines);
  }
  return { added, removed };
}

/** Renders a stack of a project folder (through the run's render service) and writes its plan to `file`. */
export async function renderTo(dir: string, stack: string, file: string): Promise<Plan> {
  const plan = await renderPlan({ dir, stack });
  fs.writeFileSync(file, planJson(plan));
  return plan;
}
