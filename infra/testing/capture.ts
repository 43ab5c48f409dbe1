import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { engineAliases, readAliasSpecs } from "./aliases";
import { SECRET, UNKNOWN } from "../../lib/plan";

/**
 * Resolves a value the program passed to a resource (or exported) into plain JSON: outputs are
 * awaited, secret outputs become "[secret]", outputs unknown before deploy become "[unknown]",
 * resources become their URN, `undefined` is dropped.
 */
export async function toPlainJson(value: unknown): Promise<unknown> {
  if (value === undefined || value === null) return value;
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown>;
    if (await pulumi.isSecret(output)) return SECRET;
    // `promise()` and `isKnown` are the SDK's own view of an output; no public accessor exists.
    const internal = output as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean> };
    if (!(await internal.isKnown)) return UNKNOWN;
    return toPlainJson(await internal.promise());
  }
  if (pulumi.Resource.isInstance(value)) return toPlainJson((value as pulumi.Resource).urn);
  if (value instanceof Promise) return toPlainJson(await value);
  if (pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value)) return "[asset]";
  if (Array.isArray(value)) return Promise.all((value as unknown[]).map(async (v) => (await toPlainJson(v)) ?? null));
  if (typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await toPlainJson(v)] as const));
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined));
  }
  if (typeof value === "function") return undefined;
  return value;
}

/**
 * Dynamic providers are serialized into the resource's `__provider` input: a page of minified
 * code that changes with every dependency bump. Plans show a short digest instead, so a diff says
 * "the provider changed" in one line.
 */
export function digestProviderCode(inputs: Record<string, unknown>): Record<string, unknown> {
  if (typeof inputs.__provider !== "string") return inputs;
  const digest = createHash("sha256").update(inputs.__provider).digest("hex").slice(0, 16);
  return { ...inputs, __provider: `[provider code sha256:${digest}]` };
}

/** What the SDK told the resource monitor about one registration: the engine's own dependency edges. */
export interface Registration {
  /** Every resource the engine waits for: `dependsOn` and property dependencies, as the SDK expanded them, plus the provider. */
  readonly dependencies: readonly string[];
  /** The explicit provider's URN, or null for the package's default provider. */
  readonly provider: string | null;
  /** Every old URN the engine would take this resource for, sorted (see `engineAliases`). */
  readonly aliases: readonly string[];
}

/** The subset of the SDK's `MockMonitor` this module wraps (`@pulumi/pulumi/runtime/mocks.js`). */
interface MockMonitorLike {
  newUrn(parent: string, type: string, name: string): string;
  registerResource(req: RegisterRequest, callback: (err: unknown, resp: { getUrn(): string } | undefined) => void): Promise<void>;
}
interface RegisterRequest {
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
  getProvider(): string;
  getType(): string;
  getName(): string;
  getParent(): string;
  getAliasesList(): unknown[];
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * Wraps the mock monitor the SDK talks to, so that a render sees what `pulumi up` would send the
 * engine: each registration's dependency URNs (`RegisterResourceRequest.dependencies`, which the
 * SDK fills from `dependsOn` and from every resource whose output flows into an input, expanding
 * components to their children) and its provider reference. The mock's URNs keep only the
 * parent's own type; the engine chains every ancestor's type, so URNs are made engine-form here
 * and the dependencies come out in the engine's spelling. Under mocks the SDK sends alias specs
 * (`supportsAliasSpecs`), which the engine would complete into URNs; that is done here too.
 */
export function recordRegistrations(monitor: unknown, stack: string, project: string): Map<string, Registration> {
  const mock = monitor as MockMonitorLike;
  if (typeof mock?.registerResource !== "function" || typeof mock.newUrn !== "function") {
    throw new Error("the Pulumi SDK's mock monitor changed shape: llmops plan cannot capture the dependency graph (see infra/testing/capture.ts)");
  }
  mock.newUrn = (parent, type, name) => {
    const parentType = parent ? parent.split("::")[2] : undefined;
    const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
  };
  const registrations = new Map<string, Registration>();
  const register = mock.registerResource.bind(mock);
  mock.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        const dependencies = new Set(req.getDependenciesList());
        req.getPropertydependenciesMap().forEach((deps) => deps.getUrnsList().forEach((urn) => dependencies.add(urn)));
        // A provider reference is `<urn>::<id>`; the engine waits for the provider like any dependency.
        const ref = req.getProvider();
        const provider = ref ? ref.slice(0, ref.lastIndexOf("::")) : null;
        if (provider) dependencies.add(provider);
        const urn = resp.getUrn();
        // The parent's and alias parents' registrations were recorded first: their URNs are in this request.
        const target = { urn, type: req.getType(), name: req.getName(), parent: req.getParent(), aliases: readAliasSpecs(req.getAliasesList()) };
        const aliases = engineAliases(target, (u) => registrations.get(u)?.aliases ?? [], stack, project);
        registrations.set(urn, { dependencies: [...dependencies].sort(), provider, aliases });
      }
      callback(err, resp);
    });
  return registrations;
}
