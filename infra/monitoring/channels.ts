import { createHash } from "node:crypto";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { type ChannelsConfig, SEVERITIES, type Severity } from "./config/schema";

export interface NotificationChannelsArgs {
  readonly project: string;
  readonly environment: string;
  readonly channels: ChannelsConfig;
  /** Labels for every channel (`userLabels`). */
  readonly labels: Readonly<Record<string, string>>;
}

/** What the stack's channels are, for the plan summary and the stack outputs. */
export interface ChannelsSummary {
  readonly emails: number;
  readonly slack?: { readonly channel: string; readonly minSeverity: Severity };
  readonly pagerduty?: { readonly minSeverity: Severity };
}

interface Routed {
  readonly channel: gcp.monitoring.NotificationChannel;
  readonly minSeverity: Severity;
}

const rank = (severity: Severity) => SEVERITIES.indexOf(severity);

/**
 * The stack's notification channels: one per email address, and optionally Slack and PagerDuty,
 * whose credentials go in `sensitiveLabels` as Pulumi secrets (encrypted in state, "[secret]" in
 * previews and plans). `forSeverity` routes an alert: email gets everything; Slack and PagerDuty
 * only alerts at or above their `minSeverity`, so a warning never pages anyone.
 */
export class NotificationChannels extends pulumi.ComponentResource {
  public readonly summary: ChannelsSummary;
  private readonly routed: readonly Routed[];

  constructor(name: string, args: NotificationChannelsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:monitoring:Channels", name, {}, opts);
    const { project, environment, channels } = args;
    const userLabels = { ...args.labels };
    const routed: Routed[] = [];

    for (const email of channels.emails) {
      // Named by a hash of the address, not its position: reordering the list replaces nothing.
      const id = createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 8);
      const channel = new gcp.monitoring.NotificationChannel(
        `${name}-email-${id}`,
        { project, type: "email", displayName: `LLMOps ${environment}: ${email}`, labels: { email_address: email }, userLabels },
        childOf(this, opts),
      );
      routed.push({ channel, minSeverity: "WARNING" });
    }

    if (channels.slack) {
      const slackChannel = channels.slack.channel.startsWith("#") ? channels.slack.channel : `#${channels.slack.channel}`;
      const channel = new gcp.monitoring.NotificationChannel(
        `${name}-slack`,
        {
          project,
          type: "slack",
          displayName: `LLMOps ${environment}: Slack ${slackChannel}`,
          labels: { channel_name: slackChannel },
          sensitiveLabels: { authToken: channels.slack.authToken.toOutput() },
          userLabels,
        },
        childOf(this, opts),
      );
      routed.push({ channel, minSeverity: channels.slack.minSeverity });
    }

    if (channels.pagerduty) {
      const channel = new gcp.monitoring.NotificationChannel(
        `${name}-pagerduty`,
        {
          project,
          type: "pagerduty",
          displayName: `LLMOps ${environment}: PagerDuty`,
          sensitiveLabels: { serviceKey: channels.pagerduty.serviceKey.toOutput() },
          userLabels,
        },
        childOf(this, opts),
      );
      routed.push({ channel, minSeverity: channels.pagerduty.minSeverity });
    }

    this.routed = routed;
    this.summary = {
      emails: channels.emails.length,
      slack: channels.slack ? { channel: channels.slack.channel, minSeverity: channels.slack.minSeverity } : undefined,
      pagerduty: channels.pagerduty ? { minSeverity: channels.pagerduty.minSeverity } : undefined,
    };
    this.registerOutputs({ channels: routed.map((r) => r.channel.name) });
  }

  /** The channel names (`projects/P/notificationChannels/N`) an alert of this severity goes to. */
  forSeverity(severity: Severity): pulumi.Output<string>[] {
    return this.routed.filter((r) => rank(severity) >= rank(r.minSeverity)).map((r) => r.channel.name);
  }
}
