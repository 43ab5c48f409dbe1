import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import { toLabelValue } from "../common/labels";
import { EndpointDeployment } from "./providers/endpoint-deployment";
import { deployedModelId, deploymentShapeKey } from "./providers/deployed-model-id";
import { ModelVersion } from "./providers/model-version";
import { versionAliasFor } from "./providers/model-version-types";
import { type ModelConfig, type ResolvedModel, type RolloutRecord, endpointId, inReleaseOrder, registryModelId } from "./config";
import { ModelSafety } from "./safety";

export interface VertexModelArgs {
  readonly project: string;
  readonly environment: string;
  /** Protects the endpoints (their ids are what clients call). */
  readonly isProd: boolean;
  /** The stack's labels; `model` is added. */
  readonly labels: Readonly<Record<string, string>>;
  /** The model, resolved (`StackSettings.models`). */
  readonly model: ResolvedModel;
  /** The identity the serving containers run as; deployments wait for it and its grants. */
  readonly servingAccount: gcp.serviceaccount.Account;
  /**
   * The account's grants (artifact and image access, the deployer's actAs on it): deploying a
   * model that runs as the account checks actAs and then loads the weights as it.
   */
  readonly servingGrants: readonly pulumi.Resource[];
}

/** What a model serves in one region: deployed model ids and the percent each receives. */
export interface RegionalServing {
  readonly endpoint: pulumi.Output<string>;
  readonly predictUrl: pulumi.Output<string>;
  /** Deployed model id → percent, as the endpoint's traffic split. */
  readonly trafficSplit: Readonly<Record<string, number>>;
  /** Version → its deployed model id and percent, the same split in the project's terms. */
  readonly versions: Readonly<Record<string, { deployedModelId: string; percent: number }>>;
}


/**
 * One model served from Vertex AI endpoints in each of its regions. Per region: an endpoint
 * (IAM-only or Private Service Connect), one Model Registry upload per version (the registry is
 * regional), a Model Armor template per deployed version, and one EndpointDeployment that alone
 * owns the deployed models and the traffic split the rollout stage implies.
 */
export class VertexModel extends pulumi.ComponentResource {
  public readonly regions: Readonly<Record<string, RegionalServing>>;
  public readonly rollout: RolloutRecord;

  constructor(name: string, args: VertexModelArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:models:VertexModel", name, {}, opts);
    const { project, environment } = args;
    const { config, deployed, split, servingEmail } = args.model;
    const model = args.model.name;
    const { serving } = config;
    const modelLabels = { ...args.labels, model };
    const modelId = registryModelId(model);

    // Every version, not only the deployed ones, keeps its template: the template's name is part
    // of the immutable upload, so dropping it when a version stops serving would re-upload it.
    const safety = Object.fromEntries(
      Object.entries(config.versions).map(([version, v]) => [
        version,
        new ModelSafety(`${name}-safety-${version}`, { project, model, version, regions: serving.regions, safety: v.safety, labels: modelLabels }, { parent: this, dependsOn: opts?.dependsOn }),
      ]),
    );

    const regions: Record<string, RegionalServing> = {};
    for (const region of serving.regions) {
      const psc = serving.access === "private-service-connect";
      const endpoint = new gcp.vertex.AiEndpoint(
        `${name}-${region}`,
        {
          project,
          location: region,
          region,
          name: endpointId(project, model, region),
          displayName: `${model} (${environment})`,
          description: config.description ?? config.displayName ?? model,
          labels: modelLabels,
          privateServiceConnectConfig: psc ? { enablePrivateServiceConnect: true, projectAllowlists: serving.pscProjects ?? [project] } : undefined,
        },
        // The EndpointDeployment owns the traffic split; two owners would undo each other. In prod
        // the endpoint is protected: deleting it changes the id every client calls.
        { ...childOf(this, opts), ignoreChanges: ["trafficSplit"], protect: args.isProd },
      );

      // One registry entry per model per region, created by whichever upload finishes first: in
      // parallel, a first deployment's uploads would race to create it (and the winner takes the
      // `default` alias). So each version waits for the previous one, in release order.
      const uploads: Record<string, ModelVersion> = {};
      let previous: ModelVersion | undefined;
      for (const version of inReleaseOrder(Object.keys(config.versions))) {
        const v = args.model.versions[version];
        const template = safety[version].templates[region];
        uploads[version] = new ModelVersion(
          `${name}-${region}-${version}`,
          {
            project,
            region,
            modelId,
            displayName: config.displayName ?? model,
            version,
            artifactUri: v.artifactUri,
            container: {
              imageUri: v.imageUri,
              args: v.args,
              // The server formats prompts like the training data and screens them through Model Armor.
              env: { ...v.env, LLMOPS_PROMPT_TEMPLATE: v.promptTemplate, MODEL_ARMOR_TEMPLATE: template.resourceName },
              ports: [v.port],
              healthRoute: v.healthRoute,
              predictRoute: v.predictRoute,
            },
            labels: { ...args.labels, ...v.labels, model, "model-version": toLabelValue(version) },
            description: `${model} ${version}`,
            metadata: provenance(v.source),
          },
          childOf(this, opts, template.resource, ...(previous ? [previous] : [])),
        );
        previous = uploads[version];
      }

      const shapeKey = deploymentShapeKey({
        machineType: serving.machineType,
        acceleratorType: serving.accelerator?.type,
        acceleratorCount: serving.accelerator?.count,
        serviceAccount: servingEmail,
      });
      const ids = Object.fromEntries(deployed.map((version) => [version, deployedModelId(modelId, version, `${region}/${shapeKey}`)]));
      const trafficSplit = Object.fromEntries(deployed.map((version) => [ids[version], split[version]]));
      new EndpointDeployment(
        `${name}-${region}-deployment`,
        {
          project,
          region,
          endpoint: endpoint.id,
          environment: args.isProd ? "prod" : "dev",
          deployments: deployed.map((version) => ({
            deployedModelId: ids[version],
            // Pinned by alias, known before the upload runs; the upload is a dependency below.
            model: `projects/${project}/locations/${region}/models/${modelId}@${versionAliasFor(version)}`,
            displayName: `${model}-${version}`,
            machineType: serving.machineType,
            acceleratorType: serving.accelerator?.type,
            acceleratorCount: serving.accelerator?.count,
            minReplicas: serving.minReplicas,
            maxReplicas: serving.maxReplicas,
            autoscaling: serving.autoscaling ?? (serving.accelerator ? { metric: "accelerator-duty-cycle", target: 60 } : undefined),
            serviceAccount: servingEmail,
          })),
          trafficSplit,
          // Only when configured: the provider's default is 0, and the plans of stacks that do
          // not set it stay as they were.
          ...(serving.trafficHeadroom !== undefined ? { trafficHeadroom: serving.trafficHeadroom } : {}),
        },
        { parent: this, dependsOn: [args.servingAccount, ...args.servingGrants, ...deployed.map((v) => uploads[v])] },
      );

      regions[region] = {
        endpoint: endpoint.id,
        predictUrl: psc ? pulumi.interpolate`${endpoint.id}:predict (Private Service Connect)` : pulumi.interpolate`https://${region}-aiplatform.googleapis.com/v1/${endpoint.id}:predict`,
        trafficSplit,
        versions: Object.fromEntries(deployed.map((version) => [version, { deployedModelId: ids[version], percent: split[version] }])),
      };
    }
    this.regions = regions;
    this.rollout = args.model.rollout;
    this.registerOutputs({ regions, rollout: this.rollout });
  }
}

function provenance(source: ModelConfig["versions"][string]["source"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (source?.pipelineRun) out.pipelineRun = source.pipelineRun;
  for (const [metric, value] of Object.entries(source?.evaluation ?? {})) out[`evaluation.${metric}`] = String(value);
  return out;
}
