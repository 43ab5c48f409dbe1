import { encodeParameterValues } from "../../pipelines/compiler/parameter-values";
import type { Pipeline } from "../../pipelines/dsl";

/**
 * A schedule's `runtimeConfig.parameterValues`, as the `gcp.colab.Schedule` resource takes them:
 * a map of strings. Vertex AI reads each string as the JSON form of the value, so every value is
 * sent as canonical JSON text of its declared type — `"5"` for NUMBER_INTEGER, `"0.85"` for
 * NUMBER_DOUBLE, `"true"` for BOOLEAN, `"[…]"`/`"{…}"` for LIST/STRUCT — except STRING values,
 * which are sent verbatim. Values are first checked and coerced against the pipeline's typed
 * inputs (`encodeParameterValues`), so `"5"` written in YAML for an integer becomes 5.
 */
export function scheduleParameterValues(pipeline: Pipeline, values: Readonly<Record<string, unknown>>): Record<string, string> {
  const encoded = encodeParameterValues(pipeline, values);
  if (!encoded.ok) throw new Error(`schedule parameters were validated with the config; got ${JSON.stringify(encoded.errors)}`);
  const types = new Map(pipeline.parameters.map((p) => [p.name, p.type]));
  const out: Record<string, string> = {};
  for (const name of Object.keys(encoded.values).sort()) {
    const value = encoded.values[name];
    out[name] = types.get(name) === "STRING" && typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}
