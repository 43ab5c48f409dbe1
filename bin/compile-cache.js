"use strict";
/**
 * Keeps V8's compiled code of the large CommonJS modules a process loads (32 KB or more), so the
 * next process that loads the same file deserialises it instead of parsing and compiling it
 * again. Loaded by bin/register.js, so it reaches every process of the CLI and its render workers.
 *
 * Compiling was the largest share of a render's time (`npm run bench -- --profile`): the Pulumi
 * SDK alone loads TypeScript, gRPC and npm's arborist, the program @pulumi/gcp, zod and its own
 * ~250 modules, and V8 compiles each of them in every process. Node ≥ 22.1 has this built in
 * (`module.enableCompileCache`, https://nodejs.org/api/module.html#module-compile-cache), and
 * there it is used instead; Node 20 has no such switch, so on Node 20 the CommonJS loader's
 * `Module.prototype._compile` is replaced by one that compiles through `vm.Script` with
 * `cachedData`, as Node's loader itself did before it used `compileFunction`, and as
 * v8-compile-cache does (one blob per folder, which the command's process and its workers
 * overwrote in turn: no gain when tried).
 *
 * Within a process, the project's own modules (any size) are also kept compiled: a render lane
 * loads the program's entry again for each stack, and every project module again after a project
 * file changed (infra/testing/worker.ts).
 *
 * An entry is keyed by the file's name and its text (see keyOf), so an edited file never gets the
 * code of its old text (V8's own check compares the source's length only), and written when the
 * process exits: V8's cache then holds the functions that ran, not only the top level. V8 checks
 * each entry against its version and flags and rejects one it cannot use; the module is then
 * compiled as usual and the entry written again. What runs is the same code either way.
 *
 * Off with NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch); NODE_COMPILE_CACHE=dir keeps the
 * entries there (Node's own variable) instead of node_modules/.cache/llmops/v8. Off as well when
 * source maps are on (Node maps stack traces only of modules its own loader compiled), and under
 * a policy manifest or a debugger told to stop on the first line, which only Node's own loader
 * honours; and for ES modules and modules with a dynamic import() (below). Two differences stay,
 * as under Node's loader before it compiled with `compileFunction`: a file that closes the wrapper
 * early (`}); …`) runs instead of failing to compile, and a syntax error shows its line inside the
 * wrapper (`(function (exports, require, …`).
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");

const DIR = process.env.NODE_COMPILE_CACHE || path.join(__dirname, "..", "node_modules", ".cache", "llmops", "v8");
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;
/**
 * Smaller modules get no entry (the project's are still kept compiled in the process): in
 * node_modules they compile as Node compiles them. Reading an entry of its own costs about what compiling a small
 * module does, and writing ~1500 of them cost a process without entries a second more (llmops
 * plan --stack prod: 4.3 s -> 5.3 s CPU); the ~50 modules of 32 KB or more (zod's core, the SDK's
 * and gRPC's largest, protobuf) hold most of the compiling, and writing them costs almost nothing.
 */
const MIN_LENGTH = 32 * 1024;
/**
 * V8 rejects code compiled by another version or under other flags; a process with other flags
 * gets entries of its own instead of rewriting another's at every exit. Preloads are not V8's flags.
 */
const ARGS = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
const FLAGS = ARGS.filter((a, i) => a && !/^(-r|--require)(=|$)/.test(a) && !/^(-r|--require)$/.test(ARGS[i - 1] ?? "")).join(" ");
const VERSION = `${process.versions.v8}-${process.arch}-${FLAGS}`;

const hash = typeof crypto.hash === "function" ? (text) => crypto.hash("sha1", text) : (text) => crypto.createHash("sha1").update(text).digest("hex");

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const DYNAMIC_IMPORT = /\bimport\s*\(/;

/**
 * What an entry is kept under. The project's files by their full text: they change all the time,
 * and a transpiled file's text depends on more than its source file. Installed dependencies by
 * the file's identity, as git's index trusts it (inode, size, modification and change times; a
 * change time cannot be set back): hashing their text cost more than compiling saved (a tenth of
 * a second a render: TypeScript's compiler alone is 9 MB).
 */
function keyOf(filename, content) {
  if (!filename.includes(NODE_MODULES)) return `${VERSION}\0${filename}\0${content}`;
  // Code compiled under a node_modules name no file has (generated): not kept.
  const s = fs.statSync(filename, { bigint: true, throwIfNoEntry: false });
  if (!s) return undefined;
  return `${VERSION}\0${filename}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}\0${content.length}`;
}

/** Node's `require` for a module (lib/internal/modules/helpers.js, makeRequireFunction), minus the policy checks. */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function usable() {
  const args = process.execArgv.join(" ");
  return !process.env.NODE_DISABLE_COMPILE_CACHE && !/--inspect-brk|--(experimental-)?policy/.test(args);
}

function install() {
  if (typeof Module.enableCompileCache === "function") {
    Module.enableCompileCache(DIR);
    return;
  }
  if (!usable()) return;
  const compile = Module.prototype._compile;
  /** Compiled here with no entry, or with one V8 rejected: written at exit. */
  const fresh = [];

  /**
   * The project's modules compiled in this process, by file, with the text they were compiled
   * from. A render lane loads the entry again for each stack, and the whole project again after a
   * file changed (infra/testing/worker.ts); running a kept Script again makes new functions from the code already compiled, the functions
   * compiled lazily while the last render ran included, where compiling anew did all of that again.
   */
  const compiled = new Map();

  Module.prototype._compile = function (content, filename, format) {
    // Left to Node's loader: an ES module (Node 20.19+ requires them, `format` "module"); a
    // dynamic import(), which a vm.Script compiled here cannot make on Node 20 without vm's
    // experimental default loader (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and CommonJS rarely has.
    if (process.sourceMapsEnabled || format === "module" || DYNAMIC_IMPORT.test(content)) return compile.apply(this, arguments);
    const project = !filename.includes(NODE_MODULES);
    const kept = project ? compiled.get(filename) : undefined;
    let script = kept?.content === content ? kept.script : undefined;
    if (!script) {
      const key = content.length < MIN_LENGTH ? undefined : keyOf(filename, content);
      // Without an entry and not the project's (small, or generated): Node's loader, as before.
      if (key === undefined && !project) return compile.apply(this, arguments);
      const entry = key === undefined ? undefined : path.join(DIR, `${hash(key)}.bin`);
      let cachedData;
      try {
        cachedData = entry && fs.readFileSync(entry);
      } catch {
        cachedData = undefined;
      }
      // A hashbang is only valid at the very start of a script; wrapped, it would be inside a function.
      const body = content.startsWith("#!") ? `//${content}` : content;
      // The wrapper shares the first line with the module's code: columns there are the module's own.
      script = new vm.Script(Module.wrap(body), { filename, cachedData, columnOffset: -Module.wrapper[0].length });
      if (entry && (cachedData === undefined || script.cachedDataRejected)) fresh.push({ script, entry });
      if (project) compiled.set(filename, { content, script });
    }
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };

  process.once("exit", () => {
    if (fresh.length === 0) return;
    try {
      fs.mkdirSync(DIR, { recursive: true });
    } catch {
      // A read-only checkout still runs, compiling each time.
      return;
    }
    for (const { script, entry } of fresh) {
      // Another process may be writing the same entry: rename is atomic, so readers see all or nothing.
      const tmp = `${entry}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, entry);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    }
    prune();
  });
}

/** New entries mean changed files: drop entries nothing has written for a month. */
function prune() {
  const now = Date.now();
  let names;
  try {
    names = fs.readdirSync(DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(DIR, name);
    try {
      if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
    } catch {
      // Another process may be pruning too.
    }
  }
}

install();
