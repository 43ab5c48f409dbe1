import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import type { PlannedResource } from "../../lib/plan";
import { ROOT } from "../helpers/project";

/**
 * Plays the Pulumi engine's side of a policy pack without the Pulumi CLI: starts `policies/` the
 * way `pulumi preview --policy-pack policies` does (Pulumi's own run-policy-pack, ts-node, the
 * pack folder as working directory) and speaks the Analyzer gRPC protocol to it, so the test
 * covers the real PolicyPack, its config schema and the unknown-value proxies of preview.
 */

// The generated gRPC stubs are CommonJS; they are loaded from the SDK's own dependencies, as the engine's peer.
const SDK = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [ROOT] }));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [SDK] }));
const services = require(path.join(SDK, "proto/analyzer_grpc_pb.js"));
const messages = require(path.join(SDK, "proto/analyzer_pb.js"));
const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [SDK] }));
const emptyproto = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [SDK] }));

/** What the engine sends for a value unknown during preview (sdk/go/common/resource/plugin). */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;

export interface Diagnostic {
  readonly policy: string;
  readonly level: (typeof LEVELS)[number];
  readonly message: string;
  readonly urn: string;
}

/** The plan's `"[unknown]"` goes back to the wire sentinel, so the pack sees what preview sends. */
function toWire(value: unknown): unknown {
  if (value === "[unknown]") return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map(toWire);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  return value;
}

function options(r: PlannedResource) {
  return new messages.AnalyzerResourceOptions().setProtect(r.options.protect).setIgnorechangesList([...r.options.ignoreChanges]);
}

const props = (r: PlannedResource) => structproto.Struct.fromJavaScript(toWire(r.inputs));

function diagnostics(response: { getDiagnosticsList(): unknown[] }): Diagnostic[] {
  return response.getDiagnosticsList().map((d: any) => ({ policy: d.getPolicyname(), level: LEVELS[d.getEnforcementlevel()], message: d.getMessage(), urn: d.getUrn() }));
}

export class PackProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
  ) {}

  /** Starts the pack and waits for the port it prints, as the engine does. */
  static async start(): Promise<PackProcess> {
    const runner = path.join(SDK, "cmd/run-policy-pack");
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: path.join(ROOT, "policies"), stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += String(d)));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (d) => {
        out += String(d);
        const line = /^(\d+)\s*$/m.exec(out);
        if (line) resolve(line[1]);
      });
      child.once("exit", (code) => reject(new Error(`policy pack exited with ${code} before serving:\n${stderr}`)));
    });
    const client = new services.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PackProcess(child, client);
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => this.client[method](request, (err: Error | null, res: T) => (err ? reject(err) : resolve(res))));
  }

  async info(): Promise<{ name: string; version: string; supportsConfig: boolean; policies: { name: string; level: string; severity: number; configKeys: string[] }[] }> {
    const res: any = await this.call("getAnalyzerInfo", new emptyproto.Empty());
    return {
      name: res.getName(),
      version: res.getVersion(),
      supportsConfig: res.getSupportsconfig(),
      policies: res.getPoliciesList().map((p: any) => ({
        name: p.getName(),
        level: LEVELS[p.getEnforcementlevel()],
        severity: p.getSeverity(),
        configKeys: Object.keys(p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}),
      })),
    };
  }

  /** `--policy-pack-config`: every entry carries its level, as the engine resolves it. */
  async configure(config: Readonly<Record<string, { enforcementLevel: string } & Record<string, unknown>>>): Promise<void> {
    const request = new messages.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, { enforcementLevel, ...settings }] of Object.entries(config)) {
      map.set(name, new messages.PolicyConfig().setEnforcementlevel(LEVELS.indexOf(enforcementLevel as never)).setProperties(structproto.Struct.fromJavaScript(settings)));
    }
    await this.call("configure", request);
  }

  /** One resource before it is created or updated (`Analyze`). */
  async analyze(r: PlannedResource): Promise<Diagnostic[]> {
    const request = new messages.AnalyzeRequest().setUrn(r.urn).setType(r.type).setName(r.name).setProperties(props(r)).setOptions(options(r));
    return diagnostics(await this.call("analyze", request));
  }

  /** The whole stack at the end of the preview (`AnalyzeStack`). */
  async analyzeStack(resources: readonly PlannedResource[]): Promise<Diagnostic[]> {
    const list = resources.map((r) => {
      const resource = new messages.AnalyzerResource().setUrn(r.urn).setType(r.type).setName(r.name).setProperties(props(r)).setOptions(options(r));
      return r.parent ? resource.setParent(r.parent) : resource;
    });
    return diagnostics(await this.call("analyzeStack", new messages.AnalyzeStackRequest().setResourcesList(list)));
  }

  stop(): void {
    this.client.close();
    this.child.kill();
  }
}
