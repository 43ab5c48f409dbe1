import * as pulumi from "@pulumi/pulumi";
import { type LabelMatch, VERTEX, metricFilter } from "./metrics";

/** One model in one region: what every per-region alert, SLO and chart is scoped to. */
export interface ServedRegion {
  readonly model: string;
  readonly region: string;
  readonly environment: string;
  /** The endpoint's numeric id, read from the endpoint's resource name. */
  readonly endpointId: pulumi.Output<string>;
  /** Logical-name prefix of this region's children: `<component>-<region>`. */
  readonly prefix: string;
  /** User labels: the stack's, plus `model` and `region`. */
  readonly labels: Readonly<Record<string, string>>;
}

/** `projects/P/locations/R/endpoints/ID` → `ID`: Vertex metrics label endpoints by id alone. */
export function endpointIdOf(endpoint: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(endpoint).apply((name) => name.slice(name.lastIndexOf("/") + 1));
}

/** A filter on one Vertex AI endpoint metric of this model in this region. */
export function endpointFilter(served: ServedRegion, metric: string, metricLabels?: Readonly<Record<string, LabelMatch>>): pulumi.Output<string> {
  return served.endpointId.apply((id) =>
    metricFilter({ metric, resource: VERTEX.resource, resourceLabels: { endpoint_id: id, location: served.region }, metricLabels }),
  );
}

/**
 * End-to-end latency only: `prediction_latencies` also reports `model` and `overhead` series,
 * and merging them would understate the latency a caller sees.
 */
export const TOTAL_LATENCY = { latency_type: "total" } as const;

/** Short human title prefix: `[prod] support-assistant us-central1`. */
export function titleOf(served: ServedRegion, what: string): string {
  return `[${served.environment}] ${served.model} ${served.region}: ${what}`;
}
