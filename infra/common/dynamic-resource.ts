import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { readEntry, writeEntry } from "./file-cache";
import { installedDependencies, programFiles, sha256 } from "./program-sources";

/**
 * `pulumi.dynamic.Resource`, with its provider's serialised code kept between runs.
 *
 * The SDK serialises a dynamic provider's closure once per process (its `providerCache`): it loads
 * TypeScript to parse every function the provider reaches and walks each value through the
 * inspector. For this project's four providers that is about a quarter of a render's CPU, paid
 * again by every `llmops plan` and `pulumi preview` although the code only changes when a file
 * does. Here the text is kept under a key of everything it can depend on: the program's files
 * (program-sources.ts) without any stack file (they hold configuration: a provider is a
 * module-level object that captures none), the installed dependencies (npm's record of
 * node_modules, which fixes the SDK's serialiser), Node, the provider's type and its methods'
 * compiled text (which differs by the loader that compiled them). A miss
 * serialises exactly as the SDK does (`serializeFunction(() => provider, { allowSecrets: true })`,
 * the same arrow, spelled alike, over a variable of the same name, so the text is the same byte for byte:
 * test/models/provider-serialization.test.ts compares them), and keeps the text unless it
 * captured a secret.
 *
 * What the engine receives is what `pulumi.dynamic.Resource` sends: the type
 * `pulumi-nodejs:dynamic/<module>:<type>` and the code in the `__provider` input
 * (https://github.com/pulumi/pulumi/blob/v3.248.0/sdk/nodejs/dynamic/index.ts).
 */
export class DynamicResource extends pulumi.CustomResource {
  constructor(provider: pulumi.dynamic.ResourceProvider, name: string, props: pulumi.Inputs, opts: pulumi.CustomResourceOptions | undefined, module: string, type: string) {
    if (props[PROVIDER_KEY]) throw new Error("A dynamic resource must not define the __provider key");
    super(`pulumi-nodejs:dynamic/${module}:${type}`, name, { ...props, [PROVIDER_KEY]: providerCode(provider, `${module}:${type}`) }, opts);
  }
}

const PROVIDER_KEY = "__provider";
/** Bump when the key's recipe or the entry's format changes. */
const FORMAT = 3;
const PROJECT = path.resolve(__dirname, "../..");
const CACHE = path.join(PROJECT, "node_modules", ".cache", "llmops", "providers");
/** Entries kept (file-cache.ts): a few loaders × four providers × recent edits. */
const KEEP = 48;

let sources: string | undefined;
/** One hash of the program's files (program-sources.ts; no stack file: they hold configuration), once per process. */
function projectSources(): string {
  sources ??= sha256(JSON.stringify([programFiles(PROJECT), installedDependencies(PROJECT)]));
  return sources;
}

/**
 * `() => provider`, written as the SDK writes it: the serialised text holds this function's own
 * source, and the TypeScript loader would print an arrow in this file as `()=>provider`.
 */
const thunk = new Function("provider", "return () => provider;") as (provider: object) => () => object;

const inProcess = new WeakMap<object, pulumi.Output<string>>();

/** The provider's serialised code: kept in this process, else on disk, else serialised now and kept. */
export function providerCode(provider: pulumi.dynamic.ResourceProvider, type: string): pulumi.Output<string> {
  // Turned off as for the SDK's own cache (the language host sets it true unless told otherwise;
  // under the mocks it is unset, and the text is the same whether kept or not): serialise each time.
  if (process.env.PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS === "false") return serialise(provider);
  const known = inProcess.get(provider);
  if (known) return known;
  let key: string | undefined;
  let kept: string | undefined;
  try {
    // Compiled text tells the loaders apart: `pulumi up` (ts-node), `llmops plan` (bin/register.js)
    // and vitest each compile the same sources to different text. This module's own function, and
    // the provider's methods whether on the object or its prototypes.
    const compiled = sha256([String(providerCode), ...methodTexts(provider)].join("\0"));
    key = `${sha256(JSON.stringify({ format: FORMAT, node: process.version, type, compiled, sources: projectSources() }))}.js`;
    kept = readEntry(CACHE, key);
  } catch {
    kept = undefined; // the project cannot be read: serialise
  }
  const code = kept !== undefined ? pulumi.output(kept) : serialise(provider, (text) => key && writeEntry(CACHE, key, text, KEEP));
  inProcess.set(provider, code);
  return code;
}

/** As the SDK serialises a provider: code that captured a secret travels as one (and is not kept). */
function serialise(provider: pulumi.dynamic.ResourceProvider, keep?: (text: string) => void): pulumi.Output<string> {
  return pulumi.output(pulumi.runtime.serializeFunction(thunk(provider), { allowSecrets: true })).apply((sf): pulumi.Output<string> => {
    if (sf.containsSecrets) return pulumi.secret(sf.text);
    keep?.(sf.text);
    return pulumi.output(sf.text);
  });
}

/** Every function on the provider and its prototypes, by name, as compiled. */
function methodTexts(provider: object): string[] {
  const out: string[] = [];
  for (let o: object | null = provider; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o).sort()) {
      const value = Object.getOwnPropertyDescriptor(o, name)?.value as unknown;
      if (typeof value === "function") out.push(`${name}:${String(value)}`);
    }
  }
  return out;
}
