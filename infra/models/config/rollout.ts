import { type ModelConfig, ROLLBACK, type RolloutConfig } from "./schema";

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

/**
 * The rollout state a model exports beside its regions, so that summaries, diffs and bots read
 * "1.3.0 canary 10%" without re-deriving it from deployed model ids. (Stack outputs, not
 * resource inputs: a stage change stays a change of traffic-split inputs only.)
 */
export interface RolloutRecord {
  readonly platform: string;
  readonly stable: string;
  readonly candidate?: string;
  readonly stage?: string;
  /** "canary 10%", "rollback", "stable only". */
  readonly stageDescription: string;
  /** Version → percent. */
  readonly split: Readonly<Record<string, number>>;
  /** The candidate's stages, first (the canary) to last; policies cap the canary's weight in prod. */
  readonly stages: readonly { readonly name: string; readonly weight: number }[];
  /** Release digest of the stable and candidate versions that have one: the evidence that they were fully rolled out in dev. */
  readonly released: Readonly<Record<string, string>>;
}

export function rolloutRecord(config: ModelConfig): RolloutRecord {
  const released: Record<string, string> = {};
  for (const version of [config.rollout.stable, config.rollout.candidate]) {
    const digest = version === undefined ? undefined : config.versions[version]?.released;
    if (version !== undefined && digest) released[version] = digest;
  }
  return {
    platform: config.serving.platform,
    stable: config.rollout.stable,
    candidate: config.rollout.candidate,
    stage: config.rollout.stage,
    stageDescription: describeStage(config.rollout),
    split: versionSplit(config.rollout),
    stages: config.rollout.stages.map((s) => ({ name: s.name, weight: s.weight })),
    released,
  };
}
