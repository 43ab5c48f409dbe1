import { z } from "zod";
import { Secret } from "../../common/secret";
import type { SliceCheck } from "../../common/config";

/**
 * `llmops:monitoring` (where alerts go, and the stack's default thresholds) and the per-model
 * `slo` and `alerts` blocks that `infra/models/config/schema.ts` adds to each model. Reference:
 * infra/monitoring/README.md.
 */

/** Alert policy severities, least urgent first (Cloud Monitoring's own three). */
export const SEVERITIES = ["WARNING", "ERROR", "CRITICAL"] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A `secure:` value. Messages never quote what was written: it may be the decrypted secret.
 * The holder keeps it out of logs and plans until a component wraps it as a Pulumi secret.
 */
function secretString(what: string, configPath: string) {
  const hint = `set it with: pulumi config set --secret --path '${configPath}' <${what}>`;
  return z
    .string({ error: `expected the ${what} as a secure value; ${hint}` })
    .min(1, `the ${what} is empty; ${hint}`)
    .transform((value) => new Secret(value));
}

const percent = (what: string) =>
  z
    .number()
    .gt(0, `${what} is a percentage above 0 and at most 100`)
    .max(100, `${what} is a percentage above 0 and at most 100`);

const SLACK_CHANNEL = /^#?[a-z0-9][a-z0-9._-]{0,79}$/;

export const channelsSchema = z.strictObject({
  /** Addresses that receive every alert. @default [] */
  emails: z.array(z.email({ error: "expected an email address such as ml-oncall@example.com" })).default([]),
  /** A Slack channel, through the Cloud Monitoring Slack app's bot token. @default none */
  slack: z
    .strictObject({
      /** The channel, e.g. `#llmops-alerts`. */
      channel: z.string().regex(SLACK_CHANNEL, "expected a Slack channel name such as #llmops-alerts (lowercase letters, digits, '-', '_' or '.')"),
      /** The bot token (`xoxb-…`), as a `secure:` value. */
      authToken: secretString("Slack bot token", "llmops:monitoring.channels.slack.authToken"),
      /** The least severe alert posted. @default WARNING (every alert) */
      minSeverity: z.enum(SEVERITIES).default("WARNING"),
    })
    .optional(),
  /** A PagerDuty service, through its Events API v2 integration key. @default none */
  pagerduty: z
    .strictObject({
      /** The integration ("service") key, as a `secure:` value. */
      serviceKey: secretString("PagerDuty integration key", "llmops:monitoring.channels.pagerduty.serviceKey"),
      /** The least severe alert that pages. @default CRITICAL (fast SLO burn only) */
      minSeverity: z.enum(SEVERITIES).default("CRITICAL"),
    })
    .optional(),
});

/** Thresholds every model gets unless its own `alerts` block overrides them. */
export const thresholdsShape = {
  /** Alert when more than this share of predictions fail over 5 minutes. @default 1 */
  errorRatePercent: percent("errorRatePercent"),
  /**
   * Alert when Model Armor flags or blocks more than this share of a model's prompts and
   * responses over 10 minutes (an attack, or a template too strict for real traffic). @default 5
   */
  safetyBlockedPercent: percent("safetyBlockedPercent"),
  /**
   * Saturation: the model runs at `maxReplicas` and its autoscaling signal (accelerator duty
   * cycle or CPU) stays above this for 15 minutes, so the autoscaler has no room left. Must exceed
   * the autoscaling target. @default 90
   */
  replicaSaturationPercent: percent("replicaSaturationPercent"),
};

export const defaultsSchema = z.strictObject({
  errorRatePercent: thresholdsShape.errorRatePercent.default(1),
  safetyBlockedPercent: thresholdsShape.safetyBlockedPercent.default(5),
  replicaSaturationPercent: thresholdsShape.replicaSaturationPercent.default(90),
  /** GKE accelerator pools: alert when GPU or TPU utilisation stays below this for 12 hours (idle, paid for). @default 15 */
  acceleratorIdlePercent: percent("acceleratorIdlePercent").default(15),
  /** GKE: alert when pods stay unschedulable this long (no capacity, quota or stock-out). @default 30 */
  pendingPodsMinutes: z.number().int().min(5, "pendingPodsMinutes is at least 5 (node provisioning alone takes minutes)").max(1440, "pendingPodsMinutes is at most 1440 (a day)").default(30),
});

export const monitoringSchema = z
  .strictObject({
    /** Where alerts go. Prod needs at least one channel. */
    channels: channelsSchema.prefault({}),
    /** Default thresholds; each model may override the model-level ones in its `alerts` block. */
    defaults: defaultsSchema.prefault({}),
  })
  .prefault({});

/**
 * A model's service level objective. The latency budget is the one number that drives the
 * latency alert, the latency SLO and the dashboard's threshold line.
 */
export const sloSchema = z.strictObject({
  /** Percent of predictions that succeed over 30 days, e.g. 99.5. Above 90 and below 100. */
  availability: z
    .number()
    .gt(90, "an availability objective is above 90 (below that, alerts would fire only for outages); allowed: a percentage above 90 and below 100, such as 99.5")
    .lt(100, "an availability objective below 100 leaves an error budget to spend (100 has none, so every failure would page); allowed: a percentage above 90 and below 100, such as 99.5"),
  /** The p99 latency budget in milliseconds: 99 in 100 predictions finish within it. */
  latencyP99Ms: z
    .number()
    .int()
    .gt(0, "latencyP99Ms is a latency budget in milliseconds; allowed: a whole number above 0, such as 2000")
    .max(600_000, "latencyP99Ms is at most 600000 (Vertex AI online prediction times out after 10 minutes)"),
});
export type SloConfig = z.output<typeof sloSchema>;

/** Per-model overrides of `llmops:monitoring.defaults`. */
export const modelAlertsSchema = z.strictObject({
  errorRatePercent: thresholdsShape.errorRatePercent.optional(),
  safetyBlockedPercent: thresholdsShape.safetyBlockedPercent.optional(),
  replicaSaturationPercent: thresholdsShape.replicaSaturationPercent.optional(),
});

export type MonitoringConfig = z.output<typeof monitoringSchema>;
export type ChannelsConfig = z.output<typeof channelsSchema>;
export type MonitoringDefaults = z.output<typeof defaultsSchema>;
export type ModelThresholds = Required<z.output<typeof modelAlertsSchema>>;

/** Outside prod a model without an `slo` block gets this: loose, so a new model is watched from its first deploy. */
export const DEFAULT_SLO: SloConfig = { availability: 99, latencyP99Ms: 10_000 };

/** The model's SLO, or the default outside prod (prod must state its own; `checkMonitoring`). */
export function sloOf(model: { readonly slo?: SloConfig }): SloConfig {
  return model.slo ?? DEFAULT_SLO;
}

/** The model's thresholds: its own overrides over the stack's defaults. */
export function thresholdsOf(model: { readonly alerts?: z.output<typeof modelAlertsSchema> }, defaults: MonitoringDefaults): ModelThresholds {
  return {
    errorRatePercent: model.alerts?.errorRatePercent ?? defaults.errorRatePercent,
    safetyBlockedPercent: model.alerts?.safetyBlockedPercent ?? defaults.safetyBlockedPercent,
    replicaSaturationPercent: model.alerts?.replicaSaturationPercent ?? defaults.replicaSaturationPercent,
  };
}

/**
 * The autoscaling a Vertex deployment gets: as configured, else accelerator duty cycle at 60%
 * when the model has an accelerator, else CPU at 60% (Vertex AI's own default). Mirrors
 * `VertexModel`; a test compares the two through the plan.
 */
export function autoscalingOf(serving: { readonly accelerator?: unknown; readonly autoscaling?: { readonly metric: "accelerator-duty-cycle" | "cpu-utilization"; readonly target: number } }) {
  return serving.autoscaling ?? (serving.accelerator ? { metric: "accelerator-duty-cycle" as const, target: 60 } : { metric: "cpu-utilization" as const, target: 60 });
}

/** What the monitoring rules read: their key, the environment, and what each model declares about itself. */
export interface MonitoringSlice {
  readonly environment: string;
  readonly monitoring: MonitoringConfig;
  readonly gke?: unknown;
  readonly models: Readonly<
    Record<
      string,
      {
        readonly slo?: SloConfig;
        readonly alerts?: z.output<typeof modelAlertsSchema>;
        readonly serving: { readonly platform: string; readonly accelerator?: unknown; readonly autoscaling?: { readonly metric: "accelerator-duty-cycle" | "cpu-utilization"; readonly target: number } };
      }
    >
  >;
}

/** Rules across `llmops:monitoring`, `llmops:models` and `llmops:environment`. */
export const checkMonitoring: SliceCheck<MonitoringSlice> = (cfg, ctx) => {
  const { channels, defaults } = cfg.monitoring;
  const prod = cfg.environment === "prod";
  // A prod stack that serves models or runs accelerator pools pages on SLO burn; a bare platform
  // stack (buckets, registries) has only pipeline alerts, which the console shows without a channel.
  const serves = Object.keys(cfg.models).length > 0 || cfg.gke !== undefined;
  if (prod && serves && channels.emails.length === 0 && !channels.slack && !channels.pagerduty) {
    ctx.addIssue({ code: "custom", path: ["monitoring", "channels"], message: "prod serves models or accelerator pools, and their alerts must reach someone; allowed: at least one of emails, slack, pagerduty" });
  }
  channels.emails.forEach((email, i) => {
    const first = channels.emails.findIndex((e) => e.toLowerCase() === email.toLowerCase());
    if (first !== i) ctx.addIssue({ code: "custom", path: ["monitoring", "channels", "emails", i], message: `"${email}" is listed twice (first at [${first}]); allowed: each address once` });
  });
  for (const [name, model] of Object.entries(cfg.models)) {
    if (prod && !model.slo) {
      ctx.addIssue({ code: "custom", path: ["models", name, "slo"], message: "prod models state their own objective (it sets the alerts and the error budget); allowed: slo: { availability: <90-100>, latencyP99Ms: <ms> }" });
    }
    const target = autoscalingOf(model.serving).target;
    const saturation = thresholdsOf(model, defaults).replicaSaturationPercent;
    if (model.serving.platform === "vertex" && saturation <= target) {
      const own = model.alerts?.replicaSaturationPercent !== undefined;
      ctx.addIssue({
        code: "custom",
        path: own ? ["models", name, "alerts", "replicaSaturationPercent"] : ["monitoring", "defaults", "replicaSaturationPercent"],
        message: `${saturation}% is not above ${name}'s autoscaling target of ${target}%; at maxReplicas the signal sits near the target, so every busy hour would alert; allowed: a percentage above ${target}`,
      });
    }
  }
};
