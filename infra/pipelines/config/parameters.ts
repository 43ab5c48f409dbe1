import { encodeParameterValues } from "../../../pipelines/compiler/parameter-values";
import type { Pipeline } from "../../../pipelines/dsl";

/** What one schedule runs: the template's pipeline and the run's `runtimeConfig.parameterValues`. */
export interface ScheduledRun {
  /**
   * The pipeline with every one of the schedule's values as the default of its root input,
   * typed as declared (`0.42` a NUMBER_DOUBLE, `4` a NUMBER_INTEGER, `[…]` a LIST).
   */
  readonly pipeline: Pipeline;
  /** The STRING-typed values only, verbatim; absent when there are none. */
  readonly parameterValues?: Readonly<Record<string, string>>;
}

/**
 * A schedule's run, from its pipeline and its configured parameter values.
 *
 * Typed values travel as template defaults because Vertex AI reads parameter values as
 * `google.protobuf.Value`s and rejects a string Value for a non-STRING input, while the schedule
 * resource (`gcp.colab.Schedule`) can only send a map of strings; a root input left out of the
 * run takes the spec's typed `defaultValue`.
 *
 * STRING values are also sent, as strings are what those inputs take: the provider keeps a
 * `parameterValues` map left out of the program at its last value (the field is optional and
 * computed), so a schedule deployed before typed defaults would go on sending its old strings for
 * typed inputs. A non-empty map replaces them. Every mission pipeline has a required STRING input,
 * so every valid schedule sends one (assumed here, pinned by test/pipelines/schedules.test.ts).
 * `infra/pipelines/README.md` gives the sources.
 *
 * Values are first checked and coerced against the pipeline's typed inputs
 * (`encodeParameterValues`), so `"5"` written in YAML for an integer becomes 5. The config schema
 * reports bad values with their stack file and key before any resource is registered; reaching
 * the throw here means that check was bypassed.
 */
export function scheduledRun(pipeline: Pipeline, values: Readonly<Record<string, unknown>>): ScheduledRun {
  const encoded = encodeParameterValues(pipeline, values);
  if (!encoded.ok) {
    throw new Error(`schedule parameters of pipeline "${pipeline.name}" were not validated with the config: ${encoded.errors.map((e) => `${e.param}: ${e.message}`).join("; ")}`);
  }
  const types = new Map(pipeline.parameters.map((p) => [p.name, p.type]));
  const strings: Record<string, string> = {};
  for (const name of Object.keys(encoded.values).sort()) {
    const value = encoded.values[name];
    if (types.get(name) === "STRING" && typeof value === "string") strings[name] = value;
  }
  return { pipeline: pipeline.withDefaults(encoded.values), ...(Object.keys(strings).length > 0 ? { parameterValues: strings } : {}) };
}
