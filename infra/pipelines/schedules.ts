import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { Pipeline } from "../../pipelines/dsl";
import { childOf } from "../common/child";
import { scheduleParameterValues } from "./parameters";
import type { ScheduleConfig } from "./schema";

export interface PipelineSchedulesArgs {
  readonly project: string;
  readonly region: string;
  readonly schedules: Readonly<Record<string, ScheduleConfig>>;
  readonly pipelines: Readonly<Record<string, Pipeline>>;
  /** Published templates by pipeline name: schedules run the exact bytes by digest. */
  readonly templateUris: Readonly<Record<string, pulumi.Input<string>>>;
  /** `gs://` URL of the pipeline-root bucket; each schedule writes under `schedules/<name>/`. */
  readonly pipelineRoot: pulumi.Input<string>;
  /** The pipeline runner's email. */
  readonly serviceAccount: pulumi.Input<string>;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Scheduled Vertex AI pipeline runs (`gcp.colab.Schedule`, the Vertex AI schedule resource; the
 * older `gcp.vertex.AiSchedule` is its deprecated twin). Each run uses the published template
 * by digest, the pipeline-root bucket for its outputs and the pipeline runner's identity.
 */
export class PipelineSchedules extends pulumi.ComponentResource {
  public readonly schedules: Readonly<Record<string, gcp.colab.Schedule>>;

  constructor(name: string, args: PipelineSchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:pipelines:Schedules", name, {}, opts);
    const schedules: Record<string, gcp.colab.Schedule> = {};
    for (const scheduleName of Object.keys(args.schedules).sort()) {
      const s = args.schedules[scheduleName];
      schedules[scheduleName] = new gcp.colab.Schedule(
        `${name}-${scheduleName}`,
        {
          project: args.project,
          location: args.region,
          displayName: `${scheduleName} (${s.pipeline})`,
          // Vertex AI reads the time zone from a TZ= prefix of the cron.
          cron: `TZ=${s.timeZone} ${s.cron}`,
          maxConcurrentRunCount: String(s.maxConcurrentRuns),
          allowQueueing: true,
          desiredState: s.paused ? "PAUSED" : "ACTIVE",
          createPipelineJobRequest: {
            parent: `projects/${args.project}/locations/${args.region}`,
            pipelineJob: {
              displayName: scheduleName,
              templateUri: args.templateUris[s.pipeline],
              serviceAccount: args.serviceAccount,
              labels: { ...args.labels, schedule: scheduleName, pipeline: s.pipeline },
              runtimeConfig: {
                gcsOutputDirectory: pulumi.interpolate`${args.pipelineRoot}/schedules/${scheduleName}`,
                parameterValues: scheduleParameterValues(args.pipelines[s.pipeline], s.parameters),
              },
            },
          },
        },
        childOf(this, opts),
      );
    }
    this.schedules = schedules;
    this.registerOutputs({ schedules: Object.keys(schedules) });
  }
}
