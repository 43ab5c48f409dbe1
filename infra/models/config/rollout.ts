import { ROLLBACK, type RolloutConfig } from "./schema";

/** Percent of traffic per version; versions deployed without traffic have 0. */
export type VersionSplit = Readonly<Record<string, number>>;

/**
 * The traffic split a rollout state means, the same on every platform: the candidate gets the
 * current stage's weight and the stable version the rest; `rollback` gives stable everything
 * while the candidate stays deployed; no candidate means 100% stable.
 */
export function versionSplit(rollout: RolloutConfig): VersionSplit {
  const { stable, candidate, stage, stages } = rollout;
  if (candidate === undefined) return { [stable]: 100 };
  const weight = stage === ROLLBACK ? 0 : (stages.find((s) => s.name === stage)?.weight ?? 0);
  return { [stable]: 100 - weight, [candidate]: weight };
}

/** The versions that must be deployed: stable, and the candidate while it is in flight. */
export function deployedVersions(rollout: RolloutConfig): string[] {
  return rollout.candidate === undefined ? [rollout.stable] : [rollout.stable, rollout.candidate];
}

/** "canary 10%", "rollback", "stable only": the stage in words, for summaries and diffs. */
export function describeStage(rollout: RolloutConfig): string {
  if (rollout.candidate === undefined) return "stable only";
  if (rollout.stage === ROLLBACK) return "rollback";
  const stage = rollout.stages.find((s) => s.name === rollout.stage);
  return stage ? `${stage.name} ${stage.weight}%` : String(rollout.stage);
}
