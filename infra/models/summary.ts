import type { SummarySection } from "../../lib/plan";
import { plannedModels } from "./planned";


/** Per model and region: stable, candidate, stage and the split, from the stack's `models` output. */
export const modelsSummary: SummarySection = (plan) => {
  const models = Object.entries(plannedModels(plan));
  if (models.length === 0) return ["models: none"];
  const lines = [`models: ${models.length}`];
  for (const [name, m] of models) {
    lines.push(`  ${name} on ${m.platform}: stable ${m.stable}${m.candidate ? `, candidate ${m.candidate}` : ""}, ${m.stageDescription}`);
    for (const [region, r] of Object.entries(m.regions)) {
      const split = Object.entries(r.versions).map(([v, d]) => `${v} ${d.percent}% (${d.deployedModelId})`).join(", ");
      lines.push(`    ${region}: ${split}`);
    }
  }
  return lines;
};
