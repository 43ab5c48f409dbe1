import { modelUrn, rolloutRecords, type RolloutRecord } from "../../lib/models";
import type { Finding, StackView } from "../../types";
import { definePolicy, DEFAULT_ENFORCEMENT } from "../../types";

/**
 * Prod only tries versions that dev has fully rolled out. `llmops rollout finish` stamps a
 * version's definition digest as `released` when it reaches 100% in dev, and `llmops promote`
 * carries that stamp to prod, where the config schema re-hashes the definition: the stamp is the
 * evidence, and it travels with the prod stack (CrossGuard sees it in the VertexModel outputs).
 * When the dev stack is checked in the same run, its record must agree: the candidate is dev's
 * stable or released there, under the same digest.
 */
function againstDev(r: RolloutRecord, candidate: string, dev: StackView): string | undefined {
  const devRecord = rolloutRecords(dev.resources, dev.outputs).find((d) => d.model === r.model);
  if (!devRecord) return `dev (stack ${dev.stack}) does not serve ${r.model}, so ${candidate} was never rolled out there`;
  const devDigest = devRecord.released?.[candidate];
  // Dev's stable version got there by a full rollout (or was the first version, served whole).
  const fully = devDigest !== undefined || devRecord.stable === candidate;
  if (!fully) return `${candidate} is not fully rolled out in dev (stack ${dev.stack}: stable ${devRecord.stable ?? "?"}${devRecord.candidate ? `, candidate ${devRecord.candidate} at ${devRecord.stage ?? "?"}` : ""})`;
  const prodDigest = r.released?.[candidate];
  if (prodDigest && devDigest && prodDigest !== devDigest) return `${candidate} was released in dev as ${devDigest} but prod carries ${prodDigest}: the definitions differ`;
  return undefined;
}

export default definePolicy({
  name: "prod-candidate-from-dev",
  description: "A prod candidate is a version that was fully rolled out (and released) in dev.",
  group: "rollouts",
  severity: "critical",
  mirrors: [],
  remediation: "Finish the version's rollout in dev (llmops rollout finish stamps released), then llmops promote it to prod; never hand-write a prod candidate or its released digest.",
  enforcement: DEFAULT_ENFORCEMENT,
  stack: {
    check(resources, ctx) {
      if (ctx.environment !== "prod") return [];
      const devs = (ctx.otherStacks ?? []).filter((s) => s.environment === "dev");
      const findings: Finding[] = [];
      for (const r of rolloutRecords(resources, ctx.outputs)) {
        const candidate = r.candidate;
        if (!candidate) continue;
        const problems = devs.map((dev) => againstDev(r, candidate, dev)).filter((p): p is string => p !== undefined);
        if (devs.length === 0 && !r.released?.[candidate]) {
          problems.push(r.released ? `${candidate} carries no release digest, so it was never fully rolled out in dev` : `the rollout record of ${r.model} carries no release digests and no dev stack was checked alongside`);
        }
        const urn = modelUrn(resources, r.model);
        findings.push(...problems.map((p) => ({ urn, message: `model ${r.model}, candidate ${candidate}: ${p}` })));
      }
      return findings;
    },
  },
});
