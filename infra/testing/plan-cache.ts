import * as fs from "node:fs";
import * as path from "node:path";
import type { Plan } from "../../lib/plan";
import { installedDependencies, programFiles, sha256 } from "../common/program-sources";

/**
 * Plans reused between commands and runs. `llmops plan`, then `policy`, `preflight`, `cost` and
 * `diff`, each rendered the same stacks again (seconds each); a render is a function of the
 * program's files, its installed dependencies, Node and the stack's configuration, so a plan
 * rendered from the same of each is reused, as build tools reuse outputs keyed by their inputs.
 *
 * The key: the project's files that a render can depend on (infra/common/program-sources.ts:
 * everything but node_modules/, .git/, .llmops/, test/, cli/, policies/, docs/, .github/ and the
 * other stacks' files), npm's record of the installed dependencies, Node, the stack and its
 * configuration. So a copy of the project renders from the same entries, and editing the prod
 * stack file or the price catalog leaves dev's plan reusable. A render is deterministic
 * (test/cli/plan.test.ts renders twice, without the cache, and compares the bytes), and
 * path-independent (test/cli/diff.test.ts, "clean tree").
 *
 * Entries live in <project>/node_modules/.cache/llmops/plans/ (where babel and eslint keep
 * theirs: `npm ci` starts it empty); the newest `KEEP` stay. Only plans are kept, never a
 * configuration problem or a crash, and a plan holds no secret (`[secret]`).
 */

/** Bump when the entry's format or the key's recipe changes. */
const FORMAT = 2;
const KEEP = 64;

export interface CacheRequest {
  readonly dir: string;
  readonly stack: string;
  readonly config?: Readonly<Record<string, string>>;
}

/** The folder of the project's cache entries. */
export function cacheDir(dir: string): string {
  return path.join(dir, "node_modules", ".cache", "llmops", "plans");
}

/** The render's key: undefined when the project cannot be read (the render reports why). */
export function cacheKey(request: CacheRequest): string | undefined {
  try {
    const identity = {
      format: FORMAT,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      dependencies: installedDependencies(request.dir),
      files: programFiles(request.dir, request.stack),
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
