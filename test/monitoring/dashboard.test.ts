import { beforeAll, describe, expect, it } from "vitest";
import { type DashboardContent, stackDashboard } from "../../infra/monitoring/dashboard";
import type { Dashboard, DataSet, Tile } from "../../infra/monitoring/dashboard-types";
import { DOCUMENTED_METRICS, metricTypesIn } from "../../infra/monitoring/metrics";
import { COLUMNS, mosaic, section } from "../../infra/monitoring/widgets";
import { ofType, type Plan } from "../../lib/plan";
import { ROOT, committedConfig } from "../helpers/project";
import { render, renderCommitted } from "../helpers/render";

let plans: Record<string, Plan>;
let devAtPartial: Plan;

beforeAll(async () => {
  const config = committedConfig("dev");
  const models = JSON.parse(config["llmops:models"]);
  models["support-assistant"].rollout.stage = "partial";
  const [committed, partial] = await Promise.all([renderCommitted("dev", "prod"), render({ dir: ROOT, stack: "dev", config: { ...config, "llmops:models": JSON.stringify(models) } })]);
  if (!partial.ok) throw new Error(JSON.stringify(partial));
  plans = committed;
  devAtPartial = partial.plan;
});

const dashboardOf = (plan: Plan): Dashboard => {
  const [resource] = ofType(plan, "gcp:monitoring/dashboard:Dashboard");
  return JSON.parse(resource.inputs.dashboardJson as string) as Dashboard;
};

/** Every query string of a dashboard: filters, ratio parts and PromQL. */
function queriesOf(d: Dashboard): string[] {
  const dataSets = d.mosaicLayout.tiles.flatMap((t) => ("xyChart" in t.widget ? t.widget.xyChart.dataSets : [])) as DataSet[];
  return dataSets.flatMap(({ timeSeriesQuery: q }) =>
    "timeSeriesFilter" in q ? [q.timeSeriesFilter.filter] : "timeSeriesFilterRatio" in q ? [q.timeSeriesFilterRatio.numerator.filter, q.timeSeriesFilterRatio.denominator.filter] : [q.prometheusQuery],
  );
}

/** Every filter and query the plan's alert policies evaluate. */
function alertQueries(plan: Plan): string[] {
  return ofType(plan, "gcp:monitoring/alertPolicy:AlertPolicy").flatMap((p) =>
    (p.inputs.conditions as any[]).flatMap((c) => [c.conditionThreshold?.filter, c.conditionThreshold?.denominatorFilter, c.conditionPrometheusQueryLanguage?.query].filter((q): q is string => typeof q === "string")),
  );
}

const overlaps = (a: Tile, b: Tile) => a.xPos < b.xPos + b.width && b.xPos < a.xPos + a.width && a.yPos < b.yPos + b.height && b.yPos < a.yPos + a.height;

describe.each(["dev", "prod"])("the %s dashboard", (stack) => {
  it("is JSON that parses into a mosaic of tiles within 48 columns, none overlapping", () => {
    const d = dashboardOf(plans[stack]);
    expect(d.displayName).toBe(`LLMOps ${stack}`);
    expect(d.labels).toMatchObject({ environment: stack, "managed-by": "pulumi-llmops" });
    const tiles = d.mosaicLayout.tiles;
    expect(tiles.length).toBeGreaterThan(8);
    for (const [i, t] of tiles.entries()) {
      expect(t.xPos + t.width).toBeLessThanOrEqual(48);
      for (const other of tiles.slice(i + 1)) expect(overlaps(t, other), `${t.widget.title} / ${other.widget.title}`).toBe(false);
    }
  });

  it("names only metrics the plan's alerts use or that Google Cloud documents", () => {
    const alerted = new Set(alertQueries(plans[stack]).flatMap(metricTypesIn));
    const shown = [...new Set(queriesOf(dashboardOf(plans[stack])).flatMap(metricTypesIn))];
    expect(shown.length).toBeGreaterThan(5);
    for (const metric of shown) expect(alerted.has(metric) || metric in DOCUMENTED_METRICS, metric).toBe(true);
  });

  it("draws each model's traffic by deployed model, and its latency against the SLO's budget", () => {
    const d = dashboardOf(plans[stack]);
    const titled = (part: string) => d.mosaicLayout.tiles.find((t) => t.widget.title.includes(part))!.widget;
    const traffic = titled("predictions/s per deployed version");
    expect("xyChart" in traffic && JSON.stringify(traffic.xyChart.dataSets)).toContain("metric.label.deployed_model_id");
    const budget = stack === "prod" ? 4000 : 6000;
    const latency = titled(`p99 latency against the ${budget} ms budget`);
    expect("xyChart" in latency && latency.xyChart.thresholds).toEqual([{ label: "latency budget (slo.latencyP99Ms)", value: budget, color: "RED", direction: "ABOVE" }]);
    // The legend table maps the ids on the chart to versions, from the deployment's own split.
    const legend = titled("objective and deployed versions");
    for (const deployment of ofType(plans[stack], "pulumi-nodejs:dynamic/vertex:EndpointDeployment")) {
      for (const id of Object.keys(deployment.inputs.trafficSplit as object)) expect("text" in legend && legend.text.content).toContain(`\`${id}\``);
    }
  });

  it("draws replicas, the autoscaling signal with its target, safety blocks and pipeline runs", () => {
    const titles = dashboardOf(plans[stack]).mosaicLayout.tiles.map((t) => t.widget.title);
    for (const part of ["replicas (actual and autoscaler target)", "accelerator duty cycle (the autoscaling signal)", "error rate", "Model Armor flagged or blocked share", "Vertex AI pipeline runs by final state", "GPU utilisation (DCGM)", "Unschedulable pods"]) {
      expect(titles.some((t) => t.includes(part)), part).toBe(true);
    }
  });
});

describe("GKE-served models on the prod dashboard", () => {
  it("draws vLLM's metrics in the model's namespace, and lists its servers without traffic shares", () => {
    const d = dashboardOf(plans.prod);
    const tiles = d.mosaicLayout.tiles.filter((t) => t.widget.title.startsWith("gemma-chat"));
    expect(tiles.map((t) => t.widget.title)).toEqual([
      "gemma-chat",
      "gemma-chat: objective and deployed versions",
      "gemma-chat: requests/s per region and finish reason",
      "gemma-chat: p99 latency against the 8000 ms budget",
      "gemma-chat: error rate (aborted requests)",
      "gemma-chat: vllm:num_requests_waiting per replica (the autoscaling signal)",
      "gemma-chat: Model Armor flagged or blocked share (prompts and responses)",
    ]);
    const queries = queriesOf({ ...d, mosaicLayout: { ...d.mosaicLayout, tiles: tiles.filter((t) => !t.widget.title.includes("Model Armor")) } });
    expect(queries.length).toBeGreaterThan(3);
    for (const q of queries) expect(q).toContain('resource.type="prometheus_target" AND resource.label.namespace="gemma-chat" AND resource.label.location=one_of("us-central1", "europe-west4")');
    const latency = tiles.find((t) => t.widget.title.includes("p99 latency"))!.widget;
    expect("xyChart" in latency && latency.xyChart.thresholds?.[0].value).toBe(8);
    const legend = tiles.find((t) => t.widget.title.includes("objective"))!.widget;
    const text = "text" in legend ? legend.text.content : "";
    expect(text).toContain("| us-central1 | 1.0.0 | `gemma-chat-v1-0-0` |");
    expect(text).not.toMatch(/\d+ ?%.*\|/);
  });
});

describe("rollout stages and monitoring", () => {
  // A stage change is reviewed as a traffic-split change alone (infra/models/README.md).
  it("leaves every alert, SLO and the dashboard unchanged when the rollout stage moves", () => {
    const monitoring = (plan: Plan) => plan.resources.filter((r) => /^gcp:(monitoring|logging)\//.test(r.type)).map((r) => [r.name, r.inputs]);
    expect(monitoring(devAtPartial)).toEqual(monitoring(plans.dev));
    expect(monitoring(plans.dev).length).toBeGreaterThan(10);
  });
});

describe("the documented metric list", () => {
  it("links every metric to a Google Cloud page", () => {
    for (const [metric, url] of Object.entries(DOCUMENTED_METRICS)) expect(url, metric).toMatch(/^https:\/\/cloud\.google\.com\//);
  });

  it("finds metric types in Monitoring filters and PromQL selectors", () => {
    expect(metricTypesIn('metric.type="a.googleapis.com/x" AND resource.type="r"')).toEqual(["a.googleapis.com/x"]);
    expect(metricTypesIn('avg by (cluster) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{cluster="c"}[1h])) < 15')).toEqual(["DCGM_FI_DEV_GPU_UTIL"]);
  });
});

describe("the dashboard builder", () => {
  it("flows blocks left to right and wraps at 48 columns, each row as tall as its tallest block", () => {
    const w = section("x");
    const tiles = mosaic([{ widget: w, width: 48, height: 4 }, { widget: w, width: 16 }, { widget: w, width: 32, height: 20 }, { widget: w }, { widget: w, width: 60 }]);
    expect(tiles.map(({ xPos, yPos, width, height }) => [xPos, yPos, width, height])).toEqual([
      [0, 0, 48, 4],
      [0, 4, 16, 16],
      [16, 4, 32, 20],
      [0, 24, 24, 16],
      [0, 40, COLUMNS, 16],
    ]);
  });

  const content: DashboardContent = {
    environment: "test",
    labels: { environment: "test" },
    models: [],
    pipelineMetric: "llmops/test/pipeline_runs",
    clusters: [{ region: "europe-west4", cluster: "llmops-test-europe-west4", kinds: ["tpu"] }],
    acceleratorIdlePercent: 20,
  };

  it("shows no model section and no safety chart for a stack without models", () => {
    const titles = stackDashboard(content).mosaicLayout.tiles.map((t) => t.widget.title);
    expect(titles).toEqual(["Pipelines and accelerators", "Vertex AI pipeline runs by final state", "TPU TensorCore utilisation", "Unschedulable pods (waiting for capacity)"]);
  });

  it("draws the TPU chart only for clusters with TPU pools, with the idle threshold", () => {
    const tpu = stackDashboard(content).mosaicLayout.tiles.find((t) => t.widget.title === "TPU TensorCore utilisation")!.widget;
    expect("xyChart" in tpu && tpu.xyChart.dataSets[0].timeSeriesQuery).toEqual({
      timeSeriesFilter: {
        filter: 'metric.type="kubernetes.io/node/accelerator/tensorcore_utilization" AND resource.type="k8s_node" AND resource.label.cluster_name=one_of("llmops-test-europe-west4")',
        aggregation: { alignmentPeriod: "300s", perSeriesAligner: "ALIGN_MEAN", crossSeriesReducer: "REDUCE_MEAN", groupByFields: ["resource.label.cluster_name"] },
      },
    });
    expect("xyChart" in tpu && tpu.xyChart.thresholds).toEqual([{ label: "idle alert", value: 20, color: "YELLOW", direction: "BELOW" }]);
  });
});
