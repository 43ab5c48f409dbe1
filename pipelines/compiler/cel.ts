/**
 * Conditions as the CEL the SDK writes (`_single_binary_operation_to_cel_condition`): channels are
 * read from the group's injected inputs, integers wrapped in `int(...)`, mixed integer/double
 * operands promoted with `double(...)`, and Elif/Else negations written as `!(...)`.
 */

import { isChannel } from "../dsl/channels";
import type { Comparison, Operand } from "../dsl/conditions";
import type { ParameterType } from "../dsl/types";
import { CHANNEL_PREFIX, fullName } from "./graph";
import { pythonFloatRepr } from "./yaml";

type Kind = "STRING" | "BOOLEAN" | "NUMBER_INTEGER" | "NUMBER_DOUBLE";

/** The CEL for a conjunction of comparisons, or the reasons it cannot be written. */
export function toCel(conditions: readonly Comparison[]): { cel: string; problems: string[] } {
  const problems: string[] = [];
  const parts = conditions.map((condition) => {
    const result = comparisonToCel(condition);
    if (typeof result !== "string") problems.push(result.problem);
    return typeof result === "string" ? result : "";
  });
  return { cel: parts.join(" && "), problems };
}

function comparisonToCel(condition: Comparison): string | { problem: string } {
  const { left, right } = condition;
  if (!isChannel(left) && !isChannel(right)) {
    return { problem: `compares two constants (${show(left)} ${condition.operator} ${show(right)}); allowed: a pipeline input or task output on at least one side` };
  }
  const kinds = [kindOf(left), kindOf(right)];
  for (const [index, kind] of kinds.entries()) {
    if (kind === undefined) return { problem: `cannot compare ${show([left, right][index])}; allowed: STRING, NUMBER_INTEGER, NUMBER_DOUBLE or BOOLEAN values` };
  }
  const [leftKind, rightKind] = kinds as Kind[];
  if (family(leftKind) !== family(rightKind)) {
    return { problem: `compares ${leftKind} with ${rightKind}; allowed: operands of one kind (text, numbers, or booleans)` };
  }
  const canonical: Kind = leftKind === rightKind ? leftKind : "NUMBER_DOUBLE";
  const operands: string[] = [];
  for (const [operand, kind] of [[left, leftKind], [right, rightKind]] as const) {
    if (typeof operand === "string" && /['\\]/.test(operand)) {
      return { problem: `string ${JSON.stringify(operand)} contains a quote or backslash, which the SDK's CEL does not escape; allowed: text without ' and \\` };
    }
    let text = operandText(operand, kind);
    if (kind !== canonical) text = `double(${text})`;
    operands.push(text);
  }
  const cel = `${operands[0]} ${condition.operator} ${operands[1]}`;
  return condition.negate ? `!(${cel})` : cel;
}

function operandText(operand: Operand, kind: Kind): string {
  if (isChannel(operand)) {
    const value = `inputs.parameter_values['${CHANNEL_PREFIX}${fullName(operand)}']`;
    return kind === "NUMBER_INTEGER" ? `int(${value})` : value;
  }
  if (typeof operand === "string") return `'${operand}'`;
  if (typeof operand === "boolean") return String(operand);
  return kind === "NUMBER_INTEGER" ? String(operand) : pythonFloatRepr(operand);
}

function kindOf(operand: Operand): Kind | undefined {
  if (isChannel(operand)) return operand.kind === "parameter" && isPrimitive(operand.type) ? operand.type : undefined;
  if (typeof operand === "string") return "STRING";
  if (typeof operand === "boolean") return "BOOLEAN";
  if (typeof operand === "number" && Number.isFinite(operand)) return Number.isInteger(operand) ? "NUMBER_INTEGER" : "NUMBER_DOUBLE";
  return undefined;
}

function isPrimitive(type: ParameterType): type is Kind {
  return type !== "LIST" && type !== "STRUCT";
}

function family(kind: Kind): string {
  return kind === "NUMBER_INTEGER" || kind === "NUMBER_DOUBLE" ? "number" : kind;
}

function show(operand: Operand): string {
  return isChannel(operand) ? `channel ${fullName(operand)}` : JSON.stringify(operand);
}
