"use strict";
/**
 * Loads the project's TypeScript: `node --require ./bin/register.js file.ts`, or require() this
 * file first. Each .ts file is transpiled by esbuild once per content and kept under
 * .llmops/cache/ts/, so a run only reads JavaScript: no build step, nothing to keep in sync.
 *
 * It replaces tsx, which resolved every require() through its own resolver, lost its cache
 * whenever a process exited right after loading (`llmops --help` transpiled everything, every
 * time) and turned on Node's source maps, which made each of the Pulumi SDK's many
 * `new Error().stack` calls map every frame. Run with NODE_OPTIONS=--enable-source-maps for
 * TypeScript positions in stack traces: the cached code carries its source map.
 *
 * The esbuild options are tsx's, byte for byte: Pulumi serialises a dynamic provider's functions
 * from their compiled text (Function.prototype.toString), and a plan holds a digest of it, so any
 * other output would change every plan.
 */
// V8's compiled code of the large modules, kept between processes (see compile-cache.js).
require("./compile-cache");
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const CACHE = path.join(__dirname, "..", ".llmops", "cache", "ts");
const ESBUILD_VERSION = require("esbuild/package.json").version;
// tsx's options (tsx/dist/register-*.cjs: `tr` and `sr`), so esbuild gives the same output, and
// import() as require(), as tsc emits it for `module: commonjs`: this loader hooks require only.
const BASE = { target: `node${process.versions.node}`, loader: "default", sourcemap: true, sourcesContent: false, minifyWhitespace: true, keepNames: true, format: "cjs", platform: "node", supported: { "dynamic-import": false } };
const OPTIONS_KEY = JSON.stringify([ESBUILD_VERSION, BASE]);
const MAX_AGE_MS = 30 * 24 * 3600 * 1000;

let esbuild;
let cacheReady = false;
let pruned = false;

/** tsconfig.json is JSON with comments and trailing commas. */
function parseJsonc(text) {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = /"(?:[^"\\]|\\.)*"/y;
      end.lastIndex = i;
      const m = end.exec(text);
      out += m[0];
      i += m[0].length - 1;
    } else if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) {
      const end = text[i + 1] === "/" ? text.indexOf("\n", i) : text.indexOf("*/", i + 2) + 1;
      i = end <= 0 ? text.length : end - (text[i + 1] === "/" ? 1 : 0);
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1"));
}

// The tsconfig.json fields esbuild reads (https://esbuild.github.io/api/#tsconfig-raw).
const ESBUILD_FIELDS = ["alwaysStrict", "strict", "target", "useDefineForClassFields", "verbatimModuleSyntax", "importsNotUsedAsValues", "preserveValueImports", "experimentalDecorators", "jsx", "jsxFactory", "jsxFragmentFactory", "jsxImportSource"];

/**
 * The compiler options of the tsconfig.json nearest above the file, as `pulumi up` would use for
 * the project that holds it: those esbuild reads (strictness, class fields).
 */
const tsconfigs = new Map();
function tsconfigFor(dir) {
  if (tsconfigs.has(dir)) return tsconfigs.get(dir);
  let found;
  const file = path.join(dir, "tsconfig.json");
  if (path.basename(dir) === "node_modules") found = undefined;
  else if (fs.existsSync(file)) {
    const options = parseJsonc(fs.readFileSync(file, "utf8")).compilerOptions ?? {};
    found = { compilerOptions: Object.fromEntries(ESBUILD_FIELDS.filter((k) => k in options).map((k) => [k, options[k]])) };
  } else found = path.dirname(dir) === dir ? undefined : tsconfigFor(path.dirname(dir));
  tsconfigs.set(dir, found);
  return found;
}

function transform(source, options) {
  esbuild ??= require("esbuild");
  const { code, map } = esbuild.transformSync(source, options);
  return `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}`;
}

function store(file, code) {
  try {
    if (!cacheReady) fs.mkdirSync(CACHE, { recursive: true });
    cacheReady = true;
    // Another process may be writing the same entry: rename is atomic, so readers see all or nothing.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // A read-only checkout still runs, transpiling each time.
  }
  if (!pruned) {
    pruned = true;
    setImmediate(prune).unref();
  }
}

/** A miss means sources changed: drop entries no source has produced for a month. */
function prune() {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(CACHE)) {
      const file = path.join(CACHE, name);
      if (now - fs.statSync(file).mtimeMs > MAX_AGE_MS) fs.rmSync(file, { force: true });
    }
  } catch {
    // Pruning is housekeeping; another process may be doing it.
  }
}

/**
 * The first line of every module: tsx's banner, which names the file. Entries are kept with
 * `FOLDER` in its place and the file's folder put in when loaded, so that a copy of the project
 * (a git revision `llmops diff` extracts to a temporary folder, a clone) reuses what its checkout
 * transpiled. The rest of the output depends on the file's path only through esbuild's names for
 * a module's exports (`<file>_exports`; an index file's are named after its folder) and the source
 * map: both get `../<folder>/<file>`, which names them as the full path does, and which the map's
 * reader resolves against the module's own path to the full path.
 */
const FOLDER = "\u0000folder\u0000";
const banner = (folder, name) => `__filename=${JSON.stringify(path.join(folder, name))};(()=>{`;

function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const tsconfigRaw = tsconfigFor(path.dirname(filename));
  const name = path.basename(filename);
  const sourcefile = `../${path.basename(path.dirname(filename))}/${name}`;
  const kept = banner(FOLDER, name);
  const options = { ...BASE, sourcefile, banner: kept, footer: "})()", tsconfigRaw };
  const key = crypto.createHash("sha256").update(OPTIONS_KEY).update("\0").update(JSON.stringify(tsconfigRaw ?? null)).update("\0").update(sourcefile).update("\0").update(source).digest("hex");
  const file = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(file, "utf8");
  } catch {
    code = transpile(source, options, filename);
    store(file, code);
  }
  // An entry written by an older loader (or damaged) does not start with the banner: transpile afresh.
  if (!code.startsWith(kept)) store(file, (code = transpile(source, options, filename)));
  module._compile(banner(path.dirname(filename), name) + code.slice(kept.length), filename);
}

/** `transform`, and a syntax error names the file by its full path (the project has many index.ts). */
function transpile(source, options, filename) {
  try {
    return transform(source, options);
  } catch {
    return transform(source, { ...options, sourcefile: filename });
  }
}

if (!Module._extensions[".ts"]) Module._extensions[".ts"] = compileTypeScript;
