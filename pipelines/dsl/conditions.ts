/**
 * Comparisons for `dag.if(...)`, compiled to CEL the way the SDK writes it. At least one operand
 * is a channel; both sides are of one kind (text, number or boolean).
 */

import type { ParameterChannel } from "./channels";
import type { PrimitiveType } from "./types";

export type Operator = "==" | "!=" | "<" | "<=" | ">" | ">=";
export type Operand = ParameterChannel | string | number | boolean;

export interface Comparison {
  readonly operator: Operator;
  readonly left: Operand;
  readonly right: Operand;
  /** Set on the copies that Elif and Else branches carry for the branches before them. */
  readonly negate: boolean;
}

type Literal<T extends PrimitiveType> = T extends "STRING" ? string : T extends "BOOLEAN" ? boolean : number;
type NumberChannel = ParameterChannel<"NUMBER_INTEGER"> | ParameterChannel<"NUMBER_DOUBLE">;
/** What may stand opposite a channel of type T. */
type Comparable<T extends PrimitiveType> = T extends "STRING"
  ? string | ParameterChannel<"STRING">
  : T extends "BOOLEAN"
    ? boolean | ParameterChannel<"BOOLEAN">
    : number | NumberChannel;

interface ComparisonBuilder {
  <T extends PrimitiveType>(left: ParameterChannel<T>, right: Comparable<T>): Comparison;
  <T extends PrimitiveType>(left: Literal<T>, right: ParameterChannel<T>): Comparison;
}

function comparison(operator: Operator): ComparisonBuilder {
  return (left: Operand, right: Operand): Comparison => ({ operator, left, right, negate: false });
}

export const eq = comparison("==");
export const ne = comparison("!=");
export const lt = comparison("<");
export const le = comparison("<=");
export const gt = comparison(">");
export const ge = comparison(">=");

export function negated(condition: Comparison): Comparison {
  return { ...condition, negate: true };
}
