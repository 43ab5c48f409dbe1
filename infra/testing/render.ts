import * as path from "node:path";
import { ConfigError, type ConfigProblem, parseStackConfig } from "../settings";
import type { Registration } from "./capture";
import { type Plan, type PlannedResource, SECRET } from "../../lib/plan";
import { readProjectFile, readStackFile, secretInfo } from "./stack-files";
import { SECRET_PATHS_ENV } from "../settings/program-secrets";
import { loadSdk } from "./sdk";

/** `beforeRuntime`: the problems were found before the SDK ran anything (the process is as it was). */
export type RenderResult = { ok: true; plan: Plan } | { ok: false; problems: ConfigProblem[]; beforeRuntime?: true };

export interface RenderOptions {
  /** The project folder (holding Pulumi.yaml). */
  readonly dir: string;
  readonly stack: string;
  /** Override the stack file's config (tests): full `namespace:key` → string value. */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Benchmark only: run the program under the same mocks but capture nothing, to measure what
   * the plan machinery adds to the program's own cost. Returns a plan without resources.
   */
  readonly programOnly?: boolean;
}

export interface Captured {
  readonly resource: import("@pulumi/pulumi").Resource;
  readonly type: string;
  readonly name: string;
  readonly parent: import("@pulumi/pulumi").Resource | undefined;
  readonly props: Record<string, unknown>;
  readonly opts: import("@pulumi/pulumi").ResourceOptions;
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Reads and validates a stack's configuration without loading Pulumi. */
export function loadStackInputs(
  options: RenderOptions,
): { ok: true; project: string; main: string; config: Record<string, string>; secretKeys: string[]; secretPaths: readonly (readonly (string | number)[])[] } | { ok: false; problems: ConfigProblem[] } {
  const project = readProjectFile(options.dir);
  if (!project.ok) return project;
  const stackFile = readStackFile(options.dir, options.stack, project.value);
  if (!stackFile.ok) return stackFile;
  const config = options.config ?? stackFile.value.config;
  const parsed = parseStackConfig(config, options.stack, secretInfo(stackFile.value));
  if (!parsed.ok) return parsed;
  return { ok: true, project: project.value.name, main: project.value.main, config, secretKeys: stackFile.value.secretKeys, secretPaths: stackFile.value.secretPaths };
}

/**
 * Runs the stack's real program (the one `pulumi up` runs) under the Pulumi SDK's mock runtime
 * and returns its desired state. The SDK's runtime state is process-global: one render at a time
 * per process, in a worker (worker.ts), which runs the program afresh for each.
 */
export async function renderInProcess(options: RenderOptions): Promise<RenderResult> {
  // Configuration is validated before Pulumi is even loaded, so a mistake registers nothing.
  const inputs = loadStackInputs(options);
  if (!inputs.ok) return { ...inputs, beforeRuntime: true };

  process.env.PULUMI_CONFIG = JSON.stringify(inputs.config);
  process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(inputs.secretKeys);
  // Offline the program is told exactly where the secure values are; `pulumi up` reads its stack file.
  process.env[SECRET_PATHS_ENV] = JSON.stringify(inputs.secretPaths);
  // The SDK and the capture load only now: a configuration mistake is reported without them.
  const pulumi = loadSdk();
  const { recordRegistrations, toPlainJson } = require("./capture") as typeof import("./capture");
  const { planMocks } = require("./mock-outputs") as typeof import("./mock-outputs");
  // The SDK read the environment when it loaded, perhaps for an earlier render in this process.
  pulumi.runtime.setAllConfig(inputs.config, inputs.secretKeys);
  const gcpProject = inputs.config["gcp:project"];

  await pulumi.runtime.setMocks(planMocks(gcpProject), inputs.project, options.stack, true);
  const registrations = recordRegistrations(pulumi.runtime.getMonitor(), options.stack, inputs.project);

  const captured: Captured[] = [];
  let exported: Record<string, unknown> = {};
  const program = path.resolve(options.dir, inputs.main);
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation((args) => {
        if (!options.programOnly) captured.push({ resource: args.resource, type: args.type, name: args.name, parent: args.opts.parent, props: args.props, opts: args.opts });
        return undefined;
      });
      // The program runs when its entry loads: loaded again, if an earlier render in this process
      // (a render lane's) loaded it, with this stack's configuration.
      delete require.cache[require.resolve(program)];
      exported = require(program);
      return exported;
    });
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, problems: [...err.problems] };
    throw err;
  }
  if (options.programOnly) {
    // Wait for every registration the program started, as a deployment would.
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return { ok: true, plan: { project: inputs.project, stack: options.stack, resources: [], defaultProviders: {}, outputs: {} } };
  }
  // Every registration the program started must have reached the monitor before its record is read.
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const resources = await collect(pulumi, captured, registrations);
  const outputs = (await toPlainJson({ ...exported })) as Record<string, unknown>;
  const defaultProviders = defaultProviderConfig(resources, inputs.config, inputs.secretKeys);
  return { ok: true, plan: { project: inputs.project, stack: options.stack, resources, defaultProviders, outputs } };
}

/**
 * The configuration of each default provider the plan uses: the engine creates one per package
 * whose resources name no provider, configured from the stack's `<package>:*` keys (a Google
 * resource without a region input reads `gcp:region` from here). Secret values stay `[secret]`.
 */
export function defaultProviderConfig(resources: readonly PlannedResource[], config: Readonly<Record<string, string>>, secretKeys: readonly string[]): Record<string, Record<string, string>> {
  const packages = new Set<string>();
  for (const r of resources) {
    const pkg = r.type.split(":")[0];
    // Components have no provider; dynamic resources carry their own code; providers are explicit.
    if (r.options.provider === null && !r.type.startsWith("pulumi") && !r.type.startsWith("llmops:") && pkg) packages.add(pkg);
  }
  const secret = new Set(secretKeys);
  const out: Record<string, Record<string, string>> = {};
  for (const pkg of [...packages].sort()) {
    out[pkg] = {};
    for (const key of Object.keys(config).sort()) {
      if (key.startsWith(`${pkg}:`)) out[pkg][key.slice(pkg.length + 1)] = secret.has(key) ? SECRET : config[key];
    }
  }
  return out;
}

export async function collect(pulumi: typeof import("@pulumi/pulumi"), captured: Captured[], registrations: ReadonlyMap<string, Registration>): Promise<PlannedResource[]> {
  // `promise()` is the SDK's own accessor; URNs are always known under the mocks.
  const urnOf = (r: Resource) => (r.urn as unknown as { promise(): Promise<string> }).promise();
  const { digestProviderCode, toPlainJson } = require("./capture") as typeof import("./capture");
  const resources: PlannedResource[] = [];
  const seen = new Set<string>();
  // Resources created inside an apply appear while earlier ones resolve: loop until none is new.
  for (let done = 0; done < captured.length; ) {
    const batch = captured.slice(done);
    done = captured.length;
    for (const c of batch) {
      const urn = await urnOf(c.resource);
      if (seen.has(urn)) throw new Error(`two resources share the URN ${urn}; logical names must be unique per type and parent`);
      seen.add(urn);
      const registration = registrations.get(urn);
      if (!registration) throw new Error(`${urn} was captured but never registered with the engine`);
      const inputs = digestProviderCode((await toPlainJson(c.props)) as Record<string, unknown>);
      const dependsOn = await resolveDependencies(pulumi, c.opts.dependsOn);
      resources.push({
        urn,
        type: c.type,
        name: c.name,
        parent: c.parent && !isStack(c.parent) ? await urnOf(c.parent) : null,
        inputs,
        dependencies: registration.dependencies,
        options: {
          protect: c.opts.protect === true,
          retainOnDelete: c.opts.retainOnDelete === true,
          dependsOn: (await Promise.all(dependsOn.map(urnOf))).sort(),
          ignoreChanges: [...(c.opts.ignoreChanges ?? [])].sort(),
          provider: registration.provider,
          aliases: registration.aliases,
        },
      });
    }
  }
  return resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

type Resource = import("@pulumi/pulumi").Resource;

// `pulumi.output()` would try to unwrap the resources' own output fields; resolve by hand.
async function resolveDependencies(pulumi: typeof import("@pulumi/pulumi"), deps: import("@pulumi/pulumi").ResourceOptions["dependsOn"]): Promise<Resource[]> {
  const unwrap = async (v: unknown): Promise<unknown> => (pulumi.Output.isInstance(v) ? (v as unknown as { promise(): Promise<unknown> }).promise() : v);
  const value = await unwrap(deps);
  const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return (await Promise.all(list.map(unwrap))).filter((r): r is Resource => pulumi.Resource.isInstance(r));
}

function isStack(resource: import("@pulumi/pulumi").Resource): boolean {
  return (resource as unknown as { __pulumiType?: string }).__pulumiType === ROOT_STACK_TYPE;
}
