/**
 * Runs a compiled pipeline spec on this machine, task by task, with KFP's semantics:
 *
 * - A DAG's tasks run in dependency order (one at a time; among ready tasks, by name).
 * - A task runs when its upstream tasks succeeded (a skipped condition counts as done); with
 *   `ALL_UPSTREAM_TASKS_COMPLETED` (exit tasks) whatever happened upstream. Otherwise it is not
 *   run, and the DAG, then the run, fails.
 * - `triggerPolicy.condition` is evaluated over the task's resolved input parameters; false skips
 *   the task (a condition group's tasks are then not run).
 * - `parameterIterator` / `artifactIterator` run the loop's DAG once per item, the item bound to
 *   `itemInput`.
 * - Inputs: the enclosing DAG's inputs, upstream outputs, constants (their placeholders resolved
 *   against the task's other inputs and the run's system values), `taskFinalStatus` (the
 *   `PipelineTaskFinalStatus` struct of the producer), then the component's defaults.
 * - A DAG's outputs come from its `dag.outputs` (`valueFromOneof`: the first branch that produced
 *   a value).
 * - `retryPolicy.maxRetryCount` reruns a failed container at once. Caching is off: every task runs.
 *
 * Container tasks run as local processes (`executor.ts`); importers produce their artifact.
 */

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ComponentSpec, DagSpec, ImporterSpec, PipelineSpec, TaskSpec } from "../compiler/ir";
import type { JsonValue } from "../dsl/types";
import { evaluateCel } from "./cel";
import { runContainer } from "./executor";
import { resolveText, type ExecutorInput, type RuntimeArtifact, type SystemValues } from "./placeholders";
import { defaultPython } from "./python";

export type TaskState = "SUCCEEDED" | "FAILED" | "SKIPPED" | "NOT_TRIGGERED";

export interface LocalRunOptions {
  /** Root input values, typed (`encodeParameterValues`); missing ones take the spec's defaults. */
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** Holds `runs/<run id>/` (task folders, logs, `run.json`) and the pipeline root. */
  readonly workDir: string;
  readonly runId: string;
  /** `pipelines/steps`: put on the steps' `PYTHONPATH`. */
  readonly stepsDir: string;
  /** @default `python3` from `PATH`, as the interpreter it starts (`defaultPython`) */
  readonly python?: string;
  /** What `{{$.pipeline_google_cloud_project_id}}` and `…_location}}` resolve to. @default "local-project", "us-central1" */
  readonly project?: string;
  readonly location?: string;
  /** More environment for every step (the Google fakes' settings, for one). */
  readonly env?: Readonly<Record<string, string>>;
  /** @default 600000 */
  readonly taskTimeoutMs?: number;
  /** Receives the run log, one line at a time. @default no output */
  readonly log?: (line: string) => void;
  /** @default the system clock */
  readonly now?: () => Date;
}

export interface TaskRecord {
  /** `exit-handler-1/condition-branches-2/condition-3/tune-gemini`; loop iterations as `for-loop-1[0]`. */
  readonly path: string;
  readonly state: TaskState;
  readonly reason?: string;
  readonly attempts?: number;
  readonly durationMs?: number;
  readonly parameters?: Readonly<Record<string, JsonValue>>;
  readonly artifacts?: Readonly<Record<string, { readonly uri: string; readonly metadata: Readonly<Record<string, JsonValue>> }>>;
  readonly logFile?: string;
}

export interface LocalRunResult {
  readonly runId: string;
  readonly pipeline: string;
  readonly state: "SUCCEEDED" | "FAILED";
  /** For a failed run: the first failed task and the step's own error. */
  readonly error?: string;
  readonly outputs: { readonly parameters: Readonly<Record<string, JsonValue>>; readonly artifacts: Readonly<Record<string, RuntimeArtifact[]>> };
  readonly tasks: readonly TaskRecord[];
  /** `<workDir>/runs/<runId>`: `run.json` and one folder per task. */
  readonly runDir: string;
  readonly pipelineRoot: string;
}

interface Scope {
  readonly parameters: Readonly<Record<string, JsonValue>>;
  readonly artifacts: Readonly<Record<string, RuntimeArtifact[]>>;
}

interface TaskResult {
  readonly state: TaskState;
  readonly parameters: Record<string, JsonValue>;
  readonly artifacts: Record<string, RuntimeArtifact[]>;
  readonly error?: string;
}

interface DagResult {
  readonly state: "SUCCEEDED" | "FAILED";
  readonly error?: string;
  readonly parameters: Record<string, JsonValue>;
  readonly artifacts: Record<string, RuntimeArtifact[]>;
}

class RunFailure extends Error {}

const ARTIFACT_ITERATOR = "artifactIterator";

export class LocalRun {
  readonly runDir: string;
  readonly pipelineRoot: string;
  readonly records: TaskRecord[] = [];
  private readonly project: string;
  private readonly location: string;
  private readonly created: string;
  private readonly log: (line: string) => void;

  constructor(
    readonly spec: PipelineSpec,
    readonly options: LocalRunOptions,
  ) {
    this.runDir = path.resolve(options.workDir, "runs", options.runId);
    this.pipelineRoot = path.resolve(options.workDir, "pipeline-root");
    this.project = options.project ?? "local-project";
    this.location = options.location ?? "us-central1";
    this.created = (options.now ?? (() => new Date()))().toISOString();
    this.log = options.log ?? (() => undefined);
  }

  async run(): Promise<LocalRunResult> {
    const start = Date.now();
    const rootInputs = this.spec.root.inputDefinitions?.parameters ?? {};
    const parameters: Record<string, JsonValue> = {};
    const missing: string[] = [];
    for (const [name, definition] of Object.entries(rootInputs)) {
      if (Object.prototype.hasOwnProperty.call(this.options.parameters, name)) parameters[name] = this.options.parameters[name];
      else if (definition.defaultValue !== undefined) parameters[name] = definition.defaultValue;
      else if (!definition.isOptional) missing.push(name);
    }
    const unknown = Object.keys(this.options.parameters).filter((n) => !Object.prototype.hasOwnProperty.call(rootInputs, n));
    if (missing.length > 0 || unknown.length > 0) {
      throw new RunFailure(
        [missing.length ? `missing required parameter(s): ${missing.join(", ")}` : "", unknown.length ? `unknown parameter(s): ${unknown.join(", ")}` : ""].filter(Boolean).join("; ") +
          `; allowed: ${Object.keys(rootInputs).sort().join(", ")}`,
      );
    }
    fs.mkdirSync(this.runDir, { recursive: true });
    this.log(`run ${this.options.runId} of ${this.spec.pipelineInfo.name}`);
    this.log(`  work: ${this.runDir}`);
    const result = await this.dag(this.spec.root, { parameters, artifacts: {} }, "");
    const outcome: LocalRunResult = {
      runId: this.options.runId,
      pipeline: this.spec.pipelineInfo.name,
      state: result.state,
      ...(result.error ? { error: result.error } : {}),
      outputs: { parameters: result.parameters, artifacts: result.artifacts },
      tasks: this.records,
      runDir: this.runDir,
      pipelineRoot: this.pipelineRoot,
    };
    fs.writeFileSync(path.join(this.runDir, "run.json"), `${JSON.stringify({ ...outcome, parameters }, null, 2)}\n`);
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    if (result.state === "SUCCEEDED") {
      const shown = Object.entries(result.parameters).map(([k, v]) => `${k}=${show(v)}`);
      this.log(`run ${result.state} in ${seconds}s${shown.length ? `: ${shown.join(" ")}` : ""}`);
    } else {
      this.log(`run FAILED in ${seconds}s: ${result.error}`);
    }
    return outcome;
  }

  private component(name: string): ComponentSpec {
    const component = this.spec.components?.[name];
    if (!component) throw new RunFailure(`the spec has no component ${name}`);
    return component;
  }

  private system(taskName: string, taskPath: string): SystemValues {
    const id = (seed: string) => {
      const hex = createHash("sha256").update(seed).digest("hex");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    };
    return {
      pipeline_job_name: this.options.runId,
      pipeline_job_resource_name: `projects/${this.project}/locations/${this.location}/pipelineJobs/${this.options.runId}`,
      pipeline_job_uuid: id(this.options.runId),
      pipeline_task_name: taskName,
      pipeline_task_uuid: id(`${this.options.runId}/${taskPath}`),
      pipeline_root: this.pipelineRoot,
      // As the SDK's local runner: a manual run's schedule time is its start time.
      pipeline_job_create_time_utc: this.created,
      pipeline_job_schedule_time_utc: this.created,
      pipeline_google_cloud_project_id: this.project,
      pipeline_google_cloud_location: this.location,
      pipeline_service_account: "",
      pipeline_persistent_resource_id: "",
      pipeline_network: "",
      pipeline_encryption_key_name: "",
    };
  }

  private async dag(component: ComponentSpec, scope: Scope, prefix: string): Promise<DagResult> {
    const dag = component.dag as DagSpec;
    const results = new Map<string, TaskResult>();
    const pending = new Set(Object.keys(dag.tasks));
    while (pending.size > 0) {
      const ready = [...pending].filter((name) => (dag.tasks[name].dependentTasks ?? []).every((d) => results.has(d) || !(d in dag.tasks))).sort();
      if (ready.length === 0) throw new RunFailure(`tasks ${[...pending].join(", ")} under ${prefix || "the root"} wait on each other`);
      const name = ready[0];
      pending.delete(name);
      results.set(name, await this.task(name, dag.tasks[name], scope, results, prefix));
    }
    const failed = [...results.entries()].find(([, r]) => r.state === "FAILED");
    if (failed) return { state: "FAILED", error: failed[1].error, parameters: {}, artifacts: {} };
    return { state: "SUCCEEDED", ...this.dagOutputs(dag, results, prefix) };
  }

  private dagOutputs(dag: DagSpec, results: Map<string, TaskResult>, prefix: string): { parameters: Record<string, JsonValue>; artifacts: Record<string, RuntimeArtifact[]> } {
    const parameters: Record<string, JsonValue> = {};
    for (const [name, output] of Object.entries(dag.outputs?.parameters ?? {})) {
      const selectors = "valueFromParameter" in output ? [output.valueFromParameter] : output.valueFromOneof.parameterSelectors;
      const selector = selectors.find((s) => {
        const producer = results.get(s.producerSubtask);
        return producer?.state === "SUCCEEDED" && Object.prototype.hasOwnProperty.call(producer.parameters, s.outputParameterKey);
      });
      if (selector) parameters[name] = results.get(selector.producerSubtask)!.parameters[selector.outputParameterKey];
      else if ("valueFromOneof" in output) throw new RunFailure(`${prefix || "the root"}: no branch produced ${name} (oneOf needs one branch to run)`);
    }
    const artifacts: Record<string, RuntimeArtifact[]> = {};
    for (const [name, output] of Object.entries(dag.outputs?.artifacts ?? {})) {
      for (const selector of output.artifactSelectors) {
        const producer = results.get(selector.producerSubtask);
        if (producer?.state === "SUCCEEDED" && producer.artifacts[selector.outputArtifactKey]) {
          artifacts[name] = producer.artifacts[selector.outputArtifactKey];
          break;
        }
      }
    }
    return { parameters, artifacts };
  }

  private record(record: TaskRecord): void {
    this.records.push(record);
    const outputs = [
      ...Object.entries(record.parameters ?? {}).map(([k, v]) => `${k}=${show(v)}`),
      ...Object.entries(record.artifacts ?? {}).map(([k, a]) => `${k}=${displayPath(a.uri)}${Object.keys(a.metadata).length ? ` ${show(a.metadata)}` : ""}`),
    ];
    const took = record.durationMs !== undefined ? ` ${(record.durationMs / 1000).toFixed(1)}s` : "";
    const retried = record.attempts && record.attempts > 1 ? ` (attempt ${record.attempts})` : "";
    const mark = { SUCCEEDED: "[ok]     ", FAILED: "[failed] ", SKIPPED: "[skipped]", NOT_TRIGGERED: "[not run]" }[record.state];
    this.log(`  ${mark} ${record.path}${took}${retried}${record.reason ? `: ${record.reason}` : ""}`);
    for (const line of outputs) this.log(`              ${line}`);
    if (record.state === "FAILED" && record.logFile) this.log(`              log: ${displayPath(record.logFile)}`);
  }

  private async task(name: string, task: TaskSpec, scope: Scope, results: Map<string, TaskResult>, prefix: string): Promise<TaskResult> {
    const taskPath = prefix ? `${prefix}/${name}` : name;
    const completedOnly = task.triggerPolicy?.strategy === "ALL_UPSTREAM_TASKS_COMPLETED";
    if (!completedOnly) {
      const upstream = (task.dependentTasks ?? []).find((d) => ["FAILED", "NOT_TRIGGERED"].includes(results.get(d)?.state ?? ""));
      if (upstream) {
        const reason = `upstream task ${upstream} did not succeed`;
        this.record({ path: taskPath, state: "NOT_TRIGGERED", reason });
        return { state: "NOT_TRIGGERED", parameters: {}, artifacts: {}, error: reason };
      }
    }
    const fail = (message: string, extra: Partial<TaskRecord> = {}): TaskResult => {
      const error = `task ${taskPath} failed: ${message}`;
      this.record({ path: taskPath, state: "FAILED", reason: message, ...extra });
      return { state: "FAILED", parameters: {}, artifacts: {}, error };
    };
    const component = this.component(task.componentRef.name);
    let inputs: Scope;
    try {
      inputs = this.resolveInputs(task, component, scope, results, taskPath);
    } catch (err) {
      return fail((err as Error).message);
    }
    const condition = task.triggerPolicy?.condition;
    if (condition) {
      let holds: boolean;
      try {
        holds = evaluateCel(condition, inputs.parameters);
      } catch (err) {
        return fail(`condition ${condition}: ${(err as Error).message}`);
      }
      if (!holds) {
        this.record({ path: taskPath, state: "SKIPPED", reason: `condition is false: ${condition}` });
        return { state: "SKIPPED", parameters: {}, artifacts: {} };
      }
    }
    if (component.dag) return this.group(task, component, inputs, taskPath);
    const executor = this.spec.deploymentSpec?.executors[component.executorLabel ?? ""];
    if (!executor) return fail(`component ${task.componentRef.name} has no executor`);
    if (executor.importer) return this.importer(executor.importer, inputs, taskPath);
    if (!executor.container) return fail(`executor ${component.executorLabel} is neither a container nor an importer`);

    const attempts = 1 + Math.max(0, task.retryPolicy?.maxRetryCount ?? 0);
    const fsPath = taskPath.replace(/\[(\d+)\]/g, "/$1");
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      const outcome = await runContainer({
        taskPath,
        component,
        container: executor.container,
        parameters: inputs.parameters,
        artifacts: inputs.artifacts,
        artifactDir: path.join(this.pipelineRoot, this.options.runId, fsPath),
        taskDir: path.join(this.runDir, "tasks", fsPath, attempts > 1 ? `attempt-${attempt}` : ""),
        system: this.system(task.taskInfo.name, taskPath),
        python: this.options.python ?? defaultPython(),
        env: { PYTHONPATH: [this.options.stepsDir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter), ...(this.options.env ?? {}) },
        timeoutMs: this.options.taskTimeoutMs ?? 600_000,
      });
      const durationMs = Date.now() - started;
      if (outcome.ok) {
        const artifacts = Object.fromEntries(Object.entries(outcome.artifacts).map(([k, list]) => [k, { uri: list[0].uri, metadata: list[0].metadata }]));
        this.record({ path: taskPath, state: "SUCCEEDED", attempts: attempt, durationMs, parameters: outcome.parameters, artifacts, logFile: outcome.logFile });
        return { state: "SUCCEEDED", parameters: outcome.parameters, artifacts: outcome.artifacts };
      }
      if (attempt >= attempts) return fail(outcome.error ?? "failed", { attempts: attempt, durationMs, logFile: outcome.logFile });
      this.log(`  [retry]   ${taskPath}: ${outcome.error} (attempt ${attempt} of ${attempts})`);
    }
  }

  private importer(importer: ImporterSpec, inputs: Scope, taskPath: string): TaskResult {
    const uri = "constant" in importer.artifactUri ? importer.artifactUri.constant : inputs.parameters[importer.artifactUri.runtimeParameter];
    if (typeof uri !== "string" || uri === "") {
      const reason = `the importer has no artifact URI (got ${JSON.stringify(uri)})`;
      this.record({ path: taskPath, state: "FAILED", reason });
      return { state: "FAILED", parameters: {}, artifacts: {}, error: `task ${taskPath} failed: ${reason}` };
    }
    const resolved = uri.includes("://") || path.isAbsolute(uri) ? uri : path.resolve(uri);
    const artifact: RuntimeArtifact = { name: "artifact", uri: resolved, metadata: { ...(importer.metadata ?? {}) }, type: { ...importer.typeSchema } };
    this.record({ path: taskPath, state: "SUCCEEDED", durationMs: 0, artifacts: { artifact: { uri: resolved, metadata: artifact.metadata } } });
    return { state: "SUCCEEDED", parameters: {}, artifacts: { artifact: [artifact] } };
  }

  private async group(task: TaskSpec, component: ComponentSpec, inputs: Scope, taskPath: string): Promise<TaskResult> {
    const iterator = task.parameterIterator;
    const artifactIterator = (task as unknown as Record<string, { itemInput: string; items: { inputArtifact: string } } | undefined>)[ARTIFACT_ITERATOR];
    if (!iterator && !artifactIterator) {
      const result = await this.dag(component, inputs, taskPath);
      return { state: result.state, parameters: result.parameters, artifacts: result.artifacts, error: result.error };
    }
    let items: unknown[];
    if (iterator) {
      const source = "raw" in iterator.items ? safeJson(iterator.items.raw) : inputs.parameters[iterator.items.inputParameter];
      if (!Array.isArray(source)) return this.failGroup(taskPath, `loop items are not a list: ${JSON.stringify(source)}`);
      items = source;
    } else {
      items = inputs.artifacts[artifactIterator!.items.inputArtifact] ?? [];
    }
    let error: string | undefined;
    for (const [index, item] of items.entries()) {
      const scope: Scope = iterator
        ? { parameters: { ...inputs.parameters, [iterator.itemInput]: item as JsonValue }, artifacts: inputs.artifacts }
        : { parameters: inputs.parameters, artifacts: { ...inputs.artifacts, [artifactIterator!.itemInput]: [item as RuntimeArtifact] } };
      const result = await this.dag(component, scope, `${taskPath}[${index}]`);
      error ??= result.error;
    }
    if (items.length === 0) this.record({ path: taskPath, state: "SUCCEEDED", reason: "no items: the loop ran nothing" });
    return error ? { state: "FAILED", parameters: {}, artifacts: {}, error } : { state: "SUCCEEDED", parameters: {}, artifacts: {} };
  }

  private failGroup(taskPath: string, reason: string): TaskResult {
    this.record({ path: taskPath, state: "FAILED", reason });
    return { state: "FAILED", parameters: {}, artifacts: {}, error: `task ${taskPath} failed: ${reason}` };
  }

  private finalStatus(producer: string, result: TaskResult | undefined): JsonValue {
    const failed = result?.state !== "SUCCEEDED";
    return {
      state: failed ? "FAILED" : "SUCCEEDED",
      pipelineJobResourceName: `projects/${this.project}/locations/${this.location}/pipelineJobs/${this.options.runId}`,
      pipelineTaskName: producer,
      ...(failed ? { error: { code: 2, message: result?.error ?? `${producer} did not run` } } : {}),
    };
  }

  private resolveInputs(task: TaskSpec, component: ComponentSpec, scope: Scope, results: Map<string, TaskResult>, taskPath: string): Scope {
    const parameters: Record<string, JsonValue> = {};
    const constants: [string, JsonValue][] = [];
    for (const [name, input] of Object.entries(task.inputs?.parameters ?? {})) {
      if ("componentInputParameter" in input) {
        if (!Object.prototype.hasOwnProperty.call(scope.parameters, input.componentInputParameter)) continue;
        const value = scope.parameters[input.componentInputParameter];
        parameters[name] = input.parameterExpressionSelector ? select(value, input.parameterExpressionSelector) : value;
      } else if ("taskOutputParameter" in input) {
        const { producerTask, outputParameterKey } = input.taskOutputParameter;
        const producer = results.get(producerTask);
        if (producer?.state !== "SUCCEEDED" || !(outputParameterKey in producer.parameters)) {
          throw new RunFailure(`input ${name} comes from ${producerTask}.${outputParameterKey}, which ${producer?.state === "SKIPPED" ? "was skipped" : "has no value"}`);
        }
        parameters[name] = producer.parameters[outputParameterKey];
      } else if ("runtimeValue" in input) {
        constants.push([name, input.runtimeValue.constant]);
      } else if ("taskFinalStatus" in input) {
        parameters[name] = this.finalStatus(input.taskFinalStatus.producerTask, results.get(input.taskFinalStatus.producerTask));
      }
    }
    const system = this.system(task.taskInfo.name, taskPath);
    const pseudo = (values: Record<string, JsonValue>): ExecutorInput => ({ inputs: { parameterValues: values, artifacts: {} }, outputs: { parameters: {}, artifacts: {}, outputFile: "" } });
    for (const [name, value] of constants) parameters[name] = resolveDeep(value, (text) => resolveText(text, pseudo(parameters), system));
    // The component's defaults complete what the task does not pass (the driver does the same).
    for (const [name, definition] of Object.entries(component.inputDefinitions?.parameters ?? {})) {
      if (Object.prototype.hasOwnProperty.call(parameters, name)) continue;
      if (definition.defaultValue !== undefined) parameters[name] = resolveDeep(definition.defaultValue, (text) => resolveText(text, pseudo(parameters), system));
      else if (!definition.isOptional && component.executorLabel) throw new RunFailure(`required input parameter ${name} has no value`);
    }
    const artifacts: Record<string, RuntimeArtifact[]> = {};
    for (const [name, input] of Object.entries(task.inputs?.artifacts ?? {})) {
      if ("componentInputArtifact" in input) {
        const found = scope.artifacts[input.componentInputArtifact];
        if (found) artifacts[name] = found;
      } else {
        const { producerTask, outputArtifactKey } = input.taskOutputArtifact;
        const producer = results.get(producerTask);
        const found = producer?.state === "SUCCEEDED" ? producer.artifacts[outputArtifactKey] : undefined;
        if (!found) throw new RunFailure(`input artifact ${name} comes from ${producerTask}.${outputArtifactKey}, which ${producer?.state === "SKIPPED" ? "was skipped" : "has none"}`);
        artifacts[name] = found;
      }
    }
    for (const [name, definition] of Object.entries(component.inputDefinitions?.artifacts ?? {})) {
      if (!artifacts[name] && !definition.isOptional && component.executorLabel) throw new RunFailure(`required input artifact ${name} has no value`);
    }
    return { parameters, artifacts };
  }
}

function resolveDeep(value: JsonValue, resolve: (text: string) => string): JsonValue {
  if (typeof value === "string") return resolve(value);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, resolve));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, resolve)]));
  return value;
}

/** `parseJson(string_value)["key"]`, the selector the SDK writes for a loop item's field. */
function select(value: JsonValue, selector: string): JsonValue {
  const m = /^parseJson\(string_value\)\["([^"]+)"\]$/.exec(selector);
  if (!m) throw new RunFailure(`unsupported parameterExpressionSelector ${selector}`);
  const parsed = typeof value === "string" ? safeJson(value) : value;
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new RunFailure(`${selector}: ${JSON.stringify(value)} is not a struct`);
  return (parsed as Record<string, JsonValue>)[m[1]] ?? null;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A local path relative to the working folder when it is inside it; URIs as they are. */
function displayPath(uri: string): string {
  if (!path.isAbsolute(uri)) return uri;
  const relative = path.relative(process.cwd(), uri);
  return relative && !relative.startsWith("..") ? relative : uri;
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** Runs `spec`; a spec or parameter problem found before any task ran throws. */
export async function runLocally(spec: PipelineSpec, options: LocalRunOptions): Promise<LocalRunResult> {
  return new LocalRun(spec, options).run();
}

export { RunFailure };
