import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatProblems } from "../../infra/settings";
import { renderStacks } from "../../infra/testing/fork";
import type { Plan } from "../../lib/plan";
import { listStacks } from "../../infra/testing/stack-files";
import { UserError } from "../project";
import type { SideInfo } from "./types";

/** One side of a diff: the plans of its stacks, rendered or read from files. */
export interface Side {
  readonly info: SideInfo;
  /** The stacks this side has (a stack file, or a plan file). */
  readonly stacks: readonly string[];
  /** Renders (or reads) the plans of `stacks`, those this side has; absent ones are left out. */
  plans(stacks: readonly string[]): Promise<Map<string, Plan>>;
  /** Removes what the side materialised (a git revision's tree). */
  dispose(): void;
}

export const WORKING_TREE = "working tree";

function isPlan(value: unknown): value is Plan {
  const p = value as Partial<Plan> | null;
  return typeof p === "object" && p !== null && typeof p.stack === "string" && Array.isArray(p.resources) && typeof p.outputs === "object";
}

function readPlan(file: string): Plan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UserError(`${file}: not a plan file (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isPlan(parsed)) throw new UserError(`${file}: not a plan file; expected the JSON that \`llmops plan\` writes (project, stack, resources, outputs)`);
  return parsed;
}

function fromPlans(spec: string, plans: readonly Plan[]): Side {
  const byStack = new Map(plans.map((p) => [p.stack, p]));
  if (byStack.size !== plans.length) throw new UserError(`${spec}: two plan files are of the same stack`);
  return {
    info: { spec, label: spec },
    stacks: [...byStack.keys()].sort(),
    plans: async (stacks) => new Map(stacks.filter((s) => byStack.has(s)).map((s) => [s, byStack.get(s)!])),
    dispose: () => undefined,
  };
}

/** Renders stacks of a project folder; configuration mistakes become one `UserError` naming the side. */
async function renderSide(label: string, dir: string, stacks: readonly string[], cache: boolean, worker?: string): Promise<Map<string, Plan>> {
  const replies = await renderStacks(dir, stacks, { parallel: os.availableParallelism(), worker, cache });
  const plans = new Map<string, Plan>();
  const failures: string[] = [];
  replies.forEach((reply, i) => {
    if (reply.ok) plans.set(stacks[i], reply.plan);
    else if ("problems" in reply) failures.push(`${label}: stack ${stacks[i]}: ${formatProblems(reply.problems)}`);
    else throw new Error(`${label}: rendering stack ${stacks[i]} failed inside the program (a bug, not a configuration mistake):\n${reply.crash}`);
  });
  if (failures.length) throw new UserError(failures.join("\n"));
  return plans;
}

function workingTree(dir: string, cache: boolean): Side {
  const stacks = listStacks(dir);
  let commit: string | undefined;
  try {
    commit = git(dir, "rev-parse", "--verify", "--quiet", "HEAD^{commit}");
  } catch {
    commit = undefined; // not a git checkout, or no commit yet
  }
  return { info: { spec: WORKING_TREE, label: WORKING_TREE, ...(commit && { commit }) }, stacks, plans: (wanted) => renderSide(WORKING_TREE, dir, wanted.filter((s) => stacks.includes(s)), cache), dispose: () => undefined };
}

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** `git archive REV | tar -x`: the revision's tree, without touching the repository's state. */
async function extract(repo: string, commit: string, into: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const archive = spawn("git", ["archive", "--format=tar", commit], { cwd: repo, stdio: ["ignore", "pipe", "inherit"] });
    const tar = spawn("tar", ["-x", "-C", into], { stdio: ["pipe", "inherit", "inherit"] });
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${what} exited with code ${code} while extracting ${commit}`));
      else if (--pending === 0) resolve();
    };
    archive.once("error", reject).once("exit", done("git archive"));
    tar.once("error", reject).once("exit", done("tar"));
  });
}

/**
 * A git revision: its tree is extracted into a temporary folder, linked to this checkout's
 * node_modules, and rendered with the revision's own renderer (so that a revision's stack files
 * are validated by the schema they were written for).
 */
function gitRevision(dir: string, rev: string, cache: boolean): Side {
  let commit: string;
  let top: string;
  try {
    top = git(dir, "rev-parse", "--show-toplevel");
    commit = git(dir, "rev-parse", "--verify", "--quiet", `${rev}^{commit}`);
  } catch {
    throw new UserError(`"${rev}" is neither a git revision of ${dir}, nor a plan file (.json), nor a folder of plan files`);
  }
  const short = commit.slice(0, 7);
  const label = rev === commit || rev.startsWith(short) ? short : `${rev} (${short})`;
  const prefix = path.relative(fs.realpathSync(top), fs.realpathSync(dir)).split(path.sep).join("/");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "llmops-diff-"));
  const projectDir = path.join(tmp, prefix);
  let extracted: Promise<void> | undefined;
  const materialise = () =>
    (extracted ??= extract(top, commit, tmp).then(() => {
      const modules = path.join(projectDir, "node_modules");
      if (!fs.existsSync(modules)) fs.symlinkSync(path.join(dir, "node_modules"), modules, "dir");
    }));
  let stacks: string[] | undefined;
  return {
    info: { spec: rev, label, commit },
    get stacks() {
      stacks ??= git(top, "ls-tree", "--name-only", `${commit}:${prefix}`)
        .split("\n")
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
      return stacks;
    },
    async plans(wanted) {
      const present = wanted.filter((s) => this.stacks.includes(s));
      if (present.length === 0) return new Map();
      await materialise();
      const own = path.join(projectDir, "infra/testing/worker.ts");
      return renderSide(label, projectDir, present, cache, fs.existsSync(own) ? own : undefined);
    },
    dispose: () => fs.rmSync(tmp, { recursive: true, force: true }),
  };
}

/**
 * A side from the command line: a plan file (`.json`), a folder of plan files (what `llmops plan`
 * writes), a git revision, or, when omitted, the working tree. With `cache`, a stack rendered
 * before from the same files and configuration is not rendered again (infra/testing/plan-cache.ts):
 * a revision's tree is keyed by its content like the working tree's.
 */
export function resolveSide(dir: string, spec: string | undefined, cache = true): Side {
  if (spec === undefined) return workingTree(dir, cache);
  const file = path.resolve(spec);
  if (spec.endsWith(".json") && fs.existsSync(file)) return fromPlans(spec, [readPlan(file)]);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory() && !fs.existsSync(path.join(file, "Pulumi.yaml"))) {
    const files = fs.readdirSync(file).filter((f) => f.endsWith(".json")).sort();
    if (files.length === 0) throw new UserError(`${spec}: a folder without plan files (*.json); run \`llmops plan --out ${spec}\` first`);
    return fromPlans(spec, files.map((f) => readPlan(path.join(file, f))));
  }
  if (spec.endsWith(".json")) throw new UserError(`${spec}: no such plan file`);
  return gitRevision(dir, spec, cache);
}
