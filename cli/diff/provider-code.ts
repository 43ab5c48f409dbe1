import { createHash } from "node:crypto";
import type { Plan } from "../../lib/plan";
import { aliasMatches } from "./classify";
import { PROVIDER_INPUT } from "./replacements";
import type { ProviderCodeChange } from "./types";

const DIGEST = /^\[provider code sha256:([0-9a-f]+)\]$/;

/** The plan's digest of the code (`llmops plan` writes `[provider code sha256:…]`); raw code (hand-made plans) is hashed here. */
function digestOf(value: string): string {
  return DIGEST.exec(value)?.[1] ?? createHash("sha256").update(value).digest("hex").slice(0, 16);
}

/** `vertex:EndpointDeployment` for `pulumi-nodejs:dynamic/vertex:EndpointDeployment`. */
export function providerName(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

/**
 * One entry per provider whose serialised code differs between the plans, with every resource
 * (present on both sides, at its URN or through an alias) that will record the new code. `pulumi
 * up` updates each of them (the providers make that update call no API), but it is one change of
 * code, not an input change per resource: `classify` leaves `__provider` out of the resources'
 * property changes, and a resource whose only change it was is not listed there at all.
 */
export function providerCodeChanges(before: Plan | undefined, after: Plan | undefined): ProviderCodeChange[] {
  if (!before || !after) return [];
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const moves = aliasMatches(before, after);
  const groups = new Map<string, { type: string; before: string; after: string; resources: string[] }>();
  for (const now of after.resources) {
    const was = old.get(moves.get(now.urn) ?? now.urn);
    const a = was?.inputs[PROVIDER_INPUT];
    const b = now.inputs[PROVIDER_INPUT];
    if (typeof a !== "string" || typeof b !== "string" || a === b) continue;
    const entry = { type: now.type, before: digestOf(a), after: digestOf(b) };
    if (entry.before === entry.after) continue;
    const key = `${entry.type}\n${entry.before}\n${entry.after}`;
    const group = groups.get(key) ?? { ...entry, resources: [] };
    group.resources.push(now.urn);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({ provider: providerName(g.type), type: g.type, before: g.before, after: g.after, resources: g.resources.sort() }))
    .sort((x, y) => (x.provider < y.provider ? -1 : x.provider > y.provider ? 1 : x.before < y.before ? -1 : 1));
}

/** "provider code of vertex:EndpointDeployment changed (sha 1a2b3c4d → 5e6f7a8b), 4 resources". */
export function providerCodeLine(p: ProviderCodeChange): string {
  const n = p.resources.length;
  return `provider code of ${p.provider} changed (sha ${p.before.slice(0, 8)} → ${p.after.slice(0, 8)}), ${n} ${n === 1 ? "resource" : "resources"}`;
}
