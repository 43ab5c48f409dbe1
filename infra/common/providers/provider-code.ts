/**
 * Pulumi serialises a dynamic provider's code into each resource's `__provider` input. The
 * dynamic-provider host runs `check`, `diff` and `update` with the code the program sends now,
 * but `read` (refresh) and `delete` with the code recorded in the state, and only a create or an
 * update records new code there. A `diff` that ignores `__provider` therefore keeps a fixed
 * provider out of the state for good: refresh and delete go on running the old code.
 *
 * So every provider reports a changed `__provider` as an in-place change (never a replacement),
 * and its `update` calls no API when nothing else changed: the engine then records the new code
 * with the outputs `update` returns. Shared by the Vertex AI and Artifact Registry providers;
 * like the other helpers here it is serialised with them, so it stays a plain function.
 * Source: https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/cmd/dynamic-provider/index.ts
 */

export const PROVIDER_CODE = "__provider";

/** True when both sides carry serialised provider code and it differs. */
export function providerCodeChanged(olds: object, news: object): boolean {
  const before = (olds as Record<string, unknown>)[PROVIDER_CODE];
  const after = (news as Record<string, unknown>)[PROVIDER_CODE];
  return typeof before === "string" && typeof after === "string" && before !== after;
}
