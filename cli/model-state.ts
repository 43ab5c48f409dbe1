import * as path from "node:path";
import { isMap, isScalar } from "yaml";
import type { StackSettings } from "../infra/settings";
import { didYouMean } from "../lib/suggest";
import { ROLLBACK, type ModelConfig } from "../infra/models/config/schema";
import { describeStage, versionSplit } from "../infra/models/config/rollout";
import { UserError } from "./project";
import type { KeyPath, StackFileEdit } from "./stack-edit";

/** The key paths of one model in a stack file (the namespace may be spelled out or implied). */
export interface ModelKeys {
  readonly model: KeyPath;
  readonly versions: KeyPath;
  readonly rollout: KeyPath;
}

export function modelKeys(edit: StackFileEdit, model: string): ModelKeys {
  const name = path.basename(edit.file);
  const namespaceKey = ["llmops:models", "models"].find((k) => isMap(edit.node(["config", k])));
  const models = namespaceKey ? edit.node(["config", namespaceKey]) : undefined;
  const names = isMap(models) ? models.items.map((p) => (isScalar(p.key) ? String(p.key.value) : "")).filter(Boolean) : [];
  if (!namespaceKey || !names.includes(model)) {
    throw new UserError(`unknown model "${model}" in ${name}${didYouMean(model, names)}; models there: ${names.join(", ") || "none (no llmops:models)"}`);
  }
  const at = ["config", namespaceKey, model];
  return { model: at, versions: [...at, "versions"], rollout: [...at, "rollout"] };
}

export function modelOf(settings: StackSettings, model: string): ModelConfig {
  const found = settings.models[model]?.config;
  if (!found) throw new Error(`model ${model} is in the file but not in the parsed settings`);
  return found;
}

/** "1.3.0 at canary 10% (1.2.0 keeps 90%)", "stable 1.2.0 only": where a rollout stands. */
export function standing(m: ModelConfig): string {
  const { stable, candidate } = m.rollout;
  if (candidate === undefined) return `stable ${stable} serves 100%, no candidate`;
  const split = versionSplit(m.rollout);
  if (m.rollout.stage === ROLLBACK) return `candidate ${candidate} is rolled back (0%), stable ${stable} serves 100%`;
  return `candidate ${candidate} at ${describeStage(m.rollout)}, stable ${stable} keeps ${split[stable]}%`;
}

export function stageIndex(m: ModelConfig): number {
  return m.rollout.stages.findIndex((s) => s.name === m.rollout.stage);
}

export function lastStage(m: ModelConfig): { name: string; weight: number } {
  return m.rollout.stages[m.rollout.stages.length - 1];
}

/**
 * Fully rolled out: the stable version (it got there by finishing a rollout, even if a newer
 * candidate is in flight now), or the candidate at the last stage (100%).
 */
export function fullyRolledOut(m: ModelConfig, version: string): boolean {
  if (m.rollout.candidate === version) return m.rollout.stage === lastStage(m).name;
  return m.rollout.stable === version;
}

/** `llmops rollout <verb> MODEL --stack STACK`, for hints. */
export function rolloutCommand(verb: string, model: string, stack: string, extra = ""): string {
  return `llmops rollout ${verb} ${model} --stack ${stack}${extra}`;
}
