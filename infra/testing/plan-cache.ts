import * as path from "node:path";
import type { Plan } from "../../lib/plan";
import { readEntry, writeEntry } from "../common/file-cache";
import { installedDependencies, programFiles, sha256 } from "../common/program-sources";
import { RENDERER_ENVIRONMENT } from "./render-request";

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
 * stack file or the price catalog leaves dev's plan reusable. Also in the key: the environment
 * variables the providers read (`renderEnvironment`) and the renderer (`rendererIdentity`). A
 * render is deterministic (test/cli/plan.test.ts renders with --no-cache and compares the bytes
 * with the test run's own plan of the same stacks, rendered in another process), and
 * path-independent (test/cli/diff.test.ts: a git revision rendered from a temporary folder differs
 * from the working tree in its edit only).
 *
 * Entries live in <project>/node_modules/.cache/llmops/plans/ (where babel and eslint keep
 * theirs: `npm ci` starts it empty); the `KEEP` used last stay. Only plans are kept, never a
 * configuration problem or a crash, and a plan holds no secret (`[secret]`).
 */

/** Bump when the entry's format or the key's recipe changes. */
export const PLAN_CACHE_FORMAT = 3;
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

/**
 * Environment variables a render can read: the providers fill inputs the program leaves out from
 * them (`gcp.Provider`'s zone from GOOGLE_ZONE, `k8s.Provider`'s options from PULUMI_K8S_*), and
 * Pulumi's own settings. Hashed into the key, never stored.
 */
const RENDER_ENVIRONMENT = /^(GOOGLE_|GCLOUD_|CLOUDSDK_|PULUMI_|KUBE)/;

/** The environment a render worker gets (fork.ts), as the key sees it. */
function renderEnvironment(env: NodeJS.ProcessEnv): string {
  const names = Object.keys(env)
    .filter((name) => RENDER_ENVIRONMENT.test(name) && env[name] !== undefined && !RENDERER_ENVIRONMENT.includes(name))
    .sort();
  return sha256(JSON.stringify(names.map((name) => [name, env[name]])));
}

/**
 * The render's key: undefined when the project cannot be read (the render reports why).
 * `renderer`: the identity of the worker and loader that render (`rendererIdentity` in fork.ts):
 * a git revision's tree is rendered by its own worker, but with this checkout's loader.
 */
export function cacheKey(request: CacheRequest, renderer = "", env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    const identity = {
      format: PLAN_CACHE_FORMAT,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      dependencies: installedDependencies(request.dir),
      files: programFiles(request.dir, request.stack),
      renderer,
      environment: renderEnvironment(env),
      stack: request.stack,
      config: request.config ?? null,
    };
    return sha256(JSON.stringify(identity));
  } catch {
    return undefined;
  }
}

/** The plan rendered under `key`, if one is kept intact. */
export function cachedPlan(dir: string, key: string): Plan | undefined {
  const body = readEntry(cacheDir(dir), `${key}.json`);
  if (body === undefined) return undefined;
  try {
    const entry = JSON.parse(body) as { format?: number; plan?: Plan };
    return entry.format === PLAN_CACHE_FORMAT && entry.plan && Array.isArray(entry.plan.resources) ? entry.plan : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `plan` under `key` (file-cache.ts: atomic, checked on read, the newest `KEEP` used kept). */
export function keepPlan(dir: string, key: string, plan: Plan): void {
  writeEntry(cacheDir(dir), `${key}.json`, JSON.stringify({ format: PLAN_CACHE_FORMAT, plan }), KEEP);
}
