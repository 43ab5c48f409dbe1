import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileIdentity, racy } from "./file-identity";

/**
 * What a render can depend on besides its configuration, for the caches keyed by it (the plan
 * cache, infra/testing/plan-cache.ts; serialised provider code, dynamic-resource.ts): every file
 * of the project folder except
 * - node_modules/ and .git/ anywhere; dependencies count through `installedDependencies`;
 * - what the program never reads: .llmops/ (plans and caches), test/, cli/ and policies/ (the
 *   command line and the policy pack, which read plans: eslint.config.mjs keeps infra/, lib/ and
 *   pipelines/ from importing any of the three), docs/ and .github/;
 * - stack files, but for the one named by `stack`;
 * - Python's bytecode caches (`__pycache__/`, `*.pyc`), which running a step's tests writes
 *   beside its sources (a run of the tests changed every key halfway); image build contexts skip
 *   them too (infra/pipelines/images.ts).
 * Anything else counts whether the program reads it or not: a needless render at worst, never a
 * stale one. Links are followed (test projects link the program's folders), each folder read once.
 */
const SKIPPED_ANYWHERE = new Set(["node_modules", ".git", "__pycache__"]);
const SKIPPED_AT_TOP = new Set([".llmops", "test", "cli", "policies", "docs", ".github"]);
const STACK_FILE = /^Pulumi\.(.+)\.ya?ml$/;

export const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");

/** The files that count, relative to `dir` and sorted, each with its content's hash. Throws on an unreadable folder. */
export function programFiles(dir: string, stack?: string): [string, string][] {
  const out: [string, string][] = [];
  const seen = new Set<string>();
  const walk = (rel: string) => {
    const real = fs.realpathSync.native(path.join(dir, rel));
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of fs.readdirSync(real, { withFileTypes: true })) {
      const name = entry.name;
      if (SKIPPED_ANYWHERE.has(name)) continue;
      if (rel === "" && (SKIPPED_AT_TOP.has(name) || (STACK_FILE.exec(name)?.[1] ?? stack) !== stack)) continue;
      const file = rel === "" ? name : `${rel}/${name}`;
      const full = path.join(real, name);
      const stat = entry.isSymbolicLink() ? fs.statSync(full) : entry;
      if (stat.isDirectory()) walk(file);
      else if (stat.isFile() && !name.endsWith(".pyc")) out.push([file, contentHash(full)]);
    }
  };
  walk("");
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A file's hash, read again only when its identity changed. A process that asks for the same
 * project's key often (the test run's render service, a command rendering several stacks) read and
 * hashed every file each time (~20 ms). Keyed as git's index keys a file (device, inode, size,
 * change and modification times in ns). A file changed within the clock's granularity of the
 * moment it was hashed could keep its times and size: git's "racy" entries, and as git does, such
 * a hash is not kept (https://git-scm.com/docs/racy-git).
 */
const hashes = new Map<string, { identity: string; hash: string }>();

function contentHash(file: string): string {
  const identity = fileIdentity(file);
  if (!identity) throw new Error(`${file}: no such file`);
  const kept = hashes.get(file);
  if (kept?.identity === identity.id) return kept.hash;
  const readMs = Date.now();
  const hash = sha256(fs.readFileSync(file));
  if (racy(identity.changedNs, readMs)) hashes.delete(file);
  else hashes.set(file, { identity: identity.id, hash });
  return hash;
}

/** npm's record of what is installed (written by every npm install and ci), else the lockfile's hash. */
export function installedDependencies(dir: string): string {
  for (const file of [path.join(dir, "node_modules", ".package-lock.json"), path.join(dir, "package-lock.json")]) {
    try {
      return sha256(fs.readFileSync(file));
    } catch {
      // try the next
    }
  }
  return "none";
}
