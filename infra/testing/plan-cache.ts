import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "../../lib/plan";

/**
 * Plans reused between commands and runs. `llmops plan`, then `policy`, `preflight`, `cost` and
 * `diff`, each rendered the same stacks again (seconds each); a render is a function of the
 * program's files, its installed dependencies, Node and the stack's configuration, so a plan
 * rendered from the same of each is reused, as build tools reuse outputs keyed by their inputs.
 *
 * The key hashes every file of the project folder except:
 * - node_modules/ and .git/ (anywhere), .llmops/ (this cache's and the plans' own folder);
 *   dependencies enter through npm's record of the installed tree, node_modules/.package-lock.json;
 * - test/ (the program never imports it: eslint.config.mjs forbids it);
 * - the other stacks' files (`Pulumi.<other>.yaml`): a stack's program reads its own only.
 * Anything else in the folder counts, whether the program reads it or not (plans written with
 * `--out` outside .llmops/ too): a needless render at worst, never a stale plan. So a copy of the
 * project renders from the same entries, and editing the prod stack file leaves dev's plan reusable. A render is deterministic (test/cli/plan.test.ts renders twice, without
 * the cache, and compares the bytes), and path-independent (test/cli/diff.test.ts, "clean tree").
 *
 * Entries live in <project>/node_modules/.cache/llmops/plans/ (where babel and eslint keep
 * theirs: `npm ci` starts it empty); the newest `KEEP` stay. Only plans are kept, never a
 * configuration problem or a crash, and a plan holds no secret (`[secret]`).
 */

/** Bump when the entry's format or the key's recipe changes. */
const FORMAT = 1;
const KEEP = 64;
const SKIPPED_ANYWHERE = new Set(["node_modules", ".git"]);
const SKIPPED_AT_TOP = new Set([".llmops", "test"]);
const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

export interface CacheRequest {
  readonly dir: string;
  readonly stack: string;
  readonly config?: Readonly<Record<string, string>>;
}

/** The folder of the project's cache entries. */
export function cacheDir(dir: string): string {
  return path.join(dir, "node_modules", ".cache", "llmops", "plans");
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Every file the key covers, relative to `dir`, with its content's hash. Links are followed (a
 * test project links the program's folders into a temporary one), each folder read once.
 */
function projectFiles(dir: string, stack: string): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const walk = (rel: string) => {
    const real = fs.realpathSync(path.join(dir, rel));
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of fs.readdirSync(real, { withFileTypes: true })) {
      const name = entry.name;
      if (SKIPPED_ANYWHERE.has(name) || (rel === "" && SKIPPED_AT_TOP.has(name))) continue;
      if (rel === "" && STACK_FILE.exec(name)?.[1] !== undefined && STACK_FILE.exec(name)![1] !== stack) continue;
      const file = rel === "" ? name : `${rel}/${name}`;
      const full = path.join(real, name);
      const stat = entry.isSymbolicLink() ? fs.statSync(full) : entry;
      if (stat.isDirectory()) walk(file);
      else if (stat.isFile()) out.push([file, sha256(fs.readFileSync(full))]);
    }
  };
  walk("");
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** npm's record of what is installed (written by every npm install and ci), else the lockfile. */
function installedDependencies(dir: string): string {
  for (const file of [path.join(dir, "node_modules", ".package-lock.json"), path.join(dir, "package-lock.json")]) {
    try {
      return sha256(fs.readFileSync(file));
    } catch {
      // try the next
    }
  }
  return "none";
}

/** The render's key: undefined when the project cannot be read (the render reports why). */
export function cacheKey(request: CacheRequest): string | undefined {
  try {
    const identity = {
      format: FORMAT,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      dependencies: installedDependencies(request.dir),
      files: projectFiles(request.dir, request.stack),
      stack: request.stack,
      config: request.config ?? null,
    };
    return sha256(JSON.stringify(identity));
  } catch {
    return undefined;
  }
}

/** The plan rendered under `key`, if one is kept and readable. */
export function cachedPlan(dir: string, key: string): Plan | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(path.join(cacheDir(dir), `${key}.json`), "utf8")) as { format?: number; plan?: Plan };
    return entry.format === FORMAT && entry.plan && Array.isArray(entry.plan.resources) ? entry.plan : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps `plan` under `key`: written to a temporary file and renamed, so a reader never sees half
 * an entry; then only the newest `KEEP` entries stay. A cache that cannot be written is no error.
 */
export function keepPlan(dir: string, key: string, plan: Plan): void {
  const folder = cacheDir(dir);
  try {
    fs.mkdirSync(folder, { recursive: true });
    const tmp = path.join(folder, `.${key}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, plan }));
    fs.renameSync(tmp, path.join(folder, `${key}.json`));
    const entries = fs
      .readdirSync(folder)
      .filter((f) => f.endsWith(".json"))
      .map((f) => ({ f, t: fs.statSync(path.join(folder, f)).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of entries.slice(KEEP)) fs.rmSync(path.join(folder, f), { force: true });
  } catch {
    // A read-only or full disk renders every time, as without the cache.
  }
}
