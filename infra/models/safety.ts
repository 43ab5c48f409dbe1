import * as gcp from "@pulumi/gcp";
import { templateId } from "./config";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { SafetyConfig } from "./config/schema";

export interface ModelSafetyArgs {
  readonly project: string;
  readonly model: string;
  readonly version: string;
  readonly regions: readonly string[];
  readonly safety: SafetyConfig;
  readonly labels: Readonly<Record<string, string>>;
}

const HARM_FILTERS = {
  hateSpeech: "HATE_SPEECH",
  harassment: "HARASSMENT",
  sexuallyExplicit: "SEXUALLY_EXPLICIT",
  dangerousContent: "DANGEROUS",
} as const;

/** The Model Armor filter configuration a version's safety settings mean. */
export function filterConfig(safety: SafetyConfig): gcp.types.input.modelarmor.TemplateFilterConfig {
  const raiFilters = (Object.keys(HARM_FILTERS) as (keyof typeof HARM_FILTERS)[])
    .filter((k) => safety.harmCategories[k] !== undefined)
    .map((k) => ({ filterType: HARM_FILTERS[k], confidenceLevel: safety.harmCategories[k] }));
  return {
    raiSettings: { raiFilters },
    piAndJailbreakFilterSettings:
      safety.promptInjection === false ? { filterEnforcement: "DISABLED" } : { filterEnforcement: "ENABLED", confidenceLevel: safety.promptInjection },
    sdpSettings: { basicConfig: { filterEnforcement: safety.sensitiveData ? "ENABLED" : "DISABLED" } },
    maliciousUriFilterSettings: { filterEnforcement: safety.maliciousUris ? "ENABLED" : "DISABLED" },
  };
}

/**
 * One Model Armor template per serving region for a model version's safety settings. Vertex AI
 * screens only Gemini with Model Armor, so the template's name is handed to the serving
 * container (`MODEL_ARMOR_TEMPLATE`), whose server or sidecar calls Model Armor's sanitize API
 * on every prompt and response. Every sanitize operation is logged, which the safety alerts read.
 */
export class ModelSafety extends pulumi.ComponentResource {
  /**
   * Per region, the template and its resource name `projects/P/locations/R/templates/T`, spelled
   * out from inputs so that it is known before the template exists.
   */
  public readonly templates: Readonly<Record<string, { resource: gcp.modelarmor.Template; resourceName: string }>>;

  constructor(name: string, args: ModelSafetyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:Safety", name, {}, opts);
    const templates: Record<string, { resource: gcp.modelarmor.Template; resourceName: string }> = {};
    for (const region of args.regions) {
      const template = new gcp.modelarmor.Template(
        `${name}-${region}`,
        {
          project: args.project,
          location: region,
          templateId: templateId(args.model, args.version),
          filterConfig: filterConfig(args.safety),
          templateMetadata: { logSanitizeOperations: true, logTemplateOperations: true, enforcementType: args.safety.enforcement },
          labels: { ...args.labels, model: args.model, "model-version": args.version.replace(/\./g, "-") },
        },
        childOf(this, opts),
      );
      templates[region] = { resource: template, resourceName: `projects/${args.project}/locations/${region}/templates/${templateId(args.model, args.version)}` };
    }
    this.templates = templates;
    this.registerOutputs({ templates: Object.fromEntries(Object.entries(templates).map(([r, t]) => [r, t.resourceName])) });
  }
}
