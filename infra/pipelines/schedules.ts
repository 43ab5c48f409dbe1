import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { compileToYaml } from "../../pipelines/compiler";
import { childOf } from "../common/child";
import { missionPipelines, type MissionImages } from "../../pipelines/llmops";
import { KfpTemplate } from "./providers";
import { scheduledRun, type ResolvedSchedule } from "./config";

export interface PipelineSchedulesArgs {
  readonly project: string;
  readonly region: string;
  /** `StackSettings.pipelines.schedules`: each schedule with the run it starts. */
  readonly schedules: Readonly<Record<string, ResolvedSchedule>>;
  /** The KFP repository (Registries.pipelines) each schedule's template is published to. */
  readonly repository: gcp.artifactregistry.Repository;
  /** The project images by digest (PipelineImages.images), which the schedules' templates run. */
  readonly images: pulumi.Input<MissionImages>;
  /** `gs://` URL of the pipeline-root bucket; each schedule writes under `schedules/<name>/`. */
  readonly pipelineRoot: pulumi.Input<string>;
  /** The pipeline runner's email. */
  readonly serviceAccount: pulumi.Input<string>;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Scheduled Vertex AI pipeline runs (`gcp.colab.Schedule`, the Vertex AI schedule resource; the
 * older `gcp.vertex.AiSchedule` is its deprecated twin), each on its own template.
 *
 * A schedule's parameter values are compiled into its pipeline as the root inputs' typed
 * defaults and published as a template version of that pipeline's package (`KfpTemplate`
 * `<name>-<schedule>-template`, tagged `schedule-<schedule>` beside its content hash); the
 * schedule runs that version by digest. Its `parameterValues`, which the resource can only send
 * as strings, carry the STRING-typed values alone (see `parameters.ts`). A changed value is a
 * changed template: a visible diff of its content and a new digest.
 */
export class PipelineSchedules extends pulumi.ComponentResource {
  public readonly schedules: Readonly<Record<string, gcp.colab.Schedule>>;
  /** The template each schedule runs, by schedule name. */
  public readonly templates: Readonly<Record<string, KfpTemplate>>;
  /** `templateUri` by schedule name, pinned by digest. */
  public readonly templateUris: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: PipelineSchedulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:pipelines:Schedules", name, {}, opts);
    const schedules: Record<string, gcp.colab.Schedule> = {};
    const templates: Record<string, KfpTemplate> = {};
    // The schedule's request goes to the provider's regional endpoint: the resource has no region
    // input, and the provider resolves `{{region}}` from its own configuration, failing with
    // "Cannot determine region" without one (policies/preflight/resource-types.ts cites the
    // provider source). A provider of the schedules' region makes that independent of gcp:region.
    const provider = Object.keys(args.schedules).length ? new gcp.Provider(`${name}-${args.region}`, { project: args.project, region: args.region }, { parent: this }) : undefined;
    for (const scheduleName of Object.keys(args.schedules).sort()) {
      const { config: s, run } = args.schedules[scheduleName];
      // Same package as the pipeline's own template (pipelineInfo.name is kept, so runs group
      // under one pipeline in Vertex AI); a tag names one version per package, so the schedule's
      // version gets its own tag rather than the project version the pipeline's template carries.
      // Schedule names have no dots, so the tag never collides with `v<semver>`.
      templates[scheduleName] = new KfpTemplate(
        `${name}-${scheduleName}-template`,
        {
          project: args.project,
          region: args.region,
          repository: args.repository.repositoryId,
          // The same run as resolved from configuration, on the images this stack built.
          content: pulumi.output(args.images).apply((images) => compileToYaml(scheduledRun(missionPipelines(images)[s.pipeline as keyof ReturnType<typeof missionPipelines>], s.parameters).pipeline)),
          versionName: `schedule-${scheduleName}`,
        },
        childOf(this, opts, args.repository),
      );
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
              templateUri: templates[scheduleName].templateUri,
              serviceAccount: args.serviceAccount,
              labels: { ...args.labels, schedule: scheduleName, pipeline: s.pipeline },
              runtimeConfig: {
                gcsOutputDirectory: pulumi.interpolate`${args.pipelineRoot}/schedules/${scheduleName}`,
                ...(run.parameterValues ? { parameterValues: run.parameterValues } : {}),
              },
            },
          },
        },
        { ...childOf(this, opts), provider },
      );
    }
    this.schedules = schedules;
    this.templates = templates;
    this.templateUris = Object.fromEntries(Object.entries(templates).map(([n, t]) => [n, t.templateUri]));
    this.registerOutputs({ schedules: Object.keys(schedules), templateUris: this.templateUris });
  }
}
