import { expect } from "vitest";
import { ofType } from "../../../lib/plan";
import { describeReadme } from "../../helpers/readme-suite";

/** Every `{ name, weight }` backend reference under a value. */
function backends(value: unknown): { name: string; weight: number }[] {
  if (Array.isArray(value)) return value.flatMap(backends);
  if (value === null || typeof value !== "object") return [];
  const v = value as Record<string, unknown>;
  if (typeof v.name === "string" && typeof v.weight === "number") return [{ name: v.name, weight: v.weight }];
  return Object.values(v).flatMap(backends);
}

// The canary's route weights, as the README states them (90/10), with or without a domain.
describeReadme("infra/models/gke/README.md", "models", (_example, plan) => {
  const route = ofType(plan, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").find((r) => r.name === "model-gemma-chat-route")!;
  expect(backends(route.inputs).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
    { name: "gemma-chat-v1-0-0", weight: 90 },
    { name: "gemma-chat-v1-1-0", weight: 10 },
  ]);
});
