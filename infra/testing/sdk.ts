import Module from "node:module";

/**
 * The Pulumi SDK as the renderer loads it (render.ts, component.ts): TypeScript deferred until the
 * SDK uses it, and no frames taken for its promise traces. `pulumi up` runs the SDK as it is.
 */
export function loadSdk(): typeof import("@pulumi/pulumi") {
  deferSdkTypeScript();
  const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
  quietPromiseStackTraces();
  return pulumi;
}

/**
 * Loads TypeScript's compiler for the Pulumi SDK only when the SDK first uses it.
 *
 * The SDK's runtime index requires its closure serialiser, which requires TypeScript (through
 * `@pulumi/pulumi/typescript-shim`) at once: 9 MB of JavaScript, about 0.4 s of every render's
 * CPU, the largest single module a render loaded. The serialiser parses a dynamic provider's
 * functions, and a render serialises none while the provider code kept by
 * infra/common/dynamic-resource.ts is current. So the shim's place in the module cache is taken
 * by a stand-in that loads the real shim (and with it TypeScript, or the SDK's vendored copy) on
 * first use and forwards every read and write to it: a render that serialises uses the same
 * module it would have had (through another object: the SDK only reads from it).
 *
 * Renderer only (render workers, the component worker): `pulumi up` runs the program with the
 * SDK as it is. Does nothing if the SDK is loaded already, or has no such shim.
 */
export function deferSdkTypeScript(): void {
  let shim: string;
  try {
    shim = require.resolve("@pulumi/pulumi/typescript-shim");
  } catch {
    return;
  }
  if (require.cache[shim]) return;
  let real: Record<PropertyKey, unknown> | undefined;
  const load = (): Record<PropertyKey, unknown> => {
    if (!real) {
      delete require.cache[shim];
      real = require(shim) as Record<PropertyKey, unknown>;
    }
    return real;
  };
  const standIn = new Module(shim);
  standIn.filename = shim;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      get: (_, key) => load()[key],
      has: (_, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may only report a property of its (empty) target as configurable.
        return descriptor && { ...descriptor, configurable: true };
      },
      // Writes go to the real module too; a non-configurable definition would break the proxy's
      // invariants (its target stays empty), so it is made configurable on the way.
      set: (_, key, value) => Reflect.set(load(), key, value),
      deleteProperty: (_, key) => Reflect.deleteProperty(load(), key),
      defineProperty: (_, key, descriptor) => Reflect.defineProperty(load(), key, { ...descriptor, configurable: true }),
    },
  );
  require.cache[shim] = standIn;
}

const WRAPPED = Symbol.for("llmops.quietPromiseStackTraces");

/**
 * The SDK's `debuggablePromise` (runtime/debuggable.js) takes a stack trace for every promise it
 * makes, several per resource, and keeps it for a leak report that prints it only with
 * PULUMI_DEBUG_PROMISE_LEAKS. Capturing and formatting those frames was a tenth of a render's
 * CPU at first, and after other cuts still ~0.13 s of `llmops plan --stack prod`. In renders its
 * traces capture no frames (`Error.stackTraceLimit` is 0 for the duration of the call, which is
 * synchronous: the promise's own callbacks run later, with the limit restored); every other stack
 * trace is as before. Renderer only, after the SDK loaded; once per process; not with
 * PULUMI_DEBUG_PROMISE_LEAKS, whose report prints them; nothing if the SDK has no such module.
 */
export function quietPromiseStackTraces(): void {
  if (process.env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  let debuggable: { debuggablePromise: ((...args: unknown[]) => unknown) & { [WRAPPED]?: true } };
  try {
    debuggable = require("@pulumi/pulumi/runtime/debuggable");
  } catch {
    return;
  }
  const original = debuggable.debuggablePromise;
  if (typeof original !== "function" || original[WRAPPED]) return;
  const quiet = function (this: unknown, ...args: unknown[]) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return original.apply(this, args);
    } finally {
      Error.stackTraceLimit = limit;
    }
  };
  debuggable.debuggablePromise = Object.assign(quiet, { [WRAPPED]: true as const });
}
