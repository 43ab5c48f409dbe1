import { labelsOf, stackOfUrn, T } from "./lib/resources";
import { asString } from "./lib/values";
import { ENVIRONMENTS, type Environment, type PolicyResource } from "./types";

/**
 * Which environment a resource or stack belongs to decides both what some rules demand (two
 * regions in prod) and, offline, the enforcement level. CrossGuard hands a policy pack neither
 * the stack's config nor its name, so the evidence is read from the resources themselves, in
 * the same way by both engines:
 *
 * 1. the `environment` label, which the program sets from `llmops:environment` on every
 *    labelable resource (and the `environment` input of an EndpointDeployment);
 * 2. otherwise the stack name in the URN, when one of its `-`/`_` separated words names an
 *    environment (`prod`, `production`, `stg`, `dev`, …);
 * 3. otherwise prod: an unidentified environment gets the strictest rules, never the loosest.
 */

const ALIASES: Readonly<Record<string, Environment>> = {
  dev: "dev",
  development: "dev",
  staging: "staging",
  stage: "staging",
  stg: "staging",
  prod: "prod",
  production: "prod",
  prd: "prod",
};

function fromWord(value: string | undefined): Environment | undefined {
  return value === undefined ? undefined : ALIASES[value.toLowerCase()];
}

/** The environment a stack name spells (`prod`, `prod-eu`, `eu_production`), if any. */
export function environmentOfStackName(stack: string): Environment | undefined {
  const words = stack.split(/[-_.]/).map(fromWord).filter((e): e is Environment => e !== undefined);
  // "prod" anywhere wins over "dev" anywhere: a name like "dev-to-prod" is not a sandbox.
  return ENVIRONMENTS.slice().reverse().find((e) => words.includes(e));
}

/** The environment a resource declares about itself, if it does. */
export function declaredEnvironment(resource: PolicyResource): Environment | undefined {
  const label = fromWord(labelsOf(resource)?.environment);
  if (label) return label;
  return resource.type === T.endpointDeployment ? fromWord(asString(resource.inputs.environment)) : undefined;
}

export function resourceEnvironment(resource: PolicyResource): Environment {
  return declaredEnvironment(resource) ?? environmentOfStackName(stackOfUrn(resource.urn)) ?? "prod";
}

/** A stack's environment: any resource declaring prod makes it prod (fail closed), else the most declared one. */
export function stackEnvironment(resources: readonly PolicyResource[], stack: string): Environment {
  const counts = new Map<Environment, number>();
  for (const r of resources) {
    const env = declaredEnvironment(r);
    if (env) counts.set(env, (counts.get(env) ?? 0) + 1);
  }
  if (counts.has("prod")) return "prod";
  const declared = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return declared ?? environmentOfStackName(stack) ?? "prod";
}
