import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { NotificationChannels } from "./channels";
import type { Severity } from "./config/schema";

type Condition = gcp.types.input.monitoring.AlertPolicyCondition;

/** What a responder reads in the notification: the incident, then the steps that resolve it. */
export interface Runbook {
  /** One paragraph: what fired, where, and why it matters. */
  readonly meaning: string;
  /** Ordered steps, most likely fix first. */
  readonly steps: readonly string[];
  readonly links?: readonly { readonly displayName: string; readonly url: string }[];
}

export interface AlertSpec {
  /** The policy's logical name (`<component>-<role>`). */
  readonly name: string;
  /** Shown in incidents and notifications; also the notification subject. */
  readonly title: string;
  readonly severity: Severity;
  /** What the policy watches (`latency`, `errors`, `slo-burn`, …), as the `signal` user label. */
  readonly signal: string;
  readonly conditions: pulumi.Input<Condition>[];
  /** @default OR */
  readonly combiner?: "OR" | "AND" | "AND_WITH_MATCHING_RESOURCE";
  readonly runbook: Runbook;
  /** User labels beside `signal` and `severity`: the stack's labels plus model and region where they apply. */
  readonly labels: Readonly<Record<string, string>>;
  /** Close an incident whose condition stopped reporting after this long. @default 1 day */
  readonly autoClose?: string;
}

export interface AlertScope {
  readonly project: string;
  readonly channels: NotificationChannels;
  readonly opts: pulumi.CustomResourceOptions;
}

/** Markdown for the policy's documentation: rendered in the incident page and most channels. */
export function runbookMarkdown(title: string, runbook: Runbook): string {
  const steps = runbook.steps.map((step, i) => `${i + 1}. ${step}`).join("\n");
  return `### ${title}\n\n${runbook.meaning}\n\n**What to do**\n\n${steps}\n`;
}

/**
 * One alert policy, built the same way everywhere: routed to the channels its severity reaches,
 * documented with its runbook, labelled with what it watches. Cloud Monitoring limits the
 * notification subject to 255 characters, so the title is kept short by its callers.
 */
export function createAlert(scope: AlertScope, spec: AlertSpec): gcp.monitoring.AlertPolicy {
  return new gcp.monitoring.AlertPolicy(
    spec.name,
    {
      project: scope.project,
      displayName: spec.title,
      combiner: spec.combiner ?? "OR",
      conditions: spec.conditions,
      severity: spec.severity,
      notificationChannels: scope.channels.forSeverity(spec.severity),
      documentation: {
        mimeType: "text/markdown",
        subject: spec.title.slice(0, 255),
        content: runbookMarkdown(spec.title, spec.runbook),
        links: spec.runbook.links?.map((l) => ({ displayName: l.displayName, url: l.url })),
      },
      alertStrategy: { autoClose: spec.autoClose ?? "86400s" },
      userLabels: { ...spec.labels, signal: spec.signal, severity: spec.severity.toLowerCase() },
    },
    scope.opts,
  );
}
