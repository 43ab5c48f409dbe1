import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { type AlertScope, createAlert } from "./alert";
import type { Severity, SloConfig } from "./config/schema";
import { type ServedRegion, signalsOf, titleOf } from "./served-region";

/**
 * SLOs are measured over 30 rolling days: the window the Site Reliability Workbook's burn-rate
 * numbers assume (and Cloud Monitoring's longest rolling period).
 */
export const SLO_WINDOW_DAYS = 30;

/** A p99 budget is an objective on 99% of requests: 99 in 100 predictions finish within it. */
export const LATENCY_SLO_GOAL = 0.99;

export interface BurnRateWindow {
  readonly name: "fast-burn" | "slow-burn";
  /** The long window, which must burn fast enough to matter… */
  readonly long: string;
  /** …and the short window, which must still be burning, so the alert resets soon after a fix. */
  readonly short: string;
  readonly burnRate: number;
  readonly severity: Severity;
  /** Share of a 30-day budget spent when the long window fires. */
  readonly spends: string;
}

/**
 * Multi-window, multi-burn-rate alerting, The Site Reliability Workbook, ch. 5 "Alerting on
 * SLOs", table 5-8 (https://sre.google/workbook/alerting-on-slos/): page when 2% of the budget
 * burns in an hour or 5% in six hours, each confirmed by a window a twelfth as long.
 */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { name: "fast-burn", long: "3600s", short: "300s", burnRate: 14.4, severity: "CRITICAL", spends: "2% of the 30-day error budget in 1 hour" },
  { name: "slow-burn", long: "21600s", short: "1800s", burnRate: 6, severity: "CRITICAL", spends: "5% of the 30-day error budget in 6 hours" },
];

const SLO_DOC = { displayName: "SLO burn-rate alerting (Cloud Monitoring)", url: "https://cloud.google.com/stackdriver/docs/solutions/slo-monitoring/alerting-on-budget-burn-rate" };

type SloKind = "availability" | "latency";

export interface ModelSlos {
  readonly service: gcp.monitoring.CustomService;
  readonly slos: Record<SloKind, gcp.monitoring.Slo>;
  readonly burnAlerts: gcp.monitoring.AlertPolicy[];
}

/**
 * A Cloud Monitoring service for the model in one region, with two request-based SLOs (share of
 * predictions that succeed; share within the latency budget), each with a fast and a slow
 * burn-rate alert.
 */
export function createModelSlos(scope: AlertScope, served: ServedRegion, slo: SloConfig): ModelSlos {
  const signals = signalsOf(served, scope.project);
  const service = new gcp.monitoring.CustomService(
    `${served.prefix}-service`,
    {
      project: scope.project,
      serviceId: `llmops-${served.model}-${served.region}`,
      displayName: `${served.model} in ${served.region} (${served.environment})`,
      userLabels: served.labels,
    },
    scope.opts,
  );

  // good + bad, not total: both platforms count successes and failures apart (signalsOf).
  const availability = new gcp.monitoring.Slo(
    `${served.prefix}-slo-availability`,
    {
      project: scope.project,
      service: service.serviceId,
      sloId: "availability",
      displayName: `${served.model} ${served.region}: ${slo.availability}% of predictions succeed`,
      goal: slo.availability / 100,
      rollingPeriodDays: SLO_WINDOW_DAYS,
      requestBasedSli: { goodTotalRatio: { goodServiceFilter: signals.good, badServiceFilter: signals.bad } },
      userLabels: { ...served.labels, objective: "availability" },
    },
    scope.opts,
  );
  const latency = new gcp.monitoring.Slo(
    `${served.prefix}-slo-latency`,
    {
      project: scope.project,
      service: service.serviceId,
      sloId: "latency",
      displayName: `${served.model} ${served.region}: 99% of predictions within ${slo.latencyP99Ms} ms`,
      goal: LATENCY_SLO_GOAL,
      rollingPeriodDays: SLO_WINDOW_DAYS,
      requestBasedSli: { distributionCut: { distributionFilter: signals.latency, range: { max: signals.latencyValue(slo.latencyP99Ms) } } },
      userLabels: { ...served.labels, objective: "latency" },
    },
    scope.opts,
  );

  const objectives: Record<SloKind, { slo: gcp.monitoring.Slo; target: string }> = {
    availability: { slo: availability, target: `${slo.availability}% of predictions succeed` },
    latency: { slo: latency, target: `99% of predictions finish within ${slo.latencyP99Ms} ms` },
  };
  const burnAlerts = (Object.keys(objectives) as SloKind[]).flatMap((kind) =>
    BURN_RATE_WINDOWS.map((w) => burnRateAlert(scope, served, kind, objectives[kind].slo, objectives[kind].target, w)),
  );
  return { service, slos: { availability, latency }, burnAlerts };
}

function burnRateAlert(scope: AlertScope, served: ServedRegion, kind: SloKind, slo: gcp.monitoring.Slo, target: string, w: BurnRateWindow): gcp.monitoring.AlertPolicy {
  const burn = (window: string) => pulumi.interpolate`select_slo_burn_rate("${slo.name}", "${window}")`;
  const condition = (window: string) => ({
    displayName: `${kind} SLO burn rate over ${window} > ${w.burnRate}`,
    conditionThreshold: { filter: burn(window), comparison: "COMPARISON_GT", thresholdValue: w.burnRate, duration: "0s" },
  });
  return createAlert(scope, {
    name: `${served.prefix}-${kind}-${w.name}`,
    title: titleOf(served, `${kind} SLO ${w.name === "fast-burn" ? "burning fast" : "burning"} (${w.burnRate}x)`),
    severity: w.severity,
    signal: "slo-burn",
    labels: { ...served.labels, objective: kind, window: w.name },
    combiner: "AND",
    conditions: [condition(w.long), condition(w.short)],
    runbook: {
      meaning: `**${served.model}** in **${served.region}** is spending its ${kind} error budget ${w.burnRate} times faster than the SLO allows (objective: ${target}, over ${SLO_WINDOW_DAYS} days); at this rate ${w.spends} is gone. The short window confirms it is still happening.`,
      steps: [
        kind === "availability"
          ? "Open the errors chart on the stack dashboard; if the rise follows a rollout stage change, set `rollout.stage: rollback` and deploy."
          : "Open the latency chart on the stack dashboard; if replicas are at their maximum, raise `serving.maxReplicas`; if a candidate is slower, roll it back.",
        "Check the other serving regions of the stack: if they are healthy, move traffic there while you investigate.",
        "Once mitigated, record how much budget was spent; if the objective is wrong rather than the service, change `slo` in the stack file in a reviewed pull request.",
      ],
      links: [SLO_DOC],
    },
  });
}
