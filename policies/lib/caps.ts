import { z } from "zod";
import type { Environment } from "../types";

/**
 * Accelerator caps per type and region (`"*"`: any other region), counted at every pool's and
 * deployment's maximum. Both the per-pool check and the stack-wide budget read this table, so
 * one override (policy config `caps`) moves both. A type missing from the table has no budget:
 * adding a new accelerator is a reviewed change here, not a surprise on the invoice.
 *
 * The defaults allow what the committed stacks need with room for a rollout (which doubles a
 * model's replicas until it finishes): dev stays within one node's worth per type and region.
 */
export const capsSchema = z.record(z.string(), z.record(z.string(), z.number().int().min(0)));
export type Caps = z.infer<typeof capsSchema>;

const DEV: Caps = {
  "nvidia-tesla-t4": { "*": 8 },
  "nvidia-l4": { "*": 8 },
  "nvidia-tesla-a100": { "*": 8 },
  "nvidia-a100-80gb": { "*": 8 },
  "nvidia-h100-80gb": { "*": 8 },
  "tpu-v5-lite-podslice": { "*": 8 },
  "tpu-v6e-slice": { "*": 8 },
};

const PROD: Caps = {
  "nvidia-tesla-t4": { "*": 32 },
  "nvidia-l4": { "*": 32 },
  "nvidia-tesla-a100": { "*": 16 },
  "nvidia-a100-80gb": { "*": 16 },
  "nvidia-h100-80gb": { "*": 16 },
  "nvidia-h100-mega-80gb": { "*": 16 },
  "nvidia-h200-141gb": { "*": 16 },
  "tpu-v5-lite-podslice": { "*": 32 },
  "tpu-v5p-slice": { "*": 32 },
  "tpu-v6e-slice": { "*": 32 },
};

export function defaultCaps(environment: Environment): Caps {
  return environment === "dev" ? DEV : PROD;
}
