import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { type ConfigProblem, type StackSettings, parseStackConfig } from "../settings";
import { type Registration, recordRegistrations, toPlainJson } from "./capture";
import { planMocks } from "./mock-outputs";
import { type Captured, collect, defaultProviderConfig } from "./render";
import { readProjectFile, stackFileFromText } from "./stack-files";
import type { Plan, PlannedResource } from "../../lib/plan";
import { loadSdk } from "./sdk";

/** The capabilities `renderComponent` can render, one builder each in infra/llmops.ts. */
export const CAPABILITIES = ["platform", "gke", "models", "monitoring", "pipelines"] as const;
export type Capability = (typeof CAPABILITIES)[number];

export interface ComponentRequest {
  readonly capability: Capability;
  /** The project folder: its Pulumi.yaml gives the project's name and config defaults. */
  readonly dir: string;
  /** The stack file the config is laid over, `…/Pulumi.<stack>.yaml` (e.g. a small fixture stack). */
  readonly stackFile: string;
  /**
   * Stack-file keys (`namespace:key`, or `key` for the project's namespace) and their values as
   * a stack file's YAML gives them, `{ secure: … }` included. Each replaces the stack file's key
   * whole, as a stack file's key replaces Pulumi.yaml's default.
   */
  readonly config?: Readonly<Record<string, unknown>>;
}

export type ComponentResult = { ok: true; plan: Plan } | { ok: false; problems: ConfigProblem[] };

interface ComponentInputs {
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  readonly settings: StackSettings;
}

/**
 * The stack file with `config` laid over it, read and resolved through the settings layer as a
 * stack's own file is: secure values masked, every rule checked, every default applied. Pulumi is
 * not loaded, so a configuration mistake costs no render.
 */
export function componentInputs(request: ComponentRequest): { ok: true; inputs: ComponentInputs } | { ok: false; problems: ConfigProblem[] } {
  const project = readProjectFile(request.dir);
  if (!project.ok) return project;
  const file = path.basename(request.stackFile);
  const stack = /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1];
  if (!stack) return { ok: false, problems: [{ file, key: "(file)", message: "a stack file is named Pulumi.<stack>.yaml" }] };
  if (!fs.existsSync(request.stackFile)) return { ok: false, problems: [{ file, key: "(file)", message: `not found: ${request.stackFile}` }] };
  // Laid over as YAML, so the overlay's values go through the same reading (and secret masking) as the file's.
  const doc = parseDocument(fs.readFileSync(request.stackFile, "utf8"));
  for (const [key, value] of Object.entries(request.config ?? {})) doc.setIn(["config", key], doc.createNode(value));
  const stackFile = stackFileFromText(stack, file, doc.toString(), project.value);
  if (!stackFile.ok) return stackFile;
  const parsed = parseStackConfig(stackFile.value.config, stack, stackFile.value.secretKeys);
  if (!parsed.ok) return parsed;
  if (request.capability === "gke" && !parsed.settings.gke) {
    return { ok: false, problems: [{ file, key: "llmops:gke", message: "not configured: rendering the gke capability needs llmops:gke in the config" }] };
  }
  return { ok: true, inputs: { project: project.value.name, stack, config: stackFile.value.config, secretKeys: stackFile.value.secretKeys, settings: parsed.settings } };
}

type Resource = import("@pulumi/pulumi").Resource;

/** What one capability's builder made: its components (the roots of what is returned) and its stack outputs. */
interface Built {
  readonly components: readonly (Resource | undefined)[];
  readonly outputs: Record<string, unknown>;
}

/**
 * Builds one capability as `createStack` does, with the real objects it needs from the
 * capabilities below it (the platform's accounts and registries, GKE's clusters, the models'
 * endpoints): the same builders, so the wiring cannot drift from the stack's. Only the target's
 * components are returned; the others are there because its narrow args name them.
 */
function build(capability: Capability, settings: StackSettings): Built {
  const stack: typeof import("../llmops") = require("../llmops");
  const platform = stack.buildPlatform(settings);
  switch (capability) {
    case "platform": {
      const { apis, buckets, registries, identities, ci } = platform;
      return {
        components: [apis, buckets, registries, identities, ci],
        outputs: { buckets: buckets.urls, imagesRepository: registries.imagesUri, pipelinesRepository: registries.pipelinesUri, serviceAccounts: identities.emails, ...(ci ? { ciWorkloadIdentityProvider: ci.providerName } : {}) },
      };
    }
    case "pipelines": {
      const { images, templates, schedules } = stack.buildPipelines(settings, platform);
      return { components: [images, templates, schedules], outputs: { pipelines: { images: images.images, templates: templates.templateUris, schedules: Object.keys(schedules.schedules), scheduleTemplates: schedules.templateUris } } };
    }
    case "gke": {
      const capacity = stack.buildGke(settings, platform);
      return { components: [capacity], outputs: { gke: capacity?.outputs } };
    }
    case "models": {
      const models = stack.buildModels(settings, platform, stack.buildGke(settings, platform));
      return { components: [models], outputs: { models: models.served } };
    }
    case "monitoring": {
      const capacity = stack.buildGke(settings, platform);
      const monitoring = stack.buildMonitoring(settings, platform, stack.buildModels(settings, platform, capacity), capacity);
      return { components: [monitoring], outputs: { monitoring: monitoring.outputs } };
    }
  }
}

/** The resources under `roots` (themselves included), in the plan's URN order. */
export function subtree(resources: readonly PlannedResource[], roots: ReadonlySet<string>): PlannedResource[] {
  const keep = new Set(roots);
  // Parents sort before their children only by accident of naming: close over the parent links instead.
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of resources) {
      if (!keep.has(r.urn) && r.parent !== null && keep.has(r.parent)) {
        keep.add(r.urn);
        grew = true;
      }
    }
  }
  return resources.filter((r) => keep.has(r.urn));
}

/**
 * Renders one capability's component in this process, under the same mocks and capture as a
 * stack's render (`renderInProcess`): its resources (the umbrella and everything under it) in
 * the plan format, and its stack outputs. The Pulumi runtime is process-global but is reset by
 * each render here, so a process may render several components one after another, never two at
 * once (`component-worker.ts` queues them).
 */
export async function renderComponentInProcess(request: ComponentRequest): Promise<ComponentResult> {
  const resolved = componentInputs(request);
  if (!resolved.ok) return resolved;
  const { project, stack, config, secretKeys, settings } = resolved.inputs;
  const pulumi = loadSdk();
  // setMocks resets the runtime's options and monitor: what an earlier render left is gone.
  await pulumi.runtime.setMocks(planMocks(settings.project), project, stack, true);
  const registrations: Map<string, Registration> = recordRegistrations(pulumi.runtime.getMonitor(), stack, project);
  const captured: Captured[] = [];
  let built: Built = { components: [], outputs: {} };
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      captured.push({ resource: args.resource, type: args.type, name: args.name, parent: args.opts.parent, props: args.props, opts: args.opts });
      return undefined;
    });
    built = build(request.capability, settings);
    return {};
  });
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const all = await collect(pulumi, captured, registrations);
  const roots = await Promise.all(built.components.filter((c): c is Resource => c !== undefined).map((c) => (c.urn as unknown as { promise(): Promise<string> }).promise()));
  const resources = subtree(all, new Set(roots));
  const outputs = (await toPlainJson(built.outputs)) as Record<string, unknown>;
  return { ok: true, plan: { project, stack, resources, defaultProviders: defaultProviderConfig(resources, config, secretKeys), outputs } };
}
