import { apiError, describeError, isTransient } from "./errors";

/**
 * Bounded exponential backoff for calls Vertex AI rejected as transient (429 RESOURCE_EXHAUSTED,
 * 503 UNAVAILABLE). The generated clients mark every Vertex method non-idempotent and so never
 * retry; the providers do it here, once, with bounds that tests can shrink.
 */
export interface RetryPolicy {
  /** Attempts including the first one. @default 5 */
  readonly maxAttempts: number;
  /** Delay before the second attempt; doubles per attempt. @default 1000 */
  readonly initialDelayMs: number;
  /** Upper bound of one delay. @default 32000 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 32_000 };

export function resolveRetry(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(partial?.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
    initialDelayMs: Math.max(0, partial?.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs),
    maxDelayMs: Math.max(0, partial?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
  };
}

export function sleep(ms: number): Promise<void> {
  // No timer for no delay: the next turn of the event loop is enough (and fast in tests).
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

/**
 * Delay before attempt `attempt + 1`. "Equal jitter" (half fixed, half random) keeps several
 * stacks that hit the same quota from retrying in lockstep while still guaranteeing a floor.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/**
 * Runs `call`, repeating it on transient errors up to `policy.maxAttempts` times. Any other error,
 * and the last transient one, is rethrown prefixed with `what` and keeps its status name.
 */
export async function withRetry<T>(what: string, policy: RetryPolicy, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const { status, message } = describeError(err);
      if (!isTransient(err)) throw apiError(`${what}: ${status}: ${message}`, status, err);
      if (attempt >= policy.maxAttempts) {
        throw apiError(
          `${what}: still ${status} after ${attempt} attempts (${message}); ` +
            `the service is throttling or unavailable: retry later, or raise the quota if it is RESOURCE_EXHAUSTED`,
          status,
          err,
        );
      }
      await sleep(backoffDelay(policy, attempt));
    }
  }
}
