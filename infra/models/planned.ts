import type { Plan } from "../../lib/plan";
import type { RolloutRecord } from "./config";

/**
 * A model as a plan's `models` output records it: the plain JSON of `ServedModel` (infra/llmops.ts),
 * the same for Vertex AI and GKE. Summaries and `llmops diff` read models through this one type.
 */
export interface PlannedModel extends RolloutRecord {
  readonly regions: Readonly<
    Record<
      string,
      {
        readonly endpoint?: string;
        readonly predictUrl?: string;
        readonly trafficSplit?: Readonly<Record<string, number>>;
        readonly versions: Readonly<Record<string, { readonly deployedModelId: string; readonly percent: number }>>;
      }
    >
  >;
}

export function plannedModels(plan: Plan | undefined): Record<string, PlannedModel> {
  return (plan?.outputs.models ?? {}) as Record<string, PlannedModel>;
}
