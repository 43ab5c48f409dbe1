/**
 * The `# PIPELINE DEFINITION` comment block the SDK writes above the YAML
 * (`extract_comments_from_pipeline_spec`): name, description, and the root's inputs and outputs.
 */

import type { JsonValue } from "../dsl/types";
import type { ComponentSpec, PipelineSpec } from "./ir";
import { compareCodePoints, pythonStr } from "./yaml";

/** `parameterType` → the Python type name the SDK prints. */
const COMMENT_TYPES: Readonly<Record<string, string>> = {
  STRING: "str",
  NUMBER_INTEGER: "int",
  NUMBER_DOUBLE: "float",
  LIST: "list",
  STRUCT: "dict",
  BOOLEAN: "bool",
  TASK_FINAL_STATUS: "PipelineTaskFinalStatus",
};

/** What a YAML parser takes for a line break (YAML 1.2 §5.4, plus the 1.1 breaks some parsers still honour). */
const YAML_LINE_BREAK = /\r\n|[\n\r\x85\u2028\u2029]/;
/** Characters PyYAML's reader refuses anywhere in a stream, comments included (`Reader.NON_PRINTABLE`). */
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function pipelineHeader(spec: PipelineSpec, description: string | undefined): string {
  const lines = ["# PIPELINE DEFINITION", `# Name: ${spec.pipelineInfo.name}`];
  if (description) lines.push(`# Description: ${splitLines(description).join("\n#              ")}`);
  lines.push(...signature(spec.root, "inputDefinitions", "# Inputs:"), ...signature(spec.root, "outputDefinitions", "# Outputs:"));
  // The SDK writes such characters raw, and PyYAML (which Vertex AI loads templates with) then
  // rejects the whole file; they are written as Python escapes instead.
  return `${lines.join("\n").replace(NON_PRINTABLE, pythonEscape)}\n`;
}

function signature(root: ComponentSpec, key: "inputDefinitions" | "outputDefinitions", heading: string): string[] {
  const definitions = root[key];
  if (definitions === undefined) return [];
  const entries: { name: string; text: string }[] = [];
  for (const [name, parameter] of Object.entries(definitions.parameters ?? {})) {
    const defaultValue = "defaultValue" in parameter ? (parameter as { defaultValue?: JsonValue }).defaultValue : undefined;
    const suffix = defaultValue === undefined ? "" : ` [Default: ${typeof defaultValue === "string" ? `'${defaultValue}'` : pythonStr(defaultValue)}]`;
    // The SDK writes a multi-line default raw, so its later lines fall outside the comment and the
    // file is no longer valid YAML; every line here stays inside the comment.
    entries.push({ name, text: `#    ${name}: ${COMMENT_TYPES[parameter.parameterType]}${suffix}`.split(YAML_LINE_BREAK).map((line, i) => (i === 0 ? line : `#      ${line}`.trimEnd())).join("\n") });
  }
  for (const [name, artifact] of Object.entries(definitions.artifacts ?? {})) {
    entries.push({ name, text: `#    ${name}: ${artifact.artifactType.schemaTitle}` });
  }
  return [heading, ...entries.sort((a, b) => compareCodePoints(a.name, b.name)).map((entry) => entry.text)];
}

/** `\x07`, `\ud800`: how Python's repr writes a character it does not print. */
function pythonEscape(character: string): string {
  const code = character.codePointAt(0) as number;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  return code <= 0xffff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
}

/** Python's `str.splitlines()`: no empty last element after a trailing line break. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}
