/**
 * A strict check of a compiled spec against `ml_pipelines.PipelineSpec` from pipeline_spec.proto.
 * protobufjs's `fromObject` silently drops fields it does not know, so this walks the JSON against
 * the message types with the reflection API and reports every unknown field, wrong kind, bad enum
 * value and doubly-set oneof, with its JSON path.
 */

import * as fs from "node:fs";
import * as path from "node:path";
import * as protobuf from "protobufjs";

/** `../shared/kfp` from the repository root. */
export const KFP_DIR = path.resolve(__dirname, "../../../../shared/kfp");
export const PROTO_FILE = path.join(KFP_DIR, "proto", "pipeline_spec.proto");
export const SAMPLES_DIR = path.join(KFP_DIR, "samples");
/** More SDK-compiled samples, with their Python sources, for features added later. */
export const NEXT_SAMPLES_DIR = path.join(KFP_DIR, "samples-next");

export function hasProto(): boolean {
  return fs.existsSync(PROTO_FILE);
}

export interface SpecTypes {
  readonly pipelineSpec: protobuf.Type;
  /** The schema of `deploymentSpec`, which the proto types as a plain Struct. */
  readonly deploymentConfig: protobuf.Type;
}

export function loadSpecTypes(): SpecTypes {
  // google/protobuf/*.proto come from protobufjs's bundled common types.
  const root = new protobuf.Root().loadSync(PROTO_FILE);
  root.resolveAll();
  return { pipelineSpec: root.lookupType("ml_pipelines.PipelineSpec"), deploymentConfig: root.lookupType("ml_pipelines.PipelineDeploymentConfig") };
}

/** Every way `spec` fails to be a `PipelineSpec` in proto3 JSON form; empty when it is one. */
export function specViolations(types: SpecTypes, spec: unknown): string[] {
  const problems = messageViolations(types.pipelineSpec, spec, "$");
  const deployment = (spec as { deploymentSpec?: unknown } | null)?.deploymentSpec;
  if (deployment !== undefined) problems.push(...messageViolations(types.deploymentConfig, deployment, "$.deploymentSpec"));
  return problems;
}

const DURATION = /^-?\d+(\.\d{1,9})?s$/;

export function messageViolations(type: protobuf.Type, value: unknown, at: string): string[] {
  switch (type.fullName) {
    case ".google.protobuf.Struct":
      return isObject(value) ? [] : [`${at}: expected an object (Struct)`];
    case ".google.protobuf.Value":
      return value === undefined ? [`${at}: expected a JSON value`] : [];
    case ".google.protobuf.ListValue":
      return Array.isArray(value) ? [] : [`${at}: expected a list (ListValue)`];
    case ".google.protobuf.Duration":
      return typeof value === "string" && DURATION.test(value) ? [] : [`${at}: expected a duration such as "3600s"`];
  }
  if (!isObject(value)) return [`${at}: expected an object (${type.fullName})`];
  const problems: string[] = [];
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = fieldNamed(type, key);
    if (field === undefined) problems.push(`${at}.${key}: unknown field of ${type.fullName}`);
    else problems.push(...fieldViolations(field, fieldValue, `${at}.${key}`));
  }
  for (const oneof of type.oneofsArray) {
    const present = oneof.fieldsArray.filter((field) => value[field.name] !== undefined || value[jsonName(field)] !== undefined);
    if (present.length > 1) problems.push(`${at}: oneof ${oneof.name} has ${present.map((field) => field.name).join(" and ")}`);
  }
  return problems;
}

function fieldNamed(type: protobuf.Type, key: string): protobuf.Field | undefined {
  return type.fieldsArray.find((field) => field.name === key || jsonName(field) === key);
}

/** The proto3 JSON name: lowerCamelCase of the proto field name. */
function jsonName(field: protobuf.Field): string {
  return field.name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function fieldViolations(field: protobuf.Field, value: unknown, at: string): string[] {
  field.resolve();
  if (field.map) {
    if (!isObject(value)) return [`${at}: expected a map`];
    return Object.entries(value).flatMap(([key, item]) => singleViolations(field, item, `${at}.${key}`));
  }
  if (field.repeated) {
    if (!Array.isArray(value)) return [`${at}: expected a list`];
    return value.flatMap((item, index) => singleViolations(field, item, `${at}[${index}]`));
  }
  return singleViolations(field, value, at);
}

function singleViolations(field: protobuf.Field, value: unknown, at: string): string[] {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return messageViolations(resolved, value, at);
  if (resolved instanceof protobuf.Enum) {
    return (typeof value === "string" && value in resolved.values) || Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not a ${resolved.name} value`];
  }
  return scalarViolations(field.type, value, at);
}

function scalarViolations(type: string, value: unknown, at: string): string[] {
  const ok = (() => {
    switch (type) {
      case "string":
      case "bytes":
        return typeof value === "string";
      case "bool":
        return typeof value === "boolean";
      case "double":
      case "float":
        return typeof value === "number";
      case "int64":
      case "uint64":
      case "sint64":
      case "fixed64":
      case "sfixed64":
        return (typeof value === "string" && /^-?\d+$/.test(value)) || Number.isSafeInteger(value);
      default:
        return Number.isInteger(value);
    }
  })();
  return ok ? [] : [`${at}: ${JSON.stringify(value)} is not a valid ${type}`];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
