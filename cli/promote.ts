import * as path from "node:path";
import { isMap, isScalar } from "yaml";
import type { StackSettings } from "../infra/settings";
import { versionDigest } from "../infra/models/config/digest";
import { describeStage } from "../infra/models/config/rollout";
import { ROLLBACK, type ModelConfig, type VersionConfig } from "../infra/models/config/schema";
import { didYouMean } from "../lib/suggest";
import { fullyRolledOut, lastStage, modelKeys, modelOf, rolloutCommand, stageIndex, standing } from "./model-state";
import { UserError } from "./project";
import { type EditResult, conclude } from "./rollout";
import { StackFileEdit } from "./stack-edit";

export interface PromoteOptions {
  readonly dir: string;
  readonly model: string;
  readonly version: string;
  readonly from: string;
  readonly to: string;
  /** Replace a candidate that is in flight in the target. */
  readonly force?: boolean;
  readonly dryRun?: boolean;
}

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** The version's definition as written, before any schema default: what promotion copies. */
function rawVersion(edit: StackFileEdit, versions: readonly string[], version: string, model: string): Record<string, unknown> {
  const node = edit.node(versions);
  const names = isMap(node) ? node.items.map((p) => (isScalar(p.key) ? String(p.key.value) : "")).filter(Boolean) : [];
  if (!names.includes(version)) throw new UserError(`unknown version "${version}" of ${model} in ${path.basename(edit.file)}${didYouMean(version, names)}; versions there: ${names.join(", ") || "none"}`);
  const value = (edit.doc().getIn([...versions, version]) as { toJSON?: () => unknown } | undefined)?.toJSON?.();
  return (value ?? {}) as Record<string, unknown>;
}

/**
 * What "pinned" means for promotion: the bits prod serves are exactly the bits dev tested. The
 * image by digest; the artifact at a path naming the version (so no other upload overwrites
 * it), inside the stack's own bucket (so the copied definition means the same in the target).
 */
function pinningProblems(raw: Record<string, unknown>, version: string, source?: StackSettings): string[] {
  const problems: string[] = [];
  const image = String(raw.image ?? "");
  const artifact = String(raw.artifactUri ?? "");
  const inside = artifact.replace(/^gs:\/\/[^/]+\//, "");
  if (!DIGEST.test(image)) problems.push(`its image "${image}" is not pinned by digest; allowed: NAME@sha256:<64 hex digits> (a tag can move after it was tested)`);
  if (!inside.split("/").includes(version)) problems.push(`its artifact "${artifact}" does not name the version, so another upload can overwrite it; allowed: a path with /${version}/ in it, such as <model>/${version}/`);
  if (!source) return problems;
  // Stack-neutral: the definition is copied verbatim, so it must not point into the source stack.
  if (image.startsWith(`${source.platform.registries.imagesUri}/`)) problems.push(`its image names ${source.stack}'s own repository; write it relative to the stack's images repository (${image.slice(source.platform.registries.imagesUri.length + 1)}) so that it means the same in every stack`);
  if (artifact.startsWith(`gs://${source.platform.buckets.models.name}/`)) problems.push(`its artifact names ${source.stack}'s own models bucket; write the path inside the bucket (${inside}) so that it means the same in every stack`);
  return problems;
}

function refuseUnpinned(problems: readonly string[], o: PromoteOptions): void {
  if (problems.length) throw new UserError(`refusing to promote ${o.model} ${o.version} from ${o.from}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

function refuseUnlessRolledOut(m: ModelConfig, o: PromoteOptions): void {
  if (fullyRolledOut(m, o.version)) return;
  const where = `${o.model} ${o.version} is not fully rolled out in ${o.from} (${standing(m)})`;
  if (m.rollout.candidate === o.version && m.rollout.stage === ROLLBACK) throw new UserError(`${where}: it was rolled back there, so it cannot be promoted`);
  if (m.rollout.candidate === o.version) {
    const left = m.rollout.stages.length - 1 - stageIndex(m);
    throw new UserError(`${where}. Advance it to ${lastStage(m).name} first (${left} more stage${left > 1 ? "s" : ""}): ${rolloutCommand("advance", o.model, o.from)}`);
  }
  throw new UserError(`${where}: it is not serving there. Roll it out in ${o.from} first (set rollout.candidate to ${o.version}), then promote`);
}

/** Commands that copy the version's bits from the source stack's bucket and registry to the target's. */
function copyCommands(o: PromoteOptions, v: VersionConfig, source: StackSettings, target: StackSettings): string[] {
  const lines: string[] = [];
  if (v.artifactUri.startsWith("gs://")) lines.push(`# artifacts: ${v.artifactUri} is shared by both stacks; ${target.stack}'s serving account needs read access to it`);
  else {
    const dir = v.artifactUri.endsWith("/") ? v.artifactUri : `${v.artifactUri}/`;
    lines.push(`gcloud storage rsync --recursive gs://${source.platform.buckets.models.name}/${dir} gs://${target.platform.buckets.models.name}/${dir}`);
  }
  const first = v.image.split("/")[0];
  if (v.image.includes("/") && (first.includes(".") || first.includes(":"))) lines.push(`# image: ${v.image} is a full reference; ${target.stack}'s serving account needs pull access to it`);
  else {
    // Tagged, because the repositories delete untagged images after 30 days (infra/platform/registries.ts).
    const name = v.image.split("@")[0];
    lines.push(`crane copy ${source.platform.registries.imagesUri}/${v.image} ${target.platform.registries.imagesUri}/${name}:${o.model}-${o.version}`);
  }
  return lines;
}

/** The target's decision about an existing definition or candidate; undefined to go ahead. */
function targetState(m: ModelConfig, o: PromoteOptions, digest: string): { done: string } | undefined {
  const existing = m.versions[o.version];
  if (existing && versionDigest(existing) !== digest) {
    throw new UserError(
      `${o.to} already defines ${o.model} ${o.version} differently (its definition hashes to ${versionDigest(existing)}, ${o.from}'s to ${digest}). ` +
        `Released versions are immutable: give the new definition a new version in ${o.from}`,
    );
  }
  if (m.rollout.stable === o.version) return { done: `${o.model} ${o.version} is already stable in ${o.to}; nothing to promote` };
  if (m.rollout.candidate === o.version && m.rollout.stage !== ROLLBACK) return { done: `${o.model} ${o.version} is already the candidate in ${o.to} at ${describeStage(m.rollout)}; move it on with ${rolloutCommand("advance", o.model, o.to)}` };
  if (m.rollout.candidate !== undefined && m.rollout.candidate !== o.version && m.rollout.stage !== ROLLBACK && !o.force) {
    throw new UserError(
      `${o.to} already has a candidate in flight: ${standing(m)}. Finish it (${rolloutCommand("finish", o.model, o.to)}) or roll it back (${rolloutCommand("rollback", o.model, o.to)}) first, ` +
        `or pass --force to replace it (${m.rollout.candidate} is then undeployed)`,
    );
  }
  return undefined;
}

/**
 * Copies a fully rolled-out version from one stack file to another and makes it the target's
 * candidate at the first stage. The version is stamped `released` in both files.
 */
export function promote(o: PromoteOptions): EditResult {
  if (o.from === o.to) throw new UserError(`--from and --to are both ${o.from}; promotion copies a version between two stacks`);
  const source = new StackFileEdit(o.dir, o.from);
  const target = new StackFileEdit(o.dir, o.to);
  const srcKeys = modelKeys(source, o.model);
  const raw = rawVersion(source, srcKeys.versions, o.version, o.model);
  // Before the schema, which would reject an unpinned image too, but without saying why it matters here.
  refuseUnpinned(pinningProblems(raw, o.version), o);
  const srcSettings = source.validate(`promoting from ${o.from}`);
  refuseUnpinned(pinningProblems(raw, o.version, srcSettings), o);
  const srcModel = modelOf(srcSettings, o.model);
  refuseUnlessRolledOut(srcModel, o);

  const dstKeys = (() => {
    try {
      return modelKeys(target, o.model);
    } catch {
      throw new UserError(`${o.model} is not defined in ${path.basename(target.file)}: add its serving and rollout blocks there first (where and how it serves in ${o.to} is ${o.to}'s decision), then promote`);
    }
  })();
  const dstSettings = target.validate(`promoting into ${o.to}`);
  const dstModel = modelOf(dstSettings, o.model);
  const version = srcModel.versions[o.version];
  const digest = versionDigest(version);
  const state = targetState(dstModel, o, digest);
  if (state) return { message: state.done, patches: [], written: false };

  if (!version.released) source.set([...srcKeys.versions, o.version, "released"], digest);
  if (!dstModel.versions[o.version]) target.insertLines(dstKeys.versions, source.pairLines([...srcKeys.versions, o.version]), null);
  const first = dstModel.rollout.stages[0];
  const replaced = dstModel.rollout.candidate && dstModel.rollout.candidate !== o.version ? ` replacing candidate ${dstModel.rollout.candidate} (was ${describeStage(dstModel.rollout)})` : "";
  target.set([...dstKeys.rollout, "candidate"], o.version, { after: "stable", like: [...dstKeys.rollout, "stable"] });
  target.set([...dstKeys.rollout, "stage"], first.name, { after: "candidate" });

  const result = conclude([source, target], o.dryRun, `${o.model} ${o.version}: ${o.from} → ${o.to}, candidate at ${first.name} ${first.weight}%${replaced}; stable ${dstModel.rollout.stable} keeps ${100 - first.weight}%`);
  const copy = copyCommands(o, version, srcSettings, dstSettings);
  const next = `Then: ${rolloutCommand("advance", o.model, o.to)} (one stage at a time in prod), and ${rolloutCommand("finish", o.model, o.to)} at ${lastStage(dstModel).name}.`;
  return { ...result, message: `${result.message}\n\nBefore \`pulumi up\` on ${o.to}, copy the bits (its registry upload reads them from ${o.to}'s bucket and registry):\n${copy.map((l) => `  ${l}`).join("\n")}\n${next}` };
}
