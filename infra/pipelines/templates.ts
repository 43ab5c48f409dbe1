import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { compileToYaml } from "../../pipelines/compiler";
import type { Pipeline } from "../../pipelines/dsl";
import { childOf } from "../common/child";
import { KfpTemplate } from "./providers";

export interface PipelineTemplatesArgs {
  readonly project: string;
  readonly region: string;
  /** The KFP repository (Registries.pipelines). */
  readonly repository: gcp.artifactregistry.Repository;
  readonly pipelines: Readonly<Record<string, Pipeline>>;
  /** Published as a tag beside the content hash. */
  readonly versionName: string;
}

/**
 * Every pipeline compiled to its KFP v2 spec and published as a template version in the KFP
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
    for (const pipelineName of Object.keys(args.pipelines).sort()) {
      templates[pipelineName] = new KfpTemplate(
        `${name}-${pipelineName}`,
        {
          project: args.project,
          region: args.region,
          repository: args.repository.repositoryId,
          content: compileToYaml(args.pipelines[pipelineName]),
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
