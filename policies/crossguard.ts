import type { PolicyConfigSchema, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";
import { settingsFor } from "./config";
import { resourceEnvironment, stackEnvironment } from "./environment";
import { componentOfUrn, matchesType, stackOfUrn } from "./lib/resources";
import { UNKNOWN } from "./lib/values";
import type { Policy, PolicyResource } from "./types";

/**
 * The bridge from a rule to a CrossGuard policy. Pure: it builds policy objects and adapts
 * arguments but never constructs a `PolicyPack` (that starts a gRPC server and waits for the
 * engine), so tests exercise it directly and `index.ts` stays a two-line wrapper. It imports
 * only types from @pulumi/policy, whose runtime index.ts alone loads.
 */

type CrossGuardResource = Pick<ResourceValidationArgs, "urn" | "type" | "name" | "props"> & {
  readonly opts: { readonly protect: boolean; readonly parent?: string };
  readonly parent?: { readonly urn: string };
};

/**
 * CrossGuard wraps props in a proxy that throws `UnknownValueError` when a rule touches a value
 * not known during preview. Rules are written against plain JSON with the plan's `"[unknown]"`,
 * so the props are copied once, each unknown becoming that marker.
 */
export function plainProps(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => read(value, i));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = read(value as Record<string, unknown>, key);
  return out;
}

function read(container: Record<string | number, unknown> | unknown[], key: string | number): unknown {
  try {
    return plainProps((container as Record<string | number, unknown>)[key]);
  } catch (err) {
    // Matched by name: @pulumi/policy does not export the class from its entry point.
    if (err instanceof Error && err.constructor.name === "UnknownValueError") return UNKNOWN;
    throw err;
  }
}

export function fromCrossGuard(r: CrossGuardResource): PolicyResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    inputs: plainProps(r.props) as Record<string, unknown>,
    options: { protect: r.opts.protect },
    parentUrn: r.opts.parent ?? r.parent?.urn,
    component: componentOfUrn(r.urn),
  };
}

/** The zod settings schema as CrossGuard's `configSchema`: the engine validates policy config against it. */
export function configSchemaOf(policy: Policy): PolicyConfigSchema | undefined {
  if (!policy.settings) return undefined;
  const json = z.toJSONSchema(policy.settings.schema) as { properties?: PolicyConfigSchema["properties"] };
  return { properties: json.properties ?? {} };
}

export function toCrossGuard(policy: Policy): ResourceValidationPolicy | StackValidationPolicy {
  const base = {
    name: policy.name,
    description: policy.description,
    severity: policy.severity,
    // Without policy config, prod's level: the pack cannot tell environments apart before it
    // sees resources, and a forgotten config file must not quietly turn prod advisory.
    // policies/config/<environment>.json sets each environment's levels.
    enforcementLevel: policy.enforcement.prod,
    remediationSteps: policy.remediation,
    tags: [policy.group, ...policy.mirrors],
    configSchema: configSchemaOf(policy),
  };
  const { resource, stack } = policy;
  if (resource) {
    return {
      ...base,
      validateResource: (args, reportViolation) => {
        if (!matchesType(resource.types, args.type)) return;
        const r = fromCrossGuard(args);
        const environment = resourceEnvironment(r);
        const ctx = { environment, stack: stackOfUrn(r.urn), settings: settingsFor(policy, environment, args.getConfig<Record<string, unknown>>()) };
        for (const f of resource.check(r, ctx)) reportViolation(f.message, f.urn);
      },
    };
  }
  if (!stack) throw new Error(`policy ${policy.name} has neither a resource nor a stack check`);
  return {
    ...base,
    validateStack: (args: StackValidationArgs, reportViolation) => {
      const resources = args.resources.map(fromCrossGuard);
      const name = stackOfUrn(resources[0]?.urn ?? "");
      const environment = stackEnvironment(resources, name);
      const ctx = { environment, stack: name, settings: settingsFor(policy, environment, args.getConfig<Record<string, unknown>>()) };
      for (const f of stack.check(resources, ctx)) reportViolation(f.message, f.urn);
    },
  };
}
