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
