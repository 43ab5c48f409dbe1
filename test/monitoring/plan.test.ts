import { beforeAll, describe, expect, it } from "vitest";
import { type StackSettings, parseStackConfig } from "../../infra/settings";
import { DEFAULT_QUEUE, namespaceOf, templateId } from "../../infra/models/config";
import { sloOf } from "../../infra/monitoring/config";
import { monitoringSummary } from "../../infra/monitoring/summary";
import { mockId } from "../../infra/testing/mock-outputs";
import { ofType, type Plan, type PlannedResource } from "../../lib/plan";
import { committedConfig } from "../helpers/project";
import { renderCommitted } from "../helpers/render";

const POLICY = "gcp:monitoring/alertPolicy:AlertPolicy";
const CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel";

type Condition = {
  displayName: string;
  conditionThreshold?: { filter: string; denominatorFilter?: string; comparison: string; thresholdValue: number; duration: string; aggregations?: { crossSeriesReducer?: string }[] };
  conditionPrometheusQueryLanguage?: { query: string; duration: string };
};
type PolicyInputs = { conditions: Condition[]; combiner: string; severity: string; notificationChannels: string[]; userLabels: Record<string, string>; documentation: { content: string; mimeType: string } };

let plans: Record<string, Plan>;
const settings: Record<string, StackSettings> = {};

beforeAll(async () => {
  plans = await renderCommitted("dev", "prod");
  for (const stack of ["dev", "prod"]) {
    const parsed = parseStackConfig(committedConfig(stack), stack);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    settings[stack] = parsed.settings;
  }
});

const policies = (plan: Plan) => ofType(plan, POLICY).map((r) => ({ r, i: r.inputs as unknown as PolicyInputs }));
const policy = (plan: Plan, name: string) => {
  const found = policies(plan).find((p) => p.r.name === name);
  if (!found) throw new Error(`no alert policy ${name} in ${plan.stack}: ${policies(plan).map((p) => p.r.name).join(", ")}`);
  return found.i;
};
const channelName = (project: string, logical: string) => mockId(CHANNEL, logical, { project });
// Every served model and region, on either platform.
const servedRegions = (stack: string) => Object.entries(settings[stack].models).flatMap(([model, m]) => m.config.serving.regions.map((region) => ({ model, m: m.config, region })));
/** The numeric endpoint id the plan's AiEndpoint for this model and region carries. */
const endpointIdOf = (plan: Plan, model: string, region: string) => {
  const endpoint = ofType(plan, "gcp:vertex/aiEndpoint:AiEndpoint").find((e) => e.name === `model-${model}-${region}`);
  if (!endpoint) throw new Error(`no endpoint for ${model} in ${region}`);
  return endpoint.inputs.name as string;
};
type Served = ReturnType<typeof servedRegions>[number];
/** The clauses that scope a metric to this model in this region: its endpoint, or its namespace in the region's cluster. */
const scopeOf = ({ model, m, region }: Served): string[] =>
  m.serving.platform === "gke"
    ? ['resource.type="prometheus_target"', `resource.label.namespace="${namespaceOf(model)}"`, `resource.label.location="${region}"`]
    : ['resource.type="aiplatform.googleapis.com/Endpoint"', `resource.label.endpoint_id="${endpointIdOf(plans.prod, model, region)}"`, `resource.label.location="${region}"`];
const expectScoped = (filter: string | undefined, served: Served) => {
  for (const clause of scopeOf(served)) expect(filter, `${served.model} ${served.region}`).toContain(clause);
};
const VLLM_FINISHED = 'metric.type="prometheus.googleapis.com/vllm:request_success_total/counter"';

describe("per model and region in the prod plan", () => {
  it("serves models on both platforms, each in two regions (what the rest of this suite checks)", () => {
    expect(servedRegions("prod").map((s) => `${s.m.serving.platform} ${s.model} ${s.region}`).sort()).toEqual([
      "gke gemma-chat europe-west4",
      "gke gemma-chat us-central1",
      "vertex support-assistant europe-west4",
      "vertex support-assistant us-central1",
    ]);
  });

  it("alerts on p99 latency above the model's latency budget, on its own endpoint or namespace", () => {
    for (const served of servedRegions("prod")) {
      const { model, m, region } = served;
      const latency = policy(plans.prod, `monitoring-model-${model}-${region}-latency`);
      const c = latency.conditions[0].conditionThreshold!;
      expect(c.comparison).toBe("COMPARISON_GT");
      expect(c.aggregations?.[0].crossSeriesReducer).toBe("REDUCE_PERCENTILE_99");
      expectScoped(c.filter, served);
      if (m.serving.platform === "gke") {
        // vLLM's histogram is in seconds.
        expect(c.thresholdValue).toBe(sloOf(m).latencyP99Ms / 1000);
        expect(c.filter).toContain('metric.type="prometheus.googleapis.com/vllm:e2e_request_latency_seconds/histogram"');
      } else {
        expect(c.thresholdValue).toBe(sloOf(m).latencyP99Ms);
        expect(c.filter).toContain('metric.type="aiplatform.googleapis.com/prediction/online/prediction_latencies"');
        expect(c.filter).toContain('metric.label.latency_type="total"');
      }
    }
  });

  it("alerts on the error rate as failed over all requests, at the model's threshold", () => {
    for (const served of servedRegions("prod")) {
      const { model, m, region } = served;
      const c = policy(plans.prod, `monitoring-model-${model}-${region}-errors`).conditions[0].conditionThreshold!;
      expectScoped(c.filter, served);
      expectScoped(c.denominatorFilter, served);
      if (m.serving.platform === "gke") {
        expect(c.filter).toContain(VLLM_FINISHED);
        expect(c.filter).toContain('metric.label.finished_reason="abort"');
        expect(c.denominatorFilter).toContain(VLLM_FINISHED);
        expect(c.denominatorFilter).not.toContain("finished_reason");
      } else {
        expect(c.filter).toContain("prediction/online/error_count");
        expect(c.denominatorFilter).toContain("prediction/online/prediction_count");
      }
      expect(c.thresholdValue).toBeCloseTo(settings.prod.monitoring.models[model].thresholds.errorRatePercent / 100);
    }
  });

  it("alerts on Model Armor's blocked share for the model's own templates, once traffic is meaningful", () => {
    for (const { model, m, region } of servedRegions("prod")) {
      const safety = policy(plans.prod, `monitoring-model-${model}-${region}-safety`);
      expect(safety.combiner).toBe("AND");
      const [share, volume] = safety.conditions.map((c) => c.conditionThreshold!);
      const templates = Object.keys(m.versions).map((v) => `"${templateId(model, v)}"`).join(", ");
      expect(share.filter).toContain(`metric.label.template_id=one_of(${templates})`);
      expect(share.filter).toContain(`metric.label.location="${region}"`);
      expect(share.filter).toContain('metric.label.match_state="MATCH_FOUND"');
      expect(share.denominatorFilter).not.toContain("match_state");
      expect(share.thresholdValue).toBeCloseTo(settings.prod.monitoring.models[model].thresholds.safetyBlockedPercent / 100);
      expect(volume.filter).toBe(share.denominatorFilter);
    }
  });

  it("alerts on saturation only at maxReplicas with the autoscaling signal above the threshold (Vertex AI)", () => {
    for (const { model, m, region } of servedRegions("prod").filter((s) => s.m.serving.platform === "vertex")) {
      const saturation = policy(plans.prod, `monitoring-model-${model}-${region}-saturation`);
      expect(saturation.combiner).toBe("AND_WITH_MATCHING_RESOURCE");
      const [replicas, busy] = saturation.conditions.map((c) => c.conditionThreshold!);
      expect(replicas.filter).toContain("prediction/online/replicas");
      expect(replicas.thresholdValue).toBe(m.serving.maxReplicas);
      expect(busy.filter).toContain("prediction/online/accelerator/duty_cycle");
      expect(busy.thresholdValue).toBeCloseTo(0.9);
    }
  });

  it("alerts on saturation when the autoscaler's queue gauge stays above its per-replica target for 15 min (GKE)", () => {
    const gke = servedRegions("prod").filter((s) => s.m.serving.platform === "gke");
    expect(gke.length).toBeGreaterThan(0);
    for (const served of gke) {
      const { model, m, region } = served;
      const saturation = policy(plans.prod, `monitoring-model-${model}-${region}-saturation`);
      expect(saturation.conditions).toHaveLength(1);
      const c = saturation.conditions[0].conditionThreshold!;
      const queue = m.serving.queue ?? DEFAULT_QUEUE;
      expect(c.filter).toContain(`metric.type="prometheus.googleapis.com/${queue.metric}/gauge"`);
      expectScoped(c.filter, served);
      expect(c.aggregations?.[0].crossSeriesReducer).toBe("REDUCE_MEAN");
      expect(c.thresholdValue).toBe(queue.target);
      expect(c.duration).toBe("900s");
    }
  });

  it("has an availability and a latency SLO on a service per model and region", () => {
    const services = ofType(plans.prod, "gcp:monitoring/customService:CustomService");
    const slos = ofType(plans.prod, "gcp:monitoring/slo:Slo");
    for (const served of servedRegions("prod")) {
      const { model, m, region } = served;
      const service = services.find((s) => s.inputs.serviceId === `llmops-${model}-${region}`);
      expect(service?.inputs.userLabels).toMatchObject({ model, region, environment: "prod" });
      const own = slos.filter((s) => s.inputs.service === `llmops-${model}-${region}`);
      expect(own.map((s) => s.inputs.sloId).sort()).toEqual(["availability", "latency"]);
      const availability = own.find((s) => s.inputs.sloId === "availability")!.inputs as any;
      expect(availability.goal).toBeCloseTo(sloOf(m).availability / 100);
      expect(availability.rollingPeriodDays).toBe(30);
      const { goodServiceFilter, badServiceFilter } = availability.requestBasedSli.goodTotalRatio;
      expectScoped(goodServiceFilter, served);
      expectScoped(badServiceFilter, served);
      const gke = m.serving.platform === "gke";
      if (gke) {
        expect(goodServiceFilter).toContain(`${VLLM_FINISHED}`);
        expect(goodServiceFilter).toContain('metric.label.finished_reason=one_of("stop", "length")');
        expect(badServiceFilter).toContain('metric.label.finished_reason="abort"');
      } else {
        expect(goodServiceFilter).toContain("prediction_count");
        expect(badServiceFilter).toContain("error_count");
      }
      const latency = own.find((s) => s.inputs.sloId === "latency")!.inputs as any;
      expect(latency.goal).toBe(0.99);
      expect(latency.requestBasedSli.distributionCut.range).toEqual({ max: gke ? sloOf(m).latencyP99Ms / 1000 : sloOf(m).latencyP99Ms });
      expectScoped(latency.requestBasedSli.distributionCut.distributionFilter, served);
      expect(latency.requestBasedSli.distributionCut.distributionFilter).toContain(gke ? "vllm:e2e_request_latency_seconds/histogram" : "prediction_latencies");
    }
  });

  it("has multi-window burn-rate alerts (1 h and 5 min > 14.4; 6 h and 30 min > 6) on each SLO", () => {
    for (const { model, region } of servedRegions("prod")) {
      for (const objective of ["availability", "latency"]) {
        const slo = `"projects/\\d+/services/llmops-${model}-${region}/serviceLevelObjectives/${objective}"`;
        for (const [window, rate, long, short] of [["fast-burn", 14.4, "3600s", "300s"], ["slow-burn", 6, "21600s", "1800s"]] as const) {
          const burn = policy(plans.prod, `monitoring-model-${model}-${region}-${objective}-${window}`);
          expect(burn.combiner).toBe("AND");
          expect(burn.severity).toBe("CRITICAL");
          const filters = burn.conditions.map((c) => c.conditionThreshold!.filter);
          expect(filters[0]).toMatch(new RegExp(`^select_slo_burn_rate\\(${slo}, "${long}"\\)$`));
          expect(filters[1]).toMatch(new RegExp(`^select_slo_burn_rate\\(${slo}, "${short}"\\)$`));
          expect(burn.conditions.map((c) => c.conditionThreshold!.thresholdValue)).toEqual([rate, rate]);
        }
      }
    }
  });
});

describe("routing to the configured channels", () => {
  it("creates prod's email, Slack and PagerDuty channels and dev's one email", () => {
    expect(ofType(plans.prod, CHANNEL).map((c) => c.inputs.type).sort()).toEqual(["email", "pagerduty", "slack"]);
    expect(ofType(plans.dev, CHANNEL).map((c) => [c.inputs.type, (c.inputs.labels as Record<string, string>).email_address])).toEqual([["email", "ml-platform-dev@acme.example"]]);
  });

  it("sends every prod alert to email and Slack, and pages only on CRITICAL", () => {
    const project = settings.prod.project;
    const [email] = ofType(plans.prod, CHANNEL).filter((c) => c.inputs.type === "email");
    const everyone = [channelName(project, email.name), channelName(project, "monitoring-channels-slack")];
    const pager = channelName(project, "monitoring-channels-pagerduty");
    const all = policies(plans.prod);
    expect(all.length).toBeGreaterThan(0);
    for (const { r, i } of all) {
      const expected = i.severity === "CRITICAL" ? [...everyone, pager] : everyone;
      expect([...i.notificationChannels].sort(), r.name).toEqual([...expected].sort());
    }
    expect(all.filter((p) => p.i.severity === "CRITICAL").length).toBe(servedRegions("prod").length * 4);
  });

  it("sends every dev alert to the one email channel", () => {
    const [email] = ofType(plans.dev, CHANNEL);
    for (const { i } of policies(plans.dev)) expect(i.notificationChannels).toEqual([channelName(settings.dev.project, email.name)]);
  });
});

describe("what every alert policy carries", () => {
  it.each(["dev", "prod"])("%s: a severity, a markdown runbook naming its scope, and labels", (stack) => {
    for (const { r, i } of policies(plans[stack])) {
      expect(["WARNING", "ERROR", "CRITICAL"], r.name).toContain(i.severity);
      expect(i.documentation.mimeType).toBe("text/markdown");
      expect(i.documentation.content).toContain("**What to do**");
      expect(i.userLabels).toMatchObject({ environment: stack, "managed-by": "pulumi-llmops", severity: i.severity.toLowerCase() });
      expect(i.userLabels.signal).toMatch(/^[a-z-]+$/);
      if (i.userLabels.model) {
        expect(i.documentation.content).toContain(`**${i.userLabels.model}**`);
        expect(i.documentation.content).toContain(`**${i.userLabels.region}**`);
      }
    }
  });

  it("labels every labelable monitoring resource", () => {
    const labelled = ["gcp:monitoring/notificationChannel:NotificationChannel", "gcp:monitoring/customService:CustomService", "gcp:monitoring/slo:Slo", POLICY];
    for (const r of plans.prod.resources.filter((x) => labelled.includes(x.type))) {
      expect(r.inputs.userLabels, r.name).toMatchObject({ environment: "prod", "managed-by": "pulumi-llmops", team: "ml-platform" });
    }
  });

  it("parents every monitoring resource to its component and orders it after the Monitoring and Logging APIs", () => {
    const monitoring = plans.prod.resources.filter((r) => /^gcp:(monitoring|logging)\//.test(r.type));
    for (const r of monitoring) {
      expect(r.parent, r.name).toMatch(/::llmops:monitoring:Monitoring\$llmops:monitoring:[A-Za-z]+::monitoring-/);
      expect(r.options.dependsOn.some((d) => d.endsWith("::apis-monitoring")), r.name).toBe(true);
    }
  });

  it("keeps the names of prod's monitoring resources (public API: renames need aliases)", () => {
    const names = (type: string) => ofType(plans.prod, type).map((r) => r.name).sort();
    expect(names("gcp:logging/metric:Metric")).toEqual(["monitoring-pipelines-runs", "monitoring-safety-sanitize-operations"]);
    expect(names("gcp:monitoring/dashboard:Dashboard")).toEqual(["monitoring-dashboard-overview"]);
    const roles = ["availability-fast-burn", "availability-slow-burn", "errors", "latency", "latency-fast-burn", "latency-slow-burn", "safety", "saturation"];
    expect(names(POLICY).filter((n) => n.includes("us-central1") && n.startsWith("monitoring-model-"))).toEqual(
      ["gemma-chat", "support-assistant"].flatMap((model) => roles.map((role) => `monitoring-model-${model}-us-central1-${role}`)),
    );
  });
});

describe("log-based metrics and stack-wide alerts", () => {
  const metric = (plan: Plan, name: string): PlannedResource => ofType(plan, "gcp:logging/metric:Metric").find((m) => m.name === name)!;

  it("counts Model Armor sanitize results by template, region, operation and match state", () => {
    const m = metric(plans.prod, "monitoring-safety-sanitize-operations");
    expect(m.inputs.name).toBe("llmops/prod/model_armor_sanitize_operations");
    expect(m.inputs.filter).toBe('logName="projects/acme-llmops-prod/logs/modelarmor.googleapis.com%2Fsanitize_operations" AND resource.type="modelarmor.googleapis.com/SanitizeOperation"');
    expect(m.inputs.labelExtractors).toMatchObject({ template_id: "EXTRACT(resource.labels.template_id)", match_state: "EXTRACT(jsonPayload.sanitizationResult.filterMatchState)", operation: "EXTRACT(jsonPayload.operationType)" });
    expect((m.inputs.metricDescriptor as any).labels.map((l: { key: string }) => l.key).sort()).toEqual(Object.keys(m.inputs.labelExtractors as object).sort());
  });

  it("alerts on every failed pipeline run, from a log-based metric on Vertex AI pipeline job state", () => {
    const m = metric(plans.prod, "monitoring-pipelines-runs");
    expect(m.inputs.filter).toContain('resource.type="aiplatform.googleapis.com/PipelineJob"');
    expect(m.inputs.filter).toContain("PIPELINE_STATE_FAILED");
    const failed = policy(plans.prod, "monitoring-pipelines-failed").conditions[0].conditionThreshold!;
    expect(failed.filter).toBe('metric.type="logging.googleapis.com/user/llmops/prod/pipeline_runs" AND metric.label.state="PIPELINE_STATE_FAILED"');
    expect(failed.thresholdValue).toBe(0);
  });

  it("watches each GKE cluster's accelerators: idle GPUs and TPUs, and pods waiting for capacity", () => {
    const clusters = Object.fromEntries(ofType(plans.prod, "gcp:container/cluster:Cluster").map((c) => [c.inputs.location, c.inputs.name as string]));
    const accelerators = policies(plans.prod).filter((p) => p.r.name.startsWith("monitoring-accelerators-")).map((p) => p.r.name).sort();
    expect(accelerators).toEqual([
      "monitoring-accelerators-europe-west4-gpu-idle",
      "monitoring-accelerators-europe-west4-pending-pods",
      "monitoring-accelerators-europe-west4-tpu-idle",
      "monitoring-accelerators-us-central1-gpu-idle",
      "monitoring-accelerators-us-central1-pending-pods",
    ]);
    for (const region of ["us-central1", "europe-west4"]) {
      const idle = policy(plans.prod, `monitoring-accelerators-${region}-gpu-idle`).conditions[0].conditionPrometheusQueryLanguage!;
      expect(idle.query).toBe(`avg by (cluster, location, modelName) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{cluster="${clusters[region]}"}[1h])) < 15`);
      expect(idle.duration).toBe("43200s");
      const pending = policy(plans.prod, `monitoring-accelerators-${region}-pending-pods`).conditions[0].conditionPrometheusQueryLanguage!;
      expect(pending.query).toContain(`kube_pod_status_unschedulable{cluster="${clusters[region]}"}`);
      expect(pending.duration).toBe("1800s");
    }
    const tpu = policy(plans.prod, "monitoring-accelerators-europe-west4-tpu-idle").conditions[0].conditionThreshold!;
    expect(tpu.filter).toContain(`resource.label.cluster_name="${clusters["europe-west4"]}"`);
    expect(tpu.comparison).toBe("COMPARISON_LT");
  });
});

describe("the stack output", () => {
  it("shows each model's SLO beside the autoscaling target its deployment really uses", () => {
    const out = plans.prod.outputs.monitoring as { models: Record<string, { slo: unknown; autoscaling: unknown }> };
    for (const deployment of ofType(plans.prod, "pulumi-nodejs:dynamic/vertex:EndpointDeployment")) {
      const spec = (deployment.inputs.deployments as { displayName: string; autoscaling: unknown }[])[0];
      const model = spec.displayName.replace(/-\d+\.\d+\.\d+$/, "");
      expect(out.models[model].autoscaling).toEqual(spec.autoscaling);
      expect(out.models[model].slo).toEqual(settings.prod.models[model].config.slo);
    }
  });

  it("alerts on GKE saturation with the very metric, namespace and target the HorizontalPodAutoscalers scale on", () => {
    const hpas = ofType(plans.prod, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
    expect(hpas.length).toBeGreaterThan(0);
    for (const hpa of hpas) {
      const spec = hpa.inputs.spec as { metrics: { pods: { metric: { name: string }; target: { averageValue: string } } }[] };
      const namespace = (hpa.inputs.metadata as { namespace: string }).namespace;
      const [served] = servedRegions("prod").filter((s) => s.m.serving.platform === "gke" && namespaceOf(s.model) === namespace && hpa.name.includes(`-${s.region}-`));
      expect(served, hpa.name).toBeDefined();
      const c = policy(plans.prod, `monitoring-model-${served.model}-${served.region}-saturation`).conditions[0].conditionThreshold!;
      // The custom metrics adapter names `prometheus.googleapis.com/<name>/gauge` with `|` for `/`.
      expect(c.filter).toContain(`metric.type="${spec.metrics[0].pods.metric.name.replaceAll("|", "/")}"`);
      expect(c.thresholdValue).toBe(Number(spec.metrics[0].pods.target.averageValue));
    }
  });
});

describe("llmops plan's monitoring summary", () => {
  it("lists channels, each model's SLO beside its autoscaling target, and alerts and SLOs per region", () => {
    expect(monitoringSummary(plans.prod)).toEqual([
      "monitoring: 38 alert policies, 8 SLOs, 1 dashboard; channels: email ×1, slack #llmops-prod-alerts (WARNING and above), pagerduty (CRITICAL and above)",
      "  support-assistant: SLO 99.5% available, p99 ≤ 4000 ms | autoscaling on accelerator duty cycle at 60%",
      "    europe-west4: 8 alert policies (errors, latency, safety, saturation, slo-burn ×4), 2 SLOs (availability, latency)",
      "    us-central1: 8 alert policies (errors, latency, safety, saturation, slo-burn ×4), 2 SLOs (availability, latency)",
      "  gemma-chat: SLO 99.5% available, p99 ≤ 8000 ms | autoscaling on vllm:num_requests_waiting at 5 per replica",
      "    europe-west4: 8 alert policies (errors, latency, safety, saturation, slo-burn ×4), 2 SLOs (availability, latency)",
      "    us-central1: 8 alert policies (errors, latency, safety, saturation, slo-burn ×4), 2 SLOs (availability, latency)",
      "  stack-wide: 6 alert policies (accelerator-capacity ×2, accelerator-idle ×3, pipeline-failure)",
    ]);
  });

  it("says so when a plan has no monitoring output", () => {
    expect(monitoringSummary({ ...plans.dev, outputs: {} })).toEqual(["monitoring: none"]);
  });
});
