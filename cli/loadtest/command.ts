import * as fs from "node:fs";
import * as path from "node:path";
import { endpointId } from "../../infra/models/config";
import { sloOf } from "../../infra/monitoring/config";
import { UserError } from "../project";
import { StackFileEdit } from "../stack-edit";
import { modelKeys } from "../model-state";
import { parseWindow } from "../analysis/live";
import type { Protocol, Target } from "./client";
import { formatPrompt } from "./prompt";
import { type LoadTestReport, buildReport, cdfSvg, markdown, overTimeSvg } from "./report";
import { runLoad } from "./run";

export interface LoadTestOptions {
  readonly dir: string;
  readonly stack: string;
  readonly model: string;
  readonly version?: string;
  readonly target?: string;
  readonly protocol?: Protocol;
  readonly rate?: number;
  readonly concurrency?: number;
  readonly duration: string;
  readonly ramp?: string;
  readonly prompts: string;
  readonly out?: string;
  readonly seed?: number;
  readonly maxTokens?: number;
  readonly timeout?: string;
}

const duration = (flag: string, text: string) => {
  const s = /^(\d+)s$/.exec(text);
  if (s) return Number(s[1]) * 1000;
  try {
    return parseWindow(text);
  } catch {
    throw new UserError(`${flag} "${text}" is not a duration; allowed: whole seconds, minutes or hours such as 30s, 5m, 1h`);
  }
};

/** Reads the JSONL dataset and formats each record with the version's prompt template. */
export function loadPrompts(file: string, template: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UserError(`cannot read the prompts file ${file}`);
  }
  const lines = text.split("\n").filter((l) => l.trim());
  if (!lines.length) throw new UserError(`${file} has no records; expected JSONL, one object a line`);
  return lines.map((line, i) => {
    try {
      return formatPrompt(template, JSON.parse(line) as Record<string, unknown>);
    } catch (err) {
      throw new UserError(`${file}:${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
}

export async function loadTest(o: LoadTestOptions): Promise<{ report: LoadTestReport; files: string[] }> {
  if ((o.rate === undefined) === (o.concurrency === undefined)) throw new UserError("give exactly one of --rate R (open loop, requests per second) or --concurrency C (closed loop)");
  if (o.rate !== undefined && !(o.rate > 0)) throw new UserError(`--rate must be a number of requests per second above 0, got ${o.rate}`);
  if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && o.concurrency > 0)) throw new UserError(`--concurrency must be a whole number above 0, got ${o.concurrency}`);
  const edit = new StackFileEdit(o.dir, o.stack);
  modelKeys(edit, o.model);
  const settings = edit.validate("load-testing it");
  const model = settings.models[o.model];
  const c = model.config;
  const version = o.version ?? c.rollout.candidate ?? c.rollout.stable;
  const v = c.versions[version];
  if (!v) throw new UserError(`unknown version "${version}" of ${o.model} in ${o.stack}; versions: ${Object.keys(c.versions).join(", ")}`);
  const prompts = loadPrompts(path.resolve(o.dir, o.prompts), v.promptTemplate);
  const durationMs = duration("--duration", o.duration);
  const rampMs = o.ramp ? duration("--ramp", o.ramp) : 0;
  if (rampMs > durationMs) throw new UserError(`--ramp ${o.ramp} is longer than --duration ${o.duration}`);

  let url: URL;
  let protocol: Protocol = o.protocol ?? (c.serving.platform === "vertex" ? "vertex-stream" : "openai");
  const headers: Record<string, string> = {};
  if (o.target) {
    try {
      url = new URL(o.target);
    } catch {
      throw new UserError(`--target "${o.target}" is not a URL such as http://localhost:8000/v1/completions`);
    }
    if (url.pathname === "/" && protocol === "openai") url = new URL(v.predictRoute, url);
  } else if (c.serving.platform === "vertex") {
    // The endpoint applies its traffic split: a version is reached alone only where it has all of it.
    const region = c.serving.regions[0];
    const verb = { "vertex-predict": "predict", "vertex-raw": "rawPredict", "vertex-stream": "streamRawPredict", openai: "streamRawPredict" }[protocol];
    if (protocol === "openai") protocol = "vertex-stream";
    url = new URL(`https://${region}-aiplatform.googleapis.com/v1/projects/${settings.project}/locations/${region}/endpoints/${endpointId(settings.project, o.model, region)}:${verb}`);
  } else {
    throw new UserError(`${o.model} is served on GKE: give --target with the front door's URL (e.g. https://FRONT-DOOR/${o.model}${v.predictRoute}); the route has no per-version match yet, so the rollout's split applies`);
  }
  if (protocol.startsWith("vertex") && url.hostname.endsWith("googleapis.com")) {
    const { GoogleAuth } = require("google-auth-library") as typeof import("google-auth-library");
    try {
      const token = await new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/cloud-platform"] }).getAccessToken();
      headers.authorization = `Bearer ${token}`;
    } catch (err) {
      throw new UserError(`cannot call Vertex AI: no Application Default Credentials (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); run gcloud auth application-default login`);
    }
  }
  const target: Target = { url, protocol, model: o.model, maxTokens: o.maxTokens ?? 256, headers, timeoutMs: o.timeout ? duration("--timeout", o.timeout) : 600_000 };
  const load = o.rate !== undefined ? ({ mode: "open", rate: o.rate } as const) : ({ mode: "closed", concurrency: o.concurrency! } as const);
  const tty = process.stderr.isTTY;
  const result = await runLoad({
    target,
    load,
    durationMs,
    rampMs,
    prompts,
    seed: o.seed ?? 1,
    progress: tty
      ? (done, sent, completed, errors) => {
          const width = 30;
          process.stderr.write(`\r[${"#".repeat(Math.round(done * width)).padEnd(width, ".")}] ${(done * 100).toFixed(0).padStart(3)}%  sent ${sent}  done ${completed}  errors ${errors}`);
        }
      : undefined,
  });
  if (tty) process.stderr.write("\n");
  const slo = sloOf(c);
  const { report, e2e } = buildReport(result, slo, {
    stack: o.stack,
    model: o.model,
    version,
    target: url.origin + url.pathname,
    protocol,
    ...(load.mode === "open" ? { mode: "open", rate: load.rate } : { mode: "closed", concurrency: load.concurrency }),
    durationMs,
    rampMs,
    seed: o.seed ?? 1,
  });
  const files: string[] = [];
  if (o.out) {
    const out = path.resolve(o.dir, o.out);
    fs.mkdirSync(out, { recursive: true });
    const over = overTimeSvg(result);
    const write = (name: string, text: string) => {
      fs.writeFileSync(path.join(out, name), text);
      files.push(path.join(out, name));
    };
    write("report.json", JSON.stringify(report, null, 2) + "\n");
    write("report.md", markdown(report, `${o.model} ${version} (${o.stack})`));
    write("latency-cdf.svg", cdfSvg(e2e, slo.latencyP99Ms));
    write("latency-over-time.svg", over.latency);
    write("throughput-over-time.svg", over.throughput);
  }
  return { report, files };
}
