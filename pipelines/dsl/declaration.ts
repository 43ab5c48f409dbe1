/**
 * Components whose interface comes from somewhere else (a Python signature, a component YAML) may
 * also be declared in TypeScript, to type the tasks that run them. The declaration must say exactly
 * what the source says; these are the differences, as problems.
 */

import type { DslProblem } from "./errors";
import type { InputSpec, InputSpecs, OutputSpec, OutputSpecs } from "./types";

/** Every difference between what TypeScript declares and what the component's source says. */
export function declarationProblems(
  side: "input" | "output",
  declared: InputSpecs | OutputSpecs,
  actual: Readonly<Record<string, InputSpec | OutputSpec>>,
  source: { readonly noun: string; readonly member: string },
): DslProblem[] {
  const problems: DslProblem[] = [];
  for (const name of Object.keys(actual)) {
    if (!(name in declared)) problems.push({ where: `${side} "${name}"`, message: `${source.noun} declares it (${describeSpec(actual[name])}) but the TypeScript declaration does not; allowed: add it` });
  }
  for (const [name, spec] of Object.entries(declared)) {
    const found = actual[name];
    if (found === undefined) {
      problems.push({ where: `${side} "${name}"`, message: `is declared (${describeSpec(spec)}) but ${source.noun} has no such ${source.member}; allowed: ${Object.keys(actual).join(", ") || "none"}` });
      continue;
    }
    if (describeSpec(spec) !== describeSpec(found)) {
      problems.push({ where: `${side} "${name}"`, message: `${source.noun} declares ${describeSpec(found)}; the TypeScript declaration says ${describeSpec(spec)}` });
    }
    if (spec.description !== undefined && spec.description !== found.description) {
      problems.push({ where: `${side} "${name}"`, message: `its description differs from the one ${source.noun} gives (${JSON.stringify(found.description ?? null)}); allowed: leave it out` });
    }
  }
  return problems;
}

/** A spec as a short text that is equal exactly when the specs compile alike. */
export function describeSpec(spec: InputSpec | OutputSpec): string {
  if (spec.kind === "taskFinalStatus") return "the task's final status";
  if (spec.kind === "artifact") return `${spec.list === true ? "a list of " : "a "}${spec.schemaTitle} artifact${spec.list === true ? "s" : ""}${spec.optional ? ", optional" : ""}`;
  const items = spec.type === "LIST" ? ` of ${spec.itemType ?? "STRING"} items${spec.itemFieldType !== undefined && spec.itemFieldType !== "STRING" ? ` with ${spec.itemFieldType} fields` : ""}` : "";
  const optional = spec.default !== undefined ? `, default ${JSON.stringify(spec.default)}` : spec.optional ? ", optional without a default" : "";
  return `${spec.type}${items}${optional}`;
}
