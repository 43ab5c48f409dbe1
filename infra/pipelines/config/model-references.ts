import type { z } from "zod";
import { registryModelId, versionAliasFor } from "../../models/config";
import { didYouMean } from "../../../lib/suggest";
import type { PipelinesConfig } from "./schema";

/**
 * A Model Registry resource name in a schedule's parameters
 * (`projects/P/locations/R/models/ID[@VERSION_OR_ALIAS]`, as `batch-prediction`'s `model_name`
 * takes it). When it names this stack's project, the model must be one this stack uploads
 * (`llmops:models`, served on Vertex AI, which uploads every version to the registry of each
 * serving region), in one of its regions, at one of its versions' aliases (`@v1-2-0`, see
 * `versionAliasFor`) or `@default`. Otherwise the run would fail at its first step, days later.
 */
const MODEL_REFERENCE = /^projects\/([^/]+)\/locations\/([^/]+)\/models\/([^/@]+)(?:@(.*))?$/;

/** What the check reads: the schedules, the project and what each model uploads where. */
export interface ScheduleModelsSlice {
  readonly project: string;
  readonly pipelines: PipelinesConfig;
  readonly models: Readonly<Record<string, { readonly serving: { readonly platform: string; readonly regions: readonly string[] }; readonly versions: Readonly<Record<string, unknown>> }>>;
}

/** Issue paths start at the key name (`pipelines`), as for every cross-key rule. */
export function checkScheduleModels(slice: ScheduleModelsSlice, ctx: z.RefinementCtx, prefix: readonly string[] = []): void {
  const uploaded = Object.entries(slice.models).filter(([, m]) => m.serving.platform === "vertex");
  const byId = new Map(uploaded.map(([name, m]) => [registryModelId(name), { name, model: m }]));
  const ids = [...byId.keys()];
  for (const [schedule, s] of Object.entries(slice.pipelines.schedules)) {
    for (const [param, value] of Object.entries(s.parameters)) {
      if (typeof value !== "string") continue;
      const m = MODEL_REFERENCE.exec(value);
      if (!m || m[1] !== slice.project) continue;
      const [, , region, id, version] = m;
      const issue = (message: string) => ctx.addIssue({ code: "custom", path: [...prefix, "pipelines", "schedules", schedule, "parameters", param], message });
      const found = byId.get(id);
      if (!found) {
        const gke = Object.keys(slice.models).find((name) => registryModelId(name) === id);
        issue(
          gke
            ? `names model "${id}", which is served on GKE and has no Model Registry entry; allowed: a model of llmops:models served on Vertex AI (${ids.join(", ") || "none"})`
            : `names model "${id}", which llmops:models does not define${didYouMean(id, ids)}; allowed: ${ids.join(", ") || "none: no model of this stack is served on Vertex AI"}`,
        );
        continue;
      }
      const regions = found.model.serving.regions;
      if (!regions.includes(region)) {
        issue(`names ${found.name} in ${region}, where it has no registry entry (the registry is regional); allowed: ${regions.join(", ")} (its serving.regions)`);
      }
      if (version !== undefined) {
        const aliases = Object.keys(found.model.versions).map((v) => [versionAliasFor(v), v] as const);
        if (version !== "default" && !aliases.some(([alias]) => alias === version)) {
          issue(`names ${found.name}@${version}, which is no version of it${didYouMean(version, aliases.map(([a]) => a))}; allowed: ${[...aliases.map(([a, v]) => `@${a} (${v})`), "@default"].join(", ")}`);
        }
      }
    }
  }
}
