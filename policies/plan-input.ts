import { IAM_TYPES } from "./lib/iam";
import { matchesType } from "./lib/resources";
import { isOpaque } from "./lib/values";

/**
 * A plan handed to the rules (`llmops policy --plan file`) is input like a stack file: checked
 * before any rule runs, and refused with the file, the resource and the field when it is not a
 * plan. The rules read inputs defensively (policies/lib/values.ts), which makes a wrong type
 * invisible to them: `role: ["roles/owner"]` is not a string, so no rule sees a grant, and the
 * plan passed. So the fields rules decide on are checked for their type here, and a rule that
 * still throws on a resource is reported as malformed input (`MalformedPlanError`), never as a
 * violation and never as a crash.
 */

/** A plan that is not one: the CLI's exit code 3 (1 is a violation, 2 a crash). */
export class MalformedPlanError extends Error {
  readonly exitCode = 3;
  constructor(readonly problems: readonly string[]) {
    super(`malformed plan (${problems.length} problem${problems.length === 1 ? "" : "s"}); no rule was run:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "MalformedPlanError";
  }
}

type Kind = "string" | "string[]" | "boolean" | "number";

/**
 * Inputs the rules decide on, by resource type, with the type the Google provider's schema gives
 * them (node_modules/@pulumi/gcp: `role: string`, `member: string`, `members: string[]`,
 * `policyData: string`). Opaque values (`"[secret]"`, `"[unknown]"`) are allowed anywhere.
 */
const FIELD_KINDS: readonly { readonly types: Parameters<typeof matchesType>[0]; readonly fields: Readonly<Record<string, Kind>> }[] = [
  { types: IAM_TYPES, fields: { role: "string", member: "string", members: "string[]", policyData: "string" } },
];

function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function hasKind(value: unknown, kind: Kind): boolean {
  if (isOpaque(value)) return true;
  if (kind === "string[]") return Array.isArray(value) && value.every((v) => typeof v === "string");
  return typeof value === kind;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Everything wrong with `value` as a plan, each naming the file and the resource; empty when it is one. */
export function planInputProblems(value: unknown, file: string): string[] {
  if (!isObject(value)) return [`${file}: not an llmops plan file (${kindOf(value)}); expected {project, stack, resources, outputs} as written by llmops plan`];
  if (value.stack === undefined && value.resources === undefined) return [`${file}: not an llmops plan file; expected {project, stack, resources: [{urn, type, name, inputs, options}], outputs} as written by llmops plan`];
  const problems: string[] = [];
  if (typeof value.stack !== "string") problems.push(`${file}: stack: expected a string, got ${kindOf(value.stack)}`);
  if (value.outputs !== undefined && !isObject(value.outputs)) problems.push(`${file}: outputs: expected an object, got ${kindOf(value.outputs)}`);
  if (!Array.isArray(value.resources)) return [...problems, `${file}: resources: expected a list of resources, got ${kindOf(value.resources)}`];
  value.resources.forEach((r: unknown, i: number) => {
    if (!isObject(r)) {
      problems.push(`${file}: resources[${i}]: expected a resource {urn, type, name, inputs, options}, got ${kindOf(r)}`);
      return;
    }
    const name = typeof r.type === "string" && typeof r.name === "string" ? `${r.type} "${r.name}"` : "";
    const at = (field: string) => `${file}: resources[${i}]${name ? ` (${name})` : ""}: ${field}`;
    for (const key of ["urn", "type", "name"] as const) if (typeof r[key] !== "string") problems.push(`${at(key)}: expected a string, got ${kindOf(r[key])}`);
    if (r.parent !== undefined && r.parent !== null && typeof r.parent !== "string") problems.push(`${at("parent")}: expected a URN or null, got ${kindOf(r.parent)}`);
    if (!isObject(r.inputs)) problems.push(`${at("inputs")}: expected an object, got ${kindOf(r.inputs)}`);
    if (!isObject(r.options)) problems.push(`${at("options")}: expected an object, got ${kindOf(r.options)}`);
    else {
      if (typeof r.options.protect !== "boolean") problems.push(`${at("options.protect")}: expected true or false, got ${kindOf(r.options.protect)}`);
      if (r.options.retainOnDelete !== undefined && typeof r.options.retainOnDelete !== "boolean") problems.push(`${at("options.retainOnDelete")}: expected true or false, got ${kindOf(r.options.retainOnDelete)}`);
    }
    if (typeof r.type !== "string" || !isObject(r.inputs)) return;
    for (const { types, fields } of FIELD_KINDS) {
      if (!matchesType(types, r.type)) continue;
      for (const [field, kind] of Object.entries(fields)) {
        const v = r.inputs[field];
        if (v !== undefined && !hasKind(v, kind)) problems.push(`${at(`inputs.${field}`)}: expected ${kind === "string[]" ? "a list of strings" : `a ${kind}`}, got ${kindOf(v)}`);
      }
    }
  });
  return problems;
}
