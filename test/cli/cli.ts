import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffLines } from "diff";
import { renderInWorker } from "../../infra/testing/fork";
import { type Plan, planJson } from "../../lib/plan";
import { ROOT, tempProject } from "../helpers/project";

const CLI = path.join(ROOT, "bin/llmops.js");

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in `dir`, as a user would. */
export function llmops(dir: string, ...args: string[]): Run {
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

/** A temp project with copies of the committed dev and prod stack files. */
export function committedProject(): string {
  return project({ dev: committed("dev"), prod: committed("prod") });
}

/**
 * A project whose sources are copies, not links to this checkout (as in any other clone), with
 * the committed stack files named in `stacks` and this checkout's node_modules linked in.
 */
export function copiedProject(...stacks: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-test-"));
  projects.push(dir);
  // Every source folder, not a list of them: the program imports lib/ (and may import any other),
  // and a missing one fails the render of the committed revision, not of the working tree.
  const skip = new Set(["node_modules", ".git", ".llmops", "coverage", "dist"]);
  for (const entry of fs.readdirSync(ROOT, { withFileTypes: true })) {
    if (skip.has(entry.name) || (entry.isFile() && /^(Pulumi\..+\.ya?ml|ISSUE-.*\.md)$/.test(entry.name) && entry.name !== "Pulumi.yaml")) continue;
    fs.cpSync(path.join(ROOT, entry.name), path.join(dir, entry.name), { recursive: true });
  }
  for (const s of stacks) fs.cpSync(path.join(ROOT, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
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

/** Renders a stack of a project folder and writes its plan to `file`. */
export async function renderTo(dir: string, stack: string, file: string): Promise<Plan> {
  const reply = await renderInWorker({ dir, stack });
  if (!reply.ok) throw new Error(`stack ${stack} did not render: ${JSON.stringify(reply)}`);
  fs.writeFileSync(file, planJson(reply.plan));
  return reply.plan;
}
