import { describe, expect, it } from "vitest";
import { resolveConnection } from "../../infra/models/providers/connection";
import { apiError, describeError, isTransient, partialFailure } from "../../infra/common/providers/errors";
import { awaitOperation } from "../../infra/models/providers/operations";
import { backoffDelay, resolveRetry, withRetry } from "../../infra/common/providers/retry";

const FAST = { maxAttempts: 4, initialDelayMs: 1, maxDelayMs: 2 };

/** What google-gax's REST transport throws for a non-2xx answer: a GaxiosError carrying the raw body. */
function gaxiosError(httpStatus: number, status: string, message: string): Error {
  return Object.assign(new Error(JSON.stringify({ error: { code: httpStatus, message, status } })), { code: httpStatus, status: httpStatus });
}

describe("describeError", () => {
  it.each([
    ["a REST error body", gaxiosError(400, "FAILED_PRECONDITION", "DeployedModel has traffic"), "FAILED_PRECONDITION", "DeployedModel has traffic"],
    ["an HTTP status without a body status", Object.assign(new Error("Too Many Requests"), { code: 429 }), "RESOURCE_EXHAUSTED", "Too Many Requests"],
    ["a gRPC code (failed operation)", Object.assign(new Error("quota"), { code: 8 }), "RESOURCE_EXHAUSTED", "quota"],
    ["a refused connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }), "UNAVAILABLE", "connect ECONNREFUSED 127.0.0.1:1"],
    ["a wrapped error", apiError("endpoint e: deploy: NOT_FOUND: gone", "NOT_FOUND"), "NOT_FOUND", "endpoint e: deploy: NOT_FOUND: gone"],
    ["a string", "boom", "UNKNOWN", "boom"],
  ])("classifies %s", (_what, err, status, message) => {
    expect(describeError(err)).toEqual({ status, message });
  });

  it("treats only 429 and 503 as transient", () => {
    expect(isTransient(gaxiosError(503, "UNAVAILABLE", "x"))).toBe(true);
    expect(isTransient(gaxiosError(429, "RESOURCE_EXHAUSTED", "x"))).toBe(true);
    expect(isTransient(gaxiosError(500, "INTERNAL", "x"))).toBe(false);
    expect(isTransient(gaxiosError(409, "ABORTED", "x"))).toBe(false);
  });

  it("builds partial failures the dynamic-provider host understands", () => {
    const err = partialFailure("half done", "id-1", { a: 1 });
    expect(err).toMatchObject({ message: "half done", id: "id-1", properties: { a: 1 }, reasons: ["half done"] });
  });
});

describe("withRetry", () => {
  it("retries transient errors and returns the first success", async () => {
    let calls = 0;
    const result = await withRetry("op", FAST, async () => {
      if (++calls < 3) throw gaxiosError(503, "UNAVAILABLE", "try again");
      return "ok";
    });
    expect([result, calls]).toEqual(["ok", 3]);
  });

  it("stops after maxAttempts with a message that says so", async () => {
    let calls = 0;
    const attempt = withRetry("endpoint e: read", FAST, async () => {
      calls++;
      throw gaxiosError(429, "RESOURCE_EXHAUSTED", "quota");
    });
    await expect(attempt).rejects.toMatchObject({ status: "RESOURCE_EXHAUSTED", message: expect.stringMatching(/^endpoint e: read: still RESOURCE_EXHAUSTED after 4 attempts \(quota\)/) });
    expect(calls).toBe(4);
  });

  it("does not retry other errors, and prefixes them", async () => {
    let calls = 0;
    const attempt = withRetry("model m: read", FAST, async () => {
      calls++;
      throw gaxiosError(404, "NOT_FOUND", "no such model");
    });
    await expect(attempt).rejects.toMatchObject({ status: "NOT_FOUND", message: "model m: read: NOT_FOUND: no such model" });
    expect(calls).toBe(1);
  });

  it("bounds each delay between half and all of min(max, initial * 2^(n-1))", () => {
    const policy = { maxAttempts: 10, initialDelayMs: 1000, maxDelayMs: 8000 };
    for (const [attempt, ceiling] of [[1, 1000], [2, 2000], [4, 8000], [9, 8000]]) {
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(policy, attempt);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it("fills retry defaults and clamps nonsense", () => {
    expect(resolveRetry(undefined)).toEqual({ maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 32000 });
    expect(resolveRetry({ maxAttempts: 0, initialDelayMs: -5 })).toEqual({ maxAttempts: 1, initialDelayMs: 0, maxDelayMs: 32000 });
  });
});

describe("awaitOperation", () => {
  const policy = { timeoutMs: 200, pollIntervalMs: 1 };

  it("polls until done, retrying a transient poll failure", async () => {
    let polls = 0;
    const result = await awaitOperation("deploy", { name: "ops/1", done: false }, async () => {
      polls++;
      if (polls === 1) throw gaxiosError(503, "UNAVAILABLE", "blip");
      return polls < 3 ? { name: "ops/1", done: false } : { name: "ops/1", done: true, result: { id: "42" } };
    }, policy, FAST);
    expect(result).toEqual({ id: "42" });
  });

  it("turns an operation error into a status and message", async () => {
    const op = { name: "ops/2", done: true, error: { code: 9, message: "model has traffic" } };
    await expect(awaitOperation("undeploy", op, async () => op, policy, FAST)).rejects.toMatchObject({
      status: "FAILED_PRECONDITION",
      message: "undeploy: operation ops/2 failed: FAILED_PRECONDITION: model has traffic",
    });
  });

  it("gives up at the deadline, saying the operation may still finish", async () => {
    const pending = { name: "ops/3", done: false };
    await expect(awaitOperation("deploy", pending, async () => pending, { timeoutMs: 20, pollIntervalMs: 5 }, FAST)).rejects.toMatchObject({
      status: "DEADLINE_EXCEEDED",
      message: expect.stringMatching(/deploy: operation ops\/3 did not finish within 0s\. It may still complete in Vertex AI/),
    });
  });
});

describe("resolveConnection", () => {
  it("defaults to the regional HTTPS endpoint with application-default credentials", () => {
    const { clientOptions, operation } = resolveConnection("europe-west4", {});
    expect(clientOptions).toEqual({ apiEndpoint: "europe-west4-aiplatform.googleapis.com", port: 443, protocol: "https", fallback: true });
    expect(operation).toEqual({ timeoutMs: 2_400_000, pollIntervalMs: 10_000 });
  });

  it("splits host:port itself and sets a static-token client for anonymous", async () => {
    const { clientOptions } = resolveConnection("us-central1", { apiEndpoint: "127.0.0.1:8089", protocol: "http", credentials: "anonymous" });
    expect(clientOptions).toMatchObject({ apiEndpoint: "127.0.0.1", port: 8089, protocol: "http", fallback: true });
    const auth = clientOptions.authClient as { getRequestHeaders(): Promise<Headers> };
    expect((await auth.getRequestHeaders()).get("authorization")).toBe("Bearer anonymous");
  });
});
