import { planMocks } from "./mock-outputs";
import type { Plan } from "../../lib/plan";

/**
 * The benchmark's floor: the bare Pulumi SDK registering a plan's resources (same types, names,
 * parents and inputs) under the same mocks, with no program, config or capture. Run once per
 * process, like a render.
 */
export async function registerBare(plan: Plan): Promise<void> {
  const pulumi: typeof import("@pulumi/pulumi") = require("@pulumi/pulumi");
  const gcpProject = String(plan.outputs.project ?? "project");
  await pulumi.runtime.setMocks(planMocks(gcpProject), plan.project, plan.stack, true);
  // Both classes are abstract in the SDK's typings; bare subclasses are all a floor needs.
  class Bare extends pulumi.ComponentResource {}
  class BareCustom extends pulumi.CustomResource {}
  const created = new Map<string, import("@pulumi/pulumi").Resource>();
  await pulumi.runtime.runInPulumiStack(async () => {
    // Parents before children: a child can only name a parent that exists.
    let pending = [...plan.resources];
    while (pending.length) {
      const next = pending.filter((r) => r.parent !== null && !created.has(r.parent));
      for (const r of pending.filter((x) => x.parent === null || created.has(x.parent))) {
        const opts = { parent: r.parent ? created.get(r.parent) : undefined, protect: r.options.protect };
        created.set(r.urn, r.type.startsWith("llmops:") ? new Bare(r.type, r.name, {}, opts) : new BareCustom(r.type, r.name, { ...r.inputs }, opts));
      }
      if (next.length === pending.length) throw new Error("plan has resources whose parent is missing");
      pending = next;
    }
  });
  await Promise.all([...created.values()].map((r) => new Promise((resolve) => r.urn.apply(resolve))));
}
