/**
 * Placeholder resolution for a task's command line and its constant inputs, as the KFP launcher
 * does it (the SDK's local runner, `sdk/python/kfp/local/placeholder_utils.py`, implements the same
 * rules for its `SubprocessRunner`):
 *
 * - `{"Concat": […]}` and `{"IfPresent": {InputName, Then, Else}}` command-line elements (JSON
 *   strings) first; an input is present when it has a parameter value or an artifact.
 * - Then `{{$…}}` text: `inputs.parameters['x']` (a string as is, anything else as JSON),
 *   `inputs.artifacts['x'].uri|path|metadata|metadata['k']`, `outputs.artifacts['x'].uri|path`,
 *   `outputs.parameters['x'].output_file`, `outputs.output_file`, `{{$}}` (the ExecutorInput as
 *   JSON) and the run's system values (`pipeline_job_name`, …). Locally an artifact's path is its
 *   URI, as in the SDK's local runner.
 */

import type { JsonValue } from "../dsl/types";

export interface RuntimeArtifact {
  readonly name: string;
  readonly uri: string;
  readonly metadata: Record<string, JsonValue>;
  readonly type: { readonly schemaTitle: string; readonly schemaVersion?: string };
}

export interface ExecutorInput {
  readonly inputs: { readonly parameterValues: Record<string, JsonValue>; readonly artifacts: Record<string, { artifacts: RuntimeArtifact[] }> };
  readonly outputs: {
    readonly parameters: Record<string, { outputFile: string }>;
    readonly artifacts: Record<string, { artifacts: RuntimeArtifact[] }>;
    readonly outputFile: string;
  };
}

/** The values of `{{$.pipeline_*}}` placeholders for one task. */
export type SystemValues = Readonly<Record<string, string>>;

const PLACEHOLDER = /\{\{\$(\.[^}]*)?\}\}/g;

function text(value: JsonValue | undefined): string {
  if (typeof value === "string") return value;
  return JSON.stringify(value ?? null);
}

/** Resolves the `{{$…}}` placeholders in one string. */
export function resolveText(source: string, input: ExecutorInput | undefined, system: SystemValues): string {
  return source.replace(PLACEHOLDER, (whole, body: string | undefined) => {
    if (body === undefined) {
      if (!input) throw new Error(`${whole} is not available here`);
      return JSON.stringify(input);
    }
    const path = body.slice(1);
    if (Object.prototype.hasOwnProperty.call(system, path)) return system[path];
    if (!input) throw new Error(`placeholder ${whole} cannot be resolved here`);
    let m = /^inputs\.parameters\['([^']+)'\]$/.exec(path);
    if (m) {
      if (!Object.prototype.hasOwnProperty.call(input.inputs.parameterValues, m[1])) throw new Error(`placeholder ${whole}: input parameter ${m[1]} has no value`);
      return text(input.inputs.parameterValues[m[1]]);
    }
    m = /^(inputs|outputs)\.artifacts\['([^']+)'\]\.(uri|path|metadata)(?:\['([^']+)'\])?$/.exec(path);
    if (m) {
      const artifact = (m[1] === "inputs" ? input.inputs.artifacts : input.outputs.artifacts)[m[2]]?.artifacts[0];
      if (!artifact) throw new Error(`placeholder ${whole}: no ${m[1].slice(0, -1)} artifact ${m[2]}`);
      if (m[3] !== "metadata") return artifact.uri;
      return m[4] === undefined ? JSON.stringify(artifact.metadata) : text(artifact.metadata[m[4]]);
    }
    m = /^outputs\.parameters\['([^']+)'\]\.output_file$/.exec(path);
    if (m) {
      const parameter = input.outputs.parameters[m[1]];
      if (!parameter) throw new Error(`placeholder ${whole}: no output parameter ${m[1]}`);
      return parameter.outputFile;
    }
    if (path === "outputs.output_file") return input.outputs.outputFile;
    throw new Error(`unsupported placeholder ${whole}`);
  });
}

type Structured = string | { Concat: Structured[] } | { IfPresent: { InputName: string; Then?: Structured | Structured[]; Else?: Structured | Structured[] } };

function isPresent(input: ExecutorInput, name: string): boolean {
  const value = input.inputs.parameterValues[name];
  return (value !== undefined && value !== null) || input.inputs.artifacts[name] !== undefined;
}

function expand(element: Structured, input: ExecutorInput): string[] {
  if (typeof element === "string") return [element];
  if ("Concat" in element) return [element.Concat.flatMap((e) => expand(e, input)).join("")];
  const branch = isPresent(input, element.IfPresent.InputName) ? element.IfPresent.Then : element.IfPresent.Else;
  if (branch === undefined) return [];
  return Array.isArray(branch) ? branch.flatMap((e) => expand(e, input)) : expand(branch, input);
}

/** A container's command line with every placeholder resolved. */
export function resolveCommandLine(elements: readonly string[], input: ExecutorInput, system: SystemValues): string[] {
  const expanded = elements.flatMap((element) => (element.startsWith('{"Concat": ') || element.startsWith('{"IfPresent": ') ? expand(JSON.parse(element) as Structured, input) : [element]));
  return expanded.map((element) => resolveText(element, input, system));
}
