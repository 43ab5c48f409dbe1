import type * as pulumi from "@pulumi/pulumi";

/**
 * Helpers for the providers' `check`. During a preview, inputs that depend on resources not yet
 * created arrive as this sentinel string (`pulumi.runtime.unknownValue`, copied so the serialised
 * providers do not capture the Pulumi SDK); a check skips them rather than rejecting a placeholder.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** True when `value` and everything inside it is known. */
export function isFullyKnown(value: unknown): boolean {
  if (isUnknown(value)) return false;
  if (Array.isArray(value)) return value.every(isFullyKnown);
  if (typeof value === "object" && value !== null) return Object.values(value).every(isFullyKnown);
  return true;
}

export type CheckFailure = pulumi.dynamic.CheckFailure;

/** Collects check failures; each validator skips unknown values and reports in the project's message style. */
export interface Failures {
  readonly list: CheckFailure[];
  add(property: string, reason: string): void;
  /** A string matching `pattern`; `what` says what is allowed. */
  string(property: string, value: unknown, pattern: RegExp, what: string, optional?: boolean): value is string;
  /** An integer in [min, max]. */
  integer(property: string, value: unknown, min: number, max: number, optional?: boolean): value is number;
  oneOf<T extends string>(property: string, value: unknown, allowed: readonly T[], optional?: boolean): value is T;
}

/**
 * A factory of closures rather than a class: Pulumi's closure serialiser rebuilds a class from its
 * constructor and methods and loses field initialisers, which broke a class-based version once
 * serialised (provider-serialization.test.ts guards this).
 */
export function failures(): Failures {
  const list: CheckFailure[] = [];
  const add = (property: string, reason: string) => void list.push({ property, reason });
  const skip = (value: unknown, optional: boolean) => isUnknown(value) || (value === undefined && optional);
  const problem = (value: unknown, expected: string) => `${value === undefined ? "is required" : `${JSON.stringify(value)} is invalid`}; expected ${expected}`;
  return {
    list,
    add,
    string(property: string, value: unknown, pattern: RegExp, what: string, optional = false): value is string {
      if (skip(value, optional)) return false;
      if (typeof value === "string" && pattern.test(value)) return true;
      add(property, problem(value, what));
      return false;
    },
    integer(property: string, value: unknown, min: number, max: number, optional = false): value is number {
      if (skip(value, optional)) return false;
      if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return true;
      add(property, problem(value, `an integer from ${min} to ${max}`));
      return false;
    },
    oneOf<T extends string>(property: string, value: unknown, allowed: readonly T[], optional = false): value is T {
      if (skip(value, optional)) return false;
      if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return true;
      add(property, `${value === undefined ? "is required" : `${JSON.stringify(value)} is not allowed`}; allowed: ${allowed.join(", ")}`);
      return false;
    },
  };
}

export const PROJECT_PATTERN = /^([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{6,20})$/;
export const REGION_PATTERN = /^[a-z]+-[a-z]+[0-9]+$/;
