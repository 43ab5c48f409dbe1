import { z } from "zod";

/**
 * The evidence a rollout stage must show before the candidate moves on (`llmops rollout analyze`,
 * `llmops rollout advance`): stack defaults under `llmops:rollouts.gates`, overridden per model
 * under `rollout.gates`. Every number is compared for the candidate and, where relative, against
 * the stable version over the same window. Reference: README "Rollout lifecycle".
 */
const ratio = (what: string, min: number) =>
  z.number().min(min, `${what} is a ratio of at least ${min}; allowed: a number such as 1.5 (the candidate may be half again as bad as stable)`).max(100, `${what} is at most 100`);

export const gatesShape = {
  /** Requests the candidate must have served in the window before anything but a rollback is decided. @default 500 */
  minRequests: z.number().int().min(1, "minRequests is a whole number of requests, at least 1").optional(),
  /** Minutes of candidate traffic the window must span (time at the stage). @default 30 */
  minMinutesAtStage: z.number().int().min(0, "minMinutesAtStage is whole minutes, 0 or more").max(10_080, "minMinutesAtStage is at most 10080 (a week)").optional(),
  /**
   * Confidence of each absolute decision: a gate fails (rollback) only when the lower bound of
   * its Wilson interval is past the limit, and passes only when the upper bound is within it;
   * between the two the stage holds for more traffic. @default 0.95
   */
  confidence: z.number().gt(0.5, "confidence is above 0.5 and below 1, such as 0.95").lt(1, "confidence is above 0.5 and below 1, such as 0.95").optional(),
  /**
   * The SLO burn rate the candidate may run at, for availability (error ratio over the error
   * budget) and latency (share slower than `slo.latencyP99Ms` over the 1% a p99 allows). 1 spends
   * the budget exactly as fast as the objective allows. @default 1
   */
  maxBurnRate: z.number().gt(0, "maxBurnRate is above 0, such as 1").max(1000, "maxBurnRate is at most 1000").optional(),
  /** The candidate's error ratio may be at most this multiple of stable's. @default 2 */
  maxErrorRatioVsStable: ratio("maxErrorRatioVsStable", 1).optional(),
  /** The candidate's p99 latency may be at most this multiple of stable's. @default 1.25 */
  maxLatencyVsStable: ratio("maxLatencyVsStable", 1).optional(),
  /**
   * Share of the candidate's prompts and responses Model Armor may flag or block, percent.
   * @default the model's alert threshold (`safetyBlockedPercent`, 5)
   */
  maxSafetyBlockedPercent: z.number().gt(0, "maxSafetyBlockedPercent is a percentage above 0 and at most 100").max(100, "maxSafetyBlockedPercent is a percentage above 0 and at most 100").optional(),
  /**
   * `required`: a candidate advances only with a passing load-test report committed at
   * `loadtests/<model>/<version>/report.json` (`llmops loadtest --out`). @default optional
   */
  loadTest: z.enum(["required", "optional"]).optional(),
};

export const gatesSchema = z.strictObject(gatesShape);
export type GatesConfig = z.output<typeof gatesSchema>;

/** `llmops:rollouts`: the stack's default gates. */
export const rolloutsSchema = z.strictObject({ gates: gatesSchema.prefault({}) }).prefault({});
export type RolloutsConfig = z.output<typeof rolloutsSchema>;

export interface Gates {
  readonly minRequests: number;
  readonly minMinutesAtStage: number;
  readonly confidence: number;
  readonly maxBurnRate: number;
  readonly maxErrorRatioVsStable: number;
  readonly maxLatencyVsStable: number;
  readonly maxSafetyBlockedPercent: number;
  readonly loadTest: "required" | "optional";
}

export const DEFAULT_GATES: Omit<Gates, "maxSafetyBlockedPercent"> = {
  minRequests: 500,
  minMinutesAtStage: 30,
  confidence: 0.95,
  maxBurnRate: 1,
  maxErrorRatioVsStable: 2,
  maxLatencyVsStable: 1.25,
  loadTest: "optional",
};

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** A model's gates: its own over the stack's over the defaults; the safety limit defaults to its alert threshold. */
export function resolveGates(stack: GatesConfig | undefined, model: GatesConfig | undefined, safetyBlockedPercent: number): Gates {
  return { ...DEFAULT_GATES, maxSafetyBlockedPercent: safetyBlockedPercent, ...defined(stack ?? {}), ...defined(model ?? {}) };
}
