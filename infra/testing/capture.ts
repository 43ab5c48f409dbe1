import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { SECRET, UNKNOWN } from "./plan";

/**
 * Resolves a value the program passed to a resource (or exported) into plain JSON: outputs are
 * awaited, secret outputs become "[secret]", outputs unknown before deploy become "[unknown]",
 * resources become their URN, `undefined` is dropped.
 */
export async function toPlainJson(value: unknown): Promise<unknown> {
  if (value === undefined || value === null) return value;
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown>;
    if (await pulumi.isSecret(output)) return SECRET;
    // `promise()` and `isKnown` are the SDK's own view of an output; no public accessor exists.
    const internal = output as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean> };
    if (!(await internal.isKnown)) return UNKNOWN;
    return toPlainJson(await internal.promise());
  }
  if (pulumi.Resource.isInstance(value)) return toPlainJson((value as pulumi.Resource).urn);
  if (value instanceof Promise) return toPlainJson(await value);
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) return "[asset]";
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map(async (v) => (await toPlainJson(v)) ?? null));
  if (typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await toPlainJson(v)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  if (typeof value === "function") return undefined;
  return value;
}

/**
 * Dynamic providers are serialized into the resource's `__provider` input: a page of minified
 * code that changes with every dependency bump. Plans show a short digest instead, so a diff says
 * "the provider changed" in one line.
 */
export function digestProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  if (typeof inputs.__provider !== "string") return inputs;
  const digest = createHash("sha256").update(inputs.__provider).digest("hex").slice(0, 16);
  return { ...inputs, __provider: `[provider code sha256:${digest}]` };
}
