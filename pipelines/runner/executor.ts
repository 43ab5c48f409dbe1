/**
 * One container task on this machine: its ExecutorInput built as the KFP driver builds it
 * (kubeflow/pipelines `backend/src/v2/driver`: parameter values resolved and completed with the
 * component's defaults, output artifacts given URIs under the pipeline root, output parameters
 * given files, `outputs.outputFile` for the ExecutorOutput), the command line resolved, the step
 * run as a subprocess (the KFP SDK's local `SubprocessRunner` is the model: the image is not
 * pulled, the command runs with `python3` from this machine and the steps package on
 * `PYTHONPATH`), then its outputs collected: output parameter files, and the ExecutorOutput's
 * parameter values and artifact metadata when the step wrote one.
 */

import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ComponentSpec, ContainerSpec } from "../compiler/ir";
import type { JsonValue } from "../dsl/types";
import { resolveCommandLine, resolveText, type ExecutorInput, type RuntimeArtifact, type SystemValues } from "./placeholders";

export interface ContainerRun {
  readonly taskPath: string;
  readonly component: ComponentSpec;
  readonly container: ContainerSpec;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  readonly artifacts: Readonly<Record<string, RuntimeArtifact[]>>;
  /** Where this task's output artifacts live (`<pipeline root>/<run>/<task path>`). */
  readonly artifactDir: string;
  /** The task's own folder: output parameter files, ExecutorOutput, log. */
  readonly taskDir: string;
  readonly system: SystemValues;
  readonly python: string;
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

export interface ContainerResult {
  readonly ok: boolean;
  readonly parameters: Record<string, JsonValue>;
  readonly artifacts: Record<string, RuntimeArtifact[]>;
  readonly error?: string;
  readonly logFile: string;
  readonly command: readonly string[];
}

/** Parses an output parameter file as its declared type (the launcher's rule: text for STRING, JSON otherwise). */
export function parseOutputParameter(text: string, type: string, name: string): JsonValue {
  switch (type) {
    case "STRING":
      return text;
    case "NUMBER_INTEGER": {
      const value = Number(text.trim());
      if (!Number.isFinite(value) || !Number.isInteger(value)) throw new Error(`output parameter ${name} is ${JSON.stringify(text)}, not an integer`);
      return value;
    }
    case "NUMBER_DOUBLE": {
      const value = Number(text.trim());
      if (text.trim() === "" || !Number.isFinite(value)) throw new Error(`output parameter ${name} is ${JSON.stringify(text)}, not a number`);
      return value;
    }
    case "BOOLEAN":
      if (text.trim() !== "true" && text.trim() !== "false") throw new Error(`output parameter ${name} is ${JSON.stringify(text)}, not true or false`);
      return text.trim() === "true";
    default:
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        throw new Error(`output parameter ${name} (${type}) is not JSON: ${JSON.stringify(text.slice(0, 80))}`);
      }
  }
}

export function buildExecutorInput(run: ContainerRun): ExecutorInput {
  const outputs = run.component.outputDefinitions ?? {};
  return {
    inputs: {
      parameterValues: { ...run.parameters },
      artifacts: Object.fromEntries(Object.entries(run.artifacts).map(([name, list]) => [name, { artifacts: list }])),
    },
    outputs: {
      parameters: Object.fromEntries(Object.keys(outputs.parameters ?? {}).map((name) => [name, { outputFile: path.join(run.taskDir, "outputs", name) }])),
      artifacts: Object.fromEntries(
        Object.entries(outputs.artifacts ?? {}).map(([name, spec]) => [name, { artifacts: [{ name, uri: path.join(run.artifactDir, name), metadata: {}, type: { ...spec.artifactType } }] }]),
      ),
      outputFile: path.join(run.taskDir, "executor_output.json"),
    },
  };
}

/** The step's own reason: its last `error:` line on stderr, else its last line. */
export function stepError(stderr: string, code: number | null, signal: string | null): string {
  const lines = stderr.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
  const reported = [...lines].reverse().find((l) => /^error: /.test(l) || /: error: /.test(l));
  const reason = reported ?? lines[lines.length - 1];
  const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
  return reason ? `${reason.replace(/^error: /, "")} (${how})` : how;
}

export async function runContainer(run: ContainerRun): Promise<ContainerResult> {
  fs.mkdirSync(run.taskDir, { recursive: true });
  fs.mkdirSync(run.artifactDir, { recursive: true });
  const input = buildExecutorInput(run);
  fs.writeFileSync(path.join(run.taskDir, "executor_input.json"), `${JSON.stringify(input, null, 2)}\n`);
  const command = resolveCommandLine([...(run.container.command ?? []), ...(run.container.args ?? [])], input, run.system);
  const logFile = path.join(run.taskDir, "log.txt");
  if (command.length === 0) return { ok: false, parameters: {}, artifacts: {}, error: "the container has no command (the image's ENTRYPOINT cannot run locally)", logFile, command };
  const [program, ...args] = command;
  const executable = program === "python3" || program === "python" ? run.python : program;
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...run.env };
  for (const { name, value } of run.container.env ?? []) env[name] = resolveText(value, input, run.system);

  const { code, signal, stderr } = await new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
    const log = fs.openSync(logFile, "w");
    fs.writeSync(log, `$ ${[executable, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(" ")}\n`);
    const child = spawn(executable, args, { cwd: run.taskDir, env, stdio: ["ignore", "pipe", "pipe"] });
    let errText = "";
    child.stdout.on("data", (chunk: Buffer) => fs.writeSync(log, chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      errText += chunk.toString("utf8");
      fs.writeSync(log, chunk);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), run.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      fs.closeSync(log);
      resolve({ code: null, signal: null, stderr: `error: cannot start ${executable}: ${err.message}` });
    });
    child.on("close", (exitCode, exitSignal) => {
      clearTimeout(timer);
      fs.closeSync(log);
      resolve({ code: exitCode, signal: exitSignal, stderr: errText });
    });
  });
  if (code !== 0) return { ok: false, parameters: {}, artifacts: {}, error: stepError(stderr, code, signal), logFile, command };

  try {
    return { ok: true, ...collectOutputs(run, input), logFile, command };
  } catch (err) {
    return { ok: false, parameters: {}, artifacts: {}, error: (err as Error).message, logFile, command };
  }
}

interface ExecutorOutputFile {
  parameterValues?: Record<string, JsonValue>;
  artifacts?: Record<string, { artifacts?: { uri?: string; metadata?: Record<string, JsonValue> }[] }>;
}

function collectOutputs(run: ContainerRun, input: ExecutorInput): { parameters: Record<string, JsonValue>; artifacts: Record<string, RuntimeArtifact[]> } {
  let written: ExecutorOutputFile = {};
  if (fs.existsSync(input.outputs.outputFile)) {
    try {
      written = JSON.parse(fs.readFileSync(input.outputs.outputFile, "utf8")) as ExecutorOutputFile;
    } catch (err) {
      throw new Error(`the step wrote an ExecutorOutput that is not JSON: ${(err as Error).message}`);
    }
  }
  const parameters: Record<string, JsonValue> = {};
  for (const [name, spec] of Object.entries(run.component.outputDefinitions?.parameters ?? {})) {
    if (written.parameterValues && Object.prototype.hasOwnProperty.call(written.parameterValues, name)) {
      parameters[name] = written.parameterValues[name];
      continue;
    }
    const file = input.outputs.parameters[name].outputFile;
    if (!fs.existsSync(file)) throw new Error(`the step wrote no value for output parameter ${name} (expected in ${file})`);
    parameters[name] = parseOutputParameter(fs.readFileSync(file, "utf8"), spec.parameterType, name);
  }
  const artifacts: Record<string, RuntimeArtifact[]> = {};
  for (const [name, entry] of Object.entries(input.outputs.artifacts)) {
    const base = entry.artifacts[0];
    const reported = written.artifacts?.[name]?.artifacts?.[0];
    artifacts[name] = [{ ...base, uri: reported?.uri || base.uri, metadata: { ...base.metadata, ...(reported?.metadata ?? {}) } }];
  }
  return { parameters, artifacts };
}
