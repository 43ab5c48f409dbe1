import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { compileToYaml } from "../../pipelines/compiler";
import { missionPipelines, PIPELINE_NAMES, type MissionImages } from "../../pipelines/llmops";
import { childOf } from "../common/child";
import { KfpTemplate } from "./providers";

export interface PipelineTemplatesArgs {
  readonly project: string;
  readonly region: string;
  /** The KFP repository (Registries.pipelines). */
  readonly repository: gcp.artifactregistry.Repository;
  /** The project images by digest (PipelineImages.images): every template runs these. */
  readonly images: pulumi.Input<MissionImages>;
  /** Published as a tag beside the content hash. */
  readonly versionName: string;
}

/**
 * Every mission pipeline compiled, with the stack's image digests, to its KFP v2 spec and published as a template version in the KFP
 * repository, tagged with its content hash and the version name. The compiled YAML is the
 * resource's input, so a changed pipeline is a visible diff in the plan, and anyone can run the
 * exact bytes by `templateUri`.
 */
export class PipelineTemplates extends pulumi.ComponentResource {
  /** `templateUri` by pipeline name, pinned by digest. */
  public readonly templateUris: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly templates: Readonly<Record<string, KfpTemplate>>;

  constructor(name: string, args: PipelineTemplatesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:pipelines:Templates", name, {}, opts);
    const templates: Record<string, KfpTemplate> = {};
    // A rebuilt image is new content for every template that runs it: a new version, published.
    const pipelines = pulumi.output(args.images).apply((images) => missionPipelines(images));
    for (const pipelineName of [...PIPELINE_NAMES].sort()) {
      templates[pipelineName] = new KfpTemplate(
        `${name}-${pipelineName}`,
        {
          project: args.project,
          region: args.region,
          repository: args.repository.repositoryId,
          content: pipelines.apply((built) => compileToYaml(built[pipelineName])),
          versionName: args.versionName,
        },
        childOf(this, opts, args.repository),
      );
    }
    this.templates = templates;
    this.templateUris = Object.fromEntries(Object.entries(templates).map(([n, t]) => [n, t.templateUri]));
    this.registerOutputs({ templateUris: this.templateUris });
  }
}
