import * as path from "node:path";
import { versionDigest } from "../infra/models/config/digest";
import { describeStage, versionSplit } from "../infra/models/config/rollout";
import { ROLLBACK, type ModelConfig } from "../infra/models/config/schema";
import { lastStage, modelKeys, modelOf, rolloutCommand, stageIndex, standing } from "./model-state";
import { UserError } from "./project";
import { StackFileEdit } from "./stack-edit";

export interface RolloutOptions {
  readonly dir: string;
  readonly stack: string;
  readonly model: string;
  /** advance: the stage to go to (outside prod any later stage; in prod only the next one). */
  readonly to?: string;
  /** Print the edit, write nothing. */
  readonly dryRun?: boolean;
}

/** What a rollout command did: the message and the patch it printed, and whether it wrote. */
export interface EditResult {
  readonly message: string;
  readonly patches: readonly string[];
  readonly written: boolean;
}

function open(options: RolloutOptions, doing: string) {
  const edit = new StackFileEdit(options.dir, options.stack);
  const keys = modelKeys(edit, options.model);
  const settings = edit.validate(doing);
  return { edit, keys, settings, m: modelOf(settings, options.model) };
}

/** Validates the edit, writes it unless a dry run, and says what happened with the patch. */
export function conclude(edits: readonly StackFileEdit[], dryRun: boolean | undefined, message: string): EditResult {
  for (const edit of edits) edit.validate();
  const changed = edits.filter((e) => e.changed);
  if (!dryRun) for (const edit of changed) edit.write();
  const files = changed.map((e) => path.basename(e.file)).join(" and ");
  const note = dryRun ? "Dry run: nothing was written." : `Wrote ${files}. Review with \`llmops diff\`, commit, and CI deploys on merge.`;
  const patches = changed.map((e) => e.patch());
  return { message: [message, "", ...patches, note].join("\n"), patches, written: !dryRun };
}

const stages = (m: ModelConfig) => m.rollout.stages.map((s) => `${s.name} ${s.weight}%`).join(" → ");

function requireCandidate(m: ModelConfig, options: RolloutOptions, verb: string): string {
  if (m.rollout.candidate !== undefined) return m.rollout.candidate;
  throw new UserError(
    `cannot ${verb} ${options.model} in ${options.stack}: no candidate in flight (${standing(m)}). ` +
      `Start one with \`llmops promote ${options.model} VERSION --from SOURCE --to ${options.stack}\`, or set rollout.candidate and rollout.stage.`,
  );
}

/** Where a model's rollout stands, and what can be done next. */
export function rolloutStatus(options: RolloutOptions): string {
  const { m, settings } = open(options, "reading its rollout");
  const split = versionSplit(m.rollout);
  const current = m.rollout.stage;
  const lines = [
    `${options.model} in ${options.stack} (${m.serving.platform}, ${m.serving.regions.join(", ")})`,
    `  stable     ${m.rollout.stable}`,
    `  candidate  ${m.rollout.candidate ?? "none"}${m.rollout.candidate ? ` at ${describeStage(m.rollout)}` : ""}`,
    `  stages     ${m.rollout.stages.map((s) => (s.name === current ? `[${s.name} ${s.weight}%]` : `${s.name} ${s.weight}%`)).join(" → ")}${current === ROLLBACK ? "  (rolled back)" : ""}`,
    `  traffic    ${Object.entries(split).map(([v, p]) => `${v} ${p}%`).join(", ")}`,
    `  versions   ${Object.entries(m.versions).map(([v, d]) => `${v}${d.released ? ` (released ${d.released})` : ""}`).join(", ")}`,
  ];
  const next: string[] = [];
  const { model, stack } = options;
  if (m.rollout.candidate === undefined) next.push(`llmops promote ${model} VERSION --from SOURCE --to ${stack}`);
  else if (current === ROLLBACK) next.push(rolloutCommand("advance", model, stack, ` --to ${m.rollout.stages[0].name}`) + "   (retry from the first stage)");
  else if (current === lastStage(m).name) next.push(rolloutCommand("finish", model, stack), rolloutCommand("rollback", model, stack));
  else next.push(`${rolloutCommand("advance", model, stack)}   (to ${describeStage({ ...m.rollout, stage: m.rollout.stages[stageIndex(m) + 1].name })})`, rolloutCommand("rollback", model, stack));
  lines.push(`  next       ${next.join(`\n             `)}`);
  if (settings.isProd) lines.push("  (prod: advance moves one stage at a time)");
  return lines.join("\n");
}

/** Moves the candidate one stage forward (or, outside prod, to `--to`). Never past the last stage. */
export function rolloutAdvance(options: RolloutOptions): EditResult {
  const { edit, keys, m, settings } = open(options, "advancing its rollout");
  const candidate = requireCandidate(m, options, "advance");
  const { model, stack } = options;
  const all = m.rollout.stages;
  const from = stageIndex(m);
  if (m.rollout.stage === ROLLBACK && options.to === undefined) {
    throw new UserError(
      `${model} ${candidate} was rolled back in ${stack}; advance does not resume a rolled-back candidate by habit. ` +
        `To retry it from the first stage: ${rolloutCommand("advance", model, stack, ` --to ${all[0].name}`)}`,
    );
  }
  if (from === all.length - 1) {
    throw new UserError(`${model} ${candidate} is already fully rolled out in ${stack} (${describeStage(m.rollout)}); make it stable with ${rolloutCommand("finish", model, stack)}`);
  }
  let to = from + 1;
  if (options.to !== undefined) {
    to = all.findIndex((s) => s.name === options.to);
    if (to < 0) throw new UserError(`unknown stage "${options.to}" for ${model} in ${stack}; stages: ${stages(m)}`);
    if (to <= from) throw new UserError(`stage ${options.to} is not ahead of ${m.rollout.stage}; advance only moves forward (stages: ${stages(m)}); use rollback to send traffic back to stable`);
    // prod never skips: the next stage only (after a rollback, the first is the next).
    if (settings.isProd && to !== from + 1) {
      throw new UserError(`prod never skips a stage: ${model} ${candidate} is at ${m.rollout.stage}, so the next stage is ${all[from + 1].name} (stages: ${stages(m)})`);
    }
  }
  const before = describeStage(m.rollout);
  const after = { ...m.rollout, stage: all[to].name };
  edit.set([...keys.rollout, "stage"], all[to].name);
  const split = versionSplit(after);
  return conclude([edit], options.dryRun, `${model} in ${stack}: ${candidate} ${before} → ${describeStage(after)}; stable ${m.rollout.stable} keeps ${split[m.rollout.stable]}%`);
}

/** Sends all traffic back to stable; the candidate stays deployed (0%) for a quick retry. */
export function rolloutRollback(options: RolloutOptions): EditResult {
  const { edit, keys, m } = open(options, "rolling back");
  const candidate = requireCandidate(m, options, "roll back");
  if (m.rollout.stage === ROLLBACK) throw new UserError(`${options.model} ${candidate} is already rolled back in ${options.stack}: stable ${m.rollout.stable} serves 100%`);
  edit.set([...keys.rollout, "stage"], ROLLBACK);
  return conclude(
    [edit],
    options.dryRun,
    `${options.model} in ${options.stack}: ${candidate} rolled back from ${describeStage(m.rollout)}; stable ${m.rollout.stable} takes 100% again (${candidate} stays deployed without traffic)`,
  );
}

/**
 * Makes a fully rolled-out candidate the stable version and ends the rollout. The old stable stays
 * in `versions` (its registry upload stays) but is no longer deployed. The new stable is stamped
 * released if it was not yet.
 */
export function rolloutFinish(options: RolloutOptions): EditResult {
  const { edit, keys, m } = open(options, "finishing its rollout");
  const candidate = requireCandidate(m, options, "finish");
  const { model, stack } = options;
  if (m.rollout.stage === ROLLBACK) {
    throw new UserError(`${model} ${candidate} is rolled back in ${stack}; a rolled-back candidate cannot become stable. Retry it with ${rolloutCommand("advance", model, stack, ` --to ${m.rollout.stages[0].name}`)}`);
  }
  if (m.rollout.stage !== lastStage(m).name) {
    const left = m.rollout.stages.length - 1 - stageIndex(m);
    throw new UserError(
      `${model} ${candidate} is at ${describeStage(m.rollout)} in ${stack}, not fully rolled out; finish needs ${lastStage(m).name} ${lastStage(m).weight}%. ` +
        `Advance it first (${left} more stage${left > 1 ? "s" : ""}): ${rolloutCommand("advance", model, stack)}`,
    );
  }
  const old = m.rollout.stable;
  edit.set([...keys.rollout, "stable"], candidate);
  edit.remove([...keys.rollout, "candidate"]);
  edit.remove([...keys.rollout, "stage"]);
  if (!m.versions[candidate].released) edit.set([...keys.versions, candidate, "released"], versionDigest(m.versions[candidate]));
  return conclude([edit], options.dryRun, `${model} in ${stack}: ${candidate} is now stable (100%); ${old} is undeployed and stays in versions`);
}
