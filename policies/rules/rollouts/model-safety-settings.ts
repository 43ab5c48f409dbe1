import { T, ofType } from "../../lib/resources";
import { asArray, asString, at, isOpaque } from "../../lib/values";
import type { Finding, PolicyResource } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Every generative model version (each Vertex AI upload runs an LLM server and carries its prompt
 * template) screens prompts and responses through a Model Armor template in its own region: the
 * harm-category filters and prompt-injection detection must be on, and prod blocks what they
 * flag instead of only logging it.
 */
const TEMPLATE_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/templates\/([^/]+)$/;

function templateProblems(template: PolicyResource, prod: boolean): string[] {
  const problems: string[] = [];
  const filters = at(template.inputs, "filterConfig.raiSettings.raiFilters");
  if (!isOpaque(filters) && asArray(filters).length === 0) problems.push("has no harm-category (RAI) filter");
  const injection = at(template.inputs, "filterConfig.piAndJailbreakFilterSettings.filterEnforcement");
  if (!isOpaque(injection) && injection !== "ENABLED") problems.push("does not detect prompt injection and jailbreaks");
  const enforcement = at(template.inputs, "templateMetadata.enforcementType");
  if (prod && !isOpaque(enforcement) && enforcement !== "INSPECT_AND_BLOCK") problems.push(`only inspects (${asString(enforcement) ?? "default"}) in prod instead of INSPECT_AND_BLOCK`);
  return problems;
}

function checkVersion(version: PolicyResource, templates: readonly PolicyResource[], prod: boolean): Finding[] {
  const ref = at(version.inputs, "container.env.MODEL_ARMOR_TEMPLATE");
  if (isOpaque(ref)) return [];
  const name = asString(ref);
  const what = `model version ${asString(version.inputs.modelId) ?? version.name} ${asString(version.inputs.version) ?? ""}`.trim();
  if (!name) return [{ urn: version.urn, message: `${what} names no Model Armor template (container env MODEL_ARMOR_TEMPLATE); allowed: its version's template in its region` }];
  const m = TEMPLATE_NAME.exec(name);
  if (!m) return [{ urn: version.urn, message: `${what}: MODEL_ARMOR_TEMPLATE ${JSON.stringify(name)} is not a template name; allowed: projects/P/locations/L/templates/T` }];
  const [, project, location, id] = m;
  const region = asString(version.inputs.region);
  if (region && location !== region) return [{ urn: version.urn, message: `${what} in ${region} screens through a template in ${location}; allowed: a template in ${region} (Model Armor is regional)` }];
  const template = templates.find((t) => asString(t.inputs.templateId) === id && asString(t.inputs.location) === location && [project, undefined].includes(asString(t.inputs.project)));
  if (!template) return [{ urn: version.urn, message: `${what} names template ${name}, which this stack does not define, so its filters cannot be checked; allowed: a template the stack manages` }];
  return templateProblems(template, prod).map((p) => ({ urn: version.urn, message: `${what}: template ${id} ${p}; allowed: RAI filters, prompt-injection detection${prod ? ", INSPECT_AND_BLOCK in prod" : ""}` }));
}

export default definePolicy({
  name: "model-safety-settings",
  description: "Every generative model version screens prompts and responses through a Model Armor template in its region, with harm and prompt-injection filters on (and blocking in prod).",
  group: "rollouts",
  severity: "high",
  mirrors: [],
  remediation:
    "Give the version safety settings in llmops:models.<m>.versions.<v>.safety (harmCategories, promptInjection, enforcement INSPECT_AND_BLOCK in prod); the platform renders the template per region and passes it to the server as MODEL_ARMOR_TEMPLATE.",
  enforcement: DEFAULT_ENFORCEMENT,
  stack: {
    check(resources, ctx) {
      const templates = ofType(resources, T.armorTemplate);
      return ofType(resources, T.modelVersion).flatMap((v) => checkVersion(v, templates, ctx.environment === "prod"));
    },
  },
});
