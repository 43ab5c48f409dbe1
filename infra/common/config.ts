import type { z } from "zod";

/**
 * What every capability's configuration code shares with the settings layer above it: the
 * stack-wide settings, the shape of a cross-key rule and of a resolution problem. Capabilities
 * import these, never the composed schema, so configuration flows one way:
 * stack file → settings (schema, resolution) → capability settings → components.
 */

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The stack-wide settings every capability's resolution starts from. */
export interface CoreSettings {
  readonly project: string;
  readonly stack: string;
  readonly environment: Environment;
  readonly isProd: boolean;
  /** `llmops:regions`, primary first. */
  readonly regions: readonly string[];
  readonly primaryRegion: string;
  /** Labels for every labelable resource: user labels plus `environment` and `managed-by`. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * A rule across keys, typed on exactly the keys it reads (its slice of the `llmops:` namespace).
 * Issue paths start at the key name (`["models", name, "serving", …]`). Rules run only when every
 * key parsed.
 */
export type SliceCheck<S> = (slice: S, ctx: z.RefinementCtx) => void;

/** A problem only resolution can find (a derived name too long); the settings layer adds the file. */
export interface ResolveProblem {
  /** Full key path: `llmops:storage.namePrefix`. */
  readonly key: string;
  readonly message: string;
}

/** A capability's resolved settings, and what was wrong on the way. */
export interface Resolved<T> {
  readonly settings: T;
  readonly problems: readonly ResolveProblem[];
}

/**
 * An image reference pinned by digest (`[REGISTRY/]PATH@sha256:<64 hex>`): a tag can move under a
 * released version. Without a registry host the image is in the stack's images repository.
 */
export const PINNED_IMAGE = /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9._\/-]+@sha256:[a-f0-9]{64}$/;
