import type { Plan } from "../../lib/plan";
import { type PlannedModel, plannedModels } from "../../infra/models/planned";
import { ROLLBACK } from "../../infra/models/config/schema";
import type { ModelChange, SplitRow } from "./types";




const modelsOf = plannedModels;

/** The primary region first (as people name them), then the rest alphabetically. */
function regionOrder(primary: string | undefined) {
  return (a: string, b: string) => (a === primary ? -1 : b === primary ? 1 : a.localeCompare(b));
}

function list(items: readonly string[]): string {
  return items.join(", ");
}

function pct(m: PlannedModel, version: string): string {
  return `${m.split[version] ?? 0}%`;
}

function serving(m: PlannedModel): string {
  return m.candidate ? `stable ${m.stable} ${pct(m, m.stable)}, candidate ${m.candidate} at ${m.stageDescription}` : `stable ${m.stable} serving 100%`;
}

/** What happened to the rollout, in words, or undefined when the rollout state is unchanged. */
export function rolloutSentence(b: PlannedModel, a: PlannedModel, where: string): string | undefined {
  const keeps = (m: PlannedModel) => (m.split[m.stable] === 0 ? `stable ${m.stable} keeps 0% (still deployed, for a quick rollback)` : `stable ${m.stable} keeps ${pct(m, m.stable)}`);
  if (a.stable === b.stable && a.candidate === b.candidate) {
    if (a.stage === b.stage) return undefined;
    const c = a.candidate!;
    if (a.stage === ROLLBACK) return `${c} rolled back from ${b.stageDescription} ${where}; stable ${a.stable} takes 100% again (${c} stays deployed, without traffic)`;
    if (b.stage === ROLLBACK) return `${c} retried: rollback → ${a.stageDescription} ${where}; ${keeps(a)}`;
    return `${c} ${b.stageDescription} → ${a.stageDescription} ${where}; ${keeps(a)}`;
  }
  if (a.stable === b.stable && a.candidate !== undefined) {
    const replaced = b.candidate ? ` replacing candidate ${b.candidate} (was ${b.stageDescription}, now undeployed)` : "";
    return `${a.candidate} enters as candidate at ${a.stageDescription} ${where}${replaced}; ${keeps(a)}`;
  }
  if (a.stable === b.stable && b.candidate !== undefined) {
    return `candidate ${b.candidate} withdrawn (was ${b.stageDescription}) and undeployed ${where}; stable ${a.stable} takes 100%`;
  }
  if (a.candidate === undefined && b.candidate === a.stable) {
    const jump = b.split[a.stable] === 100 ? "" : ` (its traffic jumps from ${pct(b, a.stable)} to 100%: finished before the last stage)`;
    return `${a.stable} becomes stable ${where}, finishing its rollout from ${b.stageDescription}${jump}; ${b.stable} is undeployed`;
  }
  return `${serving(b)} → ${serving(a)} ${where}${a.stable !== b.stable ? `: stable changes from ${b.stable} to ${a.stable} at once, without a canary` : ""}`;
}

function splitRows(b: PlannedModel | undefined, a: PlannedModel | undefined, regions: readonly string[]): SplitRow[] {
  const rows: SplitRow[] = [];
  for (const region of regions) {
    const was = b?.regions[region]?.versions ?? {};
    const is = a?.regions[region]?.versions ?? {};
    const rank = (v: string) => (v === a?.stable ? 0 : v === a?.candidate ? 1 : v === b?.stable ? 2 : 3);
    const versions = [...new Set([...Object.keys(was), ...Object.keys(is)])].sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
    for (const version of versions) {
      const role = version === a?.stable ? "stable" : version === a?.candidate ? "candidate" : "undeployed";
      rows.push({ region, version, role, before: was[version]?.percent ?? null, after: is[version]?.percent ?? null });
    }
  }
  return rows;
}

/** Sentences for one model present on both sides. */
function sentencesOf(prefix: string, b: PlannedModel, a: PlannedModel, order: (x: string, y: string) => number): string[] {
  const common = Object.keys(a.regions).filter((r) => b.regions[r]).sort(order);
  const added = Object.keys(a.regions).filter((r) => !b.regions[r]).sort(order);
  const removed = Object.keys(b.regions).filter((r) => !a.regions[r]).sort(order);
  const out: string[] = [];
  const rollout = common.length ? rolloutSentence(b, a, `in ${list(common)}`) : undefined;
  if (rollout) out.push(`${prefix}${rollout}`);
  if (added.length) out.push(`${prefix}now also served in ${list(added)} (${serving(a)})`);
  if (removed.length) out.push(`${prefix}no longer served in ${list(removed)}: the endpoint${removed.length > 1 ? "s stop" : " stops"} serving`);
  // Same version, new deployed model id: the serving shape (machine, accelerator, identity) changed.
  const redeployed = common.filter((r) => Object.entries(a.regions[r].versions).some(([v, d]) => b.regions[r].versions[v] && b.regions[r].versions[v].deployedModelId !== d.deployedModelId));
  if (redeployed.length) out.push(`${prefix}redeployed on a new serving shape in ${list(redeployed)} (new deployed model ids)`);
  return out;
}

/** What happened to each model of a stack, in words and as a traffic-split table per region. */
export function modelChanges(stack: string, before: Plan | undefined, after: Plan | undefined): ModelChange[] {
  const old = modelsOf(before);
  const now = modelsOf(after);
  const order = regionOrder(String(after?.outputs.primaryRegion ?? before?.outputs.primaryRegion ?? ""));
  const changes: ModelChange[] = [];
  for (const model of [...new Set([...Object.keys(old), ...Object.keys(now)])].sort()) {
    const b = old[model];
    const a = now[model];
    const prefix = `${model}, ${stack}: `;
    const regions = [...new Set([...Object.keys(b?.regions ?? {}), ...Object.keys(a?.regions ?? {})])].sort(order);
    let sentences: string[];
    if (!b) sentences = [`${prefix}new model, ${serving(a)} in ${list(regions)}`];
    else if (!a) sentences = [`${prefix}removed; its endpoints in ${list(regions)} stop serving`];
    else sentences = sentencesOf(prefix, b, a, order);
    const split = splitRows(b, a, regions);
    const trafficMoved = split.some((row) => row.before !== row.after);
    if (sentences.length === 0 && !trafficMoved) continue;
    if (sentences.length === 0) sentences = [`${prefix}traffic split changes in ${list(regions)}`];
    changes.push({ model, sentences, split });
  }
  return changes;
}
