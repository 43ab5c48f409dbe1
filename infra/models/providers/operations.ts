import { apiError, describeError } from "../../common/providers/errors";
import { RetryPolicy, sleep, withRetry } from "../../common/providers/retry";

/** Bounds for waiting on a Vertex AI long-running operation. */
export interface OperationPolicy {
  /** Give up waiting after this long; the operation itself keeps running in Vertex AI. */
  readonly timeoutMs: number;
  /** Delay between two polls. */
  readonly pollIntervalMs: number;
}

/**
 * The fields of a google-gax `Operation` the providers read. Structural, so the helpers do not
 * depend on gax's class (which is not part of this project's dependencies).
 */
export interface PolledOperation<T> {
  readonly name?: string | null;
  readonly done?: boolean | null;
  readonly error?: { readonly code?: number | null; readonly message?: string | null } | null;
  readonly result?: T | null;
}

/**
 * Waits for `first` to finish by polling `poll(name)`, which each provider binds to the client's
 * `check<Method>Progress` so results are decoded. Polling is done here rather than with gax's
 * `operation.promise()` so that a transient error on one poll is retried instead of abandoning an
 * operation that is still running, and so the deadline is explicit.
 */
export async function awaitOperation<T>(
  what: string,
  first: PolledOperation<T>,
  poll: (name: string) => Promise<PolledOperation<T>>,
  policy: OperationPolicy,
  retry: RetryPolicy,
): Promise<T | undefined> {
  const name = first.name ?? "";
  const deadline = Date.now() + policy.timeoutMs;
  let op = first;
  while (!op.done) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw apiError(
        `${what}: operation ${name} did not finish within ${Math.round(policy.timeoutMs / 1000)}s. ` +
          `It may still complete in Vertex AI; the next \`pulumi up\` reads the live state and continues from it`,
        "DEADLINE_EXCEEDED",
      );
    }
    await sleep(Math.min(policy.pollIntervalMs, remaining));
    op = await withRetry(`${what}: polling operation ${name}`, retry, () => poll(name));
  }
  if (op.error) {
    const { status } = describeError({ code: op.error.code ?? 2 });
    throw apiError(`${what}: operation ${name} failed: ${status}: ${op.error.message ?? "no message"}`, status);
  }
  return op.result ?? undefined;
}
