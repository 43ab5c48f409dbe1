import { VERSION_METRIC_LABEL, endpointId, namespaceOf, templateId } from "../../infra/models/config";
import type { ResolvedModel } from "../../infra/models/config";
import { PROMETHEUS_TARGET, VERTEX, VLLM, metricFilter } from "../../infra/monitoring/metrics";
import { toLabelValue } from "../../infra/common/labels";
import { UserError } from "../project";
import { SANITIZE_LOG_METRIC } from "./metric-names";
import type { ListTimeSeriesResponse, RecordedMetrics } from "./timeseries";

/** The metric types and filters an analysis reads for a model, per platform. */
export function queriesFor(project: string, environment: string, model: ResolvedModel): Record<string, string> {
  const c = model.config;
  const versions = [c.rollout.stable, ...(c.rollout.candidate ? [c.rollout.candidate] : [])];
  const safetyType = SANITIZE_LOG_METRIC(environment);
  const safety = { [safetyType]: metricFilter({ metric: safetyType, metricLabels: { template_id: versions.map((v) => templateId(model.name, v)) } }) };
  if (c.serving.platform === "vertex") {
    const endpoints = c.serving.regions.map((r) => endpointId(project, model.name, r));
    const on = (metric: string) => metricFilter({ metric, resource: VERTEX.resource, resourceLabels: { endpoint_id: endpoints } });
    return { [VERTEX.predictions]: on(VERTEX.predictions), [VERTEX.errors]: on(VERTEX.errors), [VERTEX.latencies]: on(VERTEX.latencies), ...safety };
  }
  const on = (metric: string) => metricFilter({ metric, resource: PROMETHEUS_TARGET, resourceLabels: { namespace: namespaceOf(model.name) }, metricLabels: { [VERSION_METRIC_LABEL]: versions.map(toLabelValue) } });
  return { [VLLM.finished]: on(VLLM.finished), [VLLM.e2eLatency]: on(VLLM.e2eLatency), ...safety };
}

/** "1h", "30m", "2d" → milliseconds. */
export function parseWindow(text: string): number {
  const m = /^(\d+)(m|h|d)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new UserError(`--window "${text}" is not a duration; allowed: a whole number of minutes, hours or days such as 30m, 1h, 1d`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "m" | "h" | "d"];
}

/**
 * Reads the window from Cloud Monitoring with Application Default Credentials, every page of
 * `projects.timeSeries.list` per metric type, unaggregated (`view=FULL`), exactly as `--from-file`
 * expects it back.
 */
export async function readLive(project: string, queries: Record<string, string>, windowMs: number, now = Date.now()): Promise<RecordedMetrics> {
  const { GoogleAuth } = require("google-auth-library") as typeof import("google-auth-library");
  const auth = new GoogleAuth({ scopes: ["https://www.googleapis.com/auth/monitoring.read"] });
  let client: Awaited<ReturnType<typeof auth.getClient>>;
  try {
    client = await auth.getClient();
  } catch (err) {
    throw new UserError(`cannot read Cloud Monitoring: no Application Default Credentials (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); run gcloud auth application-default login, or analyze a recorded file with --from-file`);
  }
  const out: Record<string, ListTimeSeriesResponse[]> = {};
  for (const [type, filter] of Object.entries(queries)) {
    const pages: ListTimeSeriesResponse[] = [];
    let pageToken: string | undefined;
    do {
      const params = new URLSearchParams({ filter, "interval.startTime": new Date(now - windowMs).toISOString(), "interval.endTime": new Date(now).toISOString(), view: "FULL", ...(pageToken ? { pageToken } : {}) });
      const res = await client.request<ListTimeSeriesResponse>({ url: `https://monitoring.googleapis.com/v3/projects/${project}/timeSeries?${params}` }).catch((err: unknown) => {
        throw new UserError(`Cloud Monitoring refused ${type} for ${project}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)} (the caller needs roles/monitoring.viewer)`);
      });
      pages.push(res.data);
      pageToken = res.data.nextPageToken || undefined;
    } while (pageToken);
    out[type] = pages;
  }
  return out;
}
