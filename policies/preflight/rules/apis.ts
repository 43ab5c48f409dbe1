import { componentOfUrn } from "../../lib/resources";
import { asString } from "../../lib/values";
import type { CheckContext, PreflightRule } from "../check";
import { isComponent } from "../graph";
import { KUBERNETES_KINDS } from "../kubernetes-kinds";
import { RESOURCE_TYPES } from "../resource-types";

const SERVICE = "gcp:projects/service:Service";
const ENABLE_DOC = "https://cloud.google.com/service-usage/docs/enable-disable";

/** The part of a Kubernetes type token that keys `KUBERNETES_KINDS`: `apps/v1:Deployment`. */
export function kindOf(type: string): string | undefined {
  return type.startsWith("kubernetes:") ? type.slice("kubernetes:".length) : undefined;
}

/** Types the engine itself manages, with no Google API behind them here. */
function untabled(type: string): boolean {
  return isComponent(type) || type.startsWith("pulumi:providers:");
}

/**
 * Every resource type has its preflight entry, so a new type cannot slip past these checks
 * unreviewed: its API, the permissions its calls check, what must exist first.
 */
export const knownTypes: PreflightRule = {
  id: "type-known",
  summary: "every resource type has an entry in the preflight tables (API, permissions, preconditions)",
  check(ctx) {
    const missing = new Map<string, string>();
    for (const r of ctx.graph.resources) {
      if (untabled(r.type) || missing.has(r.type)) continue;
      const kind = kindOf(r.type);
      if (kind ? !KUBERNETES_KINDS[kind] : !RESOURCE_TYPES[r.type]) missing.set(r.type, r.urn);
    }
    for (const [type, urn] of missing) {
      const table = kindOf(type) ? "policies/preflight/kubernetes-kinds.ts" : "policies/preflight/resource-types.ts";
      ctx.report("error", urn, `${type} has no preflight entry, so nothing checks its API, the permissions it needs or what must exist first. Add it to ${table}, with sources.`, "DEVELOPERS.md (preflight tables)");
    }
  },
};

/**
 * A Google API answers 403 SERVICE_DISABLED until it is enabled, and enablement is itself a
 * resource: every resource calling an API waits for that API's `gcp.projects.Service`.
 */
export const apiEnabled: PreflightRule = {
  id: "api-enabled",
  summary: "each resource's API is enabled by the stack, and the resource waits for the enablement",
  check(ctx: CheckContext) {
    const services = new Map(ctx.graph.ofType(SERVICE).map((s) => [asString(s.inputs.service), s]));
    for (const r of ctx.graph.resources) {
      const rule = RESOURCE_TYPES[r.type];
      // The Service Usage API enables the others; it must be on before the first `pulumi up` (README).
      if (!rule || r.type === SERVICE) continue;
      const service = services.get(rule.api);
      const owner = componentOfUrn(r.urn) ?? "its component";
      if (!service) {
        ctx.report("error", r, `calls ${rule.api}, which this stack never enables: the call fails with 403 SERVICE_DISABLED on a new project. Add "${rule.api}" to the stack's API list (infra/llmops.ts) and make ${owner} depend on it.`, ENABLE_DOC);
        continue;
      }
      ctx.requireWait(r, [service], `calls ${rule.api}`, `Pass apis.dependOn("${rule.api}") in the dependsOn of ${owner}, and on to its children (childOf).`, ENABLE_DOC);
    }
  },
};

/**
 * Resources whose provider builds the request URL from its own region: without `region` (or
 * `zone`) on the provider the create fails with "Cannot determine region", and with another
 * region than the resource's location it calls the wrong regional endpoint.
 */
export const providerRegion: PreflightRule = {
  id: "provider-region",
  summary: "resources whose API URL comes from the provider's region get a provider with that region",
  check(ctx) {
    for (const r of ctx.graph.resources) {
      const rule = RESOURCE_TYPES[r.type];
      if (!rule?.providerRegion) continue;
      const source = rule.sources[0];
      const explicit = r.options.provider ? ctx.graph.get(r.options.provider) : undefined;
      const config = explicit ? explicit.inputs : (ctx.graph.plan.defaultProviders?.[r.type.split(":")[0]] ?? {});
      const zone = asString(config.zone);
      const region = asString(config.region) ?? (zone ? zone.replace(/-[a-z]$/, "") : undefined);
      const providerName = explicit ? `provider ${explicit.name}` : `the default ${r.type.split(":")[0]} provider (stack config)`;
      if (!region) {
        ctx.report("error", r, `its API URL is built from the provider's region, and ${providerName} has none: the create fails with "Cannot determine region". Give it an explicit provider with region set to its location.`, source);
        continue;
      }
      const location = asString(r.inputs.location) ?? asString(r.inputs.region);
      if (location && location !== region) {
        ctx.report("error", r, `its location is ${location} but ${providerName} calls the ${region} endpoint, which refuses a ${location} resource. Give it a provider whose region is ${location}.`, source);
      }
    }
  },
};
