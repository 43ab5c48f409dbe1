import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { childOf } from "../common/child";
import type { StackSettings } from "../config";
import { toLabelValue } from "../config/labels";
import { accountEmail } from "../platform/service-accounts";
import { EndpointDeployment } from "./providers/endpoint-deployment";
import { deployedModelId, deploymentShapeKey } from "./providers/deployed-model-id";
import { ModelVersion } from "./providers/model-version";
import { versionAliasFor } from "./providers/model-version-types";
import { endpointId, registryModelId } from "./ids";
import { artifactUri, imageUri, imagesRepositoryUri } from "./resolve";
import { deployedVersions, describeStage, versionSplit } from "./rollout";
import type { ModelConfig } from "./schema";
import { inReleaseOrder } from "./semver";
import { ModelSafety } from "./safety";

export interface VertexModelArgs {
  readonly settings: StackSettings;
  readonly model: string;
  readonly config: ModelConfig;
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
 * The rollout state a model exports beside its regions, so that summaries, diffs and bots read
 * "1.3.0 canary 10%" without re-deriving it from deployed model ids. (Stack outputs, not
 * resource inputs: a stage change stays a change of traffic-split inputs only.)
 */
export interface RolloutRecord {
  readonly platform: string;
  readonly stable: string;
  readonly candidate?: string;
  readonly stage?: string;
  /** "canary 10%", "rollback", "stable only". */
  readonly stageDescription: string;
  /** Version → percent. */
  readonly split: Readonly<Record<string, number>>;
  /** The candidate's stages, first (the canary) to last; policies cap the canary's weight in prod. */
  readonly stages: readonly { readonly name: string; readonly weight: number }[];
  /** Release digest of the stable and candidate versions that have one: the evidence that they were fully rolled out in dev. */
  readonly released: Readonly<Record<string, string>>;
}

export function rolloutRecord(config: ModelConfig): RolloutRecord {
  const released: Record<string, string> = {};
  for (const version of [config.rollout.stable, config.rollout.candidate]) {
    const digest = version === undefined ? undefined : config.versions[version]?.released;
    if (version !== undefined && digest) released[version] = digest;
  }
  return {
    platform: config.serving.platform,
    stable: config.rollout.stable,
    candidate: config.rollout.candidate,
    stage: config.rollout.stage,
    stageDescription: describeStage(config.rollout),
    split: versionSplit(config.rollout),
    stages: config.rollout.stages.map((s) => ({ name: s.name, weight: s.weight })),
    released,
  };
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
    const { settings, model, config } = args;
    const { serving, rollout } = config;
    const modelLabels = { ...settings.labels, model };
    const deployed = deployedVersions(rollout);
    const split = versionSplit(rollout);
    const images = imagesRepositoryUri(settings);
    const modelId = registryModelId(model);
    const servingEmail = accountEmail(settings.project, settings.environment, "serving");

    // Every version, not only the deployed ones, keeps its template: the template's name is part
    // of the immutable upload, so dropping it when a version stops serving would re-upload it.
    const safety = Object.fromEntries(
      Object.entries(config.versions).map(([version, v]) => [
        version,
        new ModelSafety(`${name}-safety-${version}`, { project: settings.project, model, version, regions: serving.regions, safety: v.safety, labels: modelLabels }, { parent: this, dependsOn: opts?.dependsOn }),
      ]),
    );

    const regions: Record<string, RegionalServing> = {};
    for (const region of serving.regions) {
      const psc = serving.access === "private-service-connect";
      const endpoint = new gcp.vertex.AiEndpoint(
        `${name}-${region}`,
        {
          project: settings.project,
          location: region,
          region,
          name: endpointId(settings.project, model, region),
          displayName: `${model} (${settings.environment})`,
          description: config.description ?? config.displayName ?? model,
          labels: modelLabels,
          privateServiceConnectConfig: psc ? { enablePrivateServiceConnect: true, projectAllowlists: serving.pscProjects ?? [settings.project] } : undefined,
        },
        // The EndpointDeployment owns the traffic split; two owners would undo each other. In prod
        // the endpoint is protected: deleting it changes the id every client calls.
        { ...childOf(this, opts), ignoreChanges: ["trafficSplit"], protect: settings.isProd },
      );

      // One registry entry per model per region, created by whichever upload finishes first: in
      // parallel, a first deployment's uploads would race to create it (and the winner takes the
      // `default` alias). So each version waits for the previous one, in release order.
      const uploads: Record<string, ModelVersion> = {};
      let previous: ModelVersion | undefined;
      for (const version of inReleaseOrder(Object.keys(config.versions))) {
        const v = config.versions[version];
        const template = safety[version].templates[region];
        uploads[version] = new ModelVersion(
          `${name}-${region}-${version}`,
          {
            project: settings.project,
            region,
            modelId,
            displayName: config.displayName ?? model,
            version,
            artifactUri: artifactUri(settings, v),
            container: {
              imageUri: imageUri(settings, images, v),
              args: v.args,
              // The server formats prompts like the training data and screens them through Model Armor.
              env: { ...v.env, LLMOPS_PROMPT_TEMPLATE: v.promptTemplate, MODEL_ARMOR_TEMPLATE: template.resourceName },
              ports: [v.port],
              healthRoute: v.healthRoute,
              predictRoute: v.predictRoute,
            },
            labels: { ...settings.labels, ...v.labels, model, "model-version": toLabelValue(version) },
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
          project: settings.project,
          region,
          endpoint: endpoint.id,
          environment: settings.isProd ? "prod" : "dev",
          deployments: deployed.map((version) => ({
            deployedModelId: ids[version],
            // Pinned by alias, known before the upload runs; the upload is a dependency below.
            model: `projects/${settings.project}/locations/${region}/models/${modelId}@${versionAliasFor(version)}`,
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
    this.rollout = rolloutRecord(config);
    this.registerOutputs({ regions, rollout: this.rollout });
  }
}

function provenance(source: ModelConfig["versions"][string]["source"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (source?.pipelineRun) out.pipelineRun = source.pipelineRun;
  for (const [metric, value] of Object.entries(source?.evaluation ?? {})) out[`evaluation.${metric}`] = String(value);
  return out;
}
