import * as pulumi from "@pulumi/pulumi";
import { sameJson } from "../../../lib/json";
import { InputsOf } from "../../common/providers/inputs";
import { providerCodeChanged } from "../../common/providers/provider-code";
import { resolveRetry } from "../../common/providers/retry";
import { isFullyKnown } from "../../common/providers/validation";
import { DynamicResource } from "../../common/dynamic-resource";
import { KfpTemplateInputs, KfpTemplateOutputs, contentHashOf, validateKfpTemplate } from "./kfp-template-inputs";
import { RegistryConnection, deleteTemplateVersion, uploadTemplate, versionExists } from "./kfp-registry";

/**
 * KfpTemplate: publishes a compiled KFP pipeline spec to an Artifact Registry KFP repository and
 * outputs the digest-pinned `templateUri` Vertex AI Pipelines runs.
 *
 * The resource is the package's *current* template. A changed spec is an in-place update that
 * publishes a new version and moves the tags, not a replacement: a replacement would delete the
 * old version, yet the registry is a history that running jobs and schedules read by digest.
 * Only a different repository (project, region, repository) replaces the resource.
 */

function registryConnection(inputs: KfpTemplateInputs): RegistryConnection {
  const host = (inputs.endpoint ?? `https://${inputs.region}-kfp.pkg.dev`).replace(/\/+$/, "");
  const api = (inputs.apiEndpoint ?? "https://artifactregistry.googleapis.com").replace(/\/+$/, "");
  return {
    repositoryUrl: `${host}/${inputs.project}/${inputs.repository}`,
    apiRepositoryUrl: `${api}/v1/projects/${inputs.project}/locations/${inputs.region}/repositories/${inputs.repository}`,
    anonymous: inputs.credentials === "anonymous",
    timeoutMs: inputs.timeoutMs ?? 60_000,
    retry: resolveRetry(inputs.retry),
  };
}

/** The tags of a publication: the content hash first, so the same bytes always carry it. */
function tagsOf(inputs: KfpTemplateInputs): string[] {
  return [contentHashOf(inputs.content), inputs.versionName, ...(inputs.extraTags ?? [])];
}

function packageId(inputs: KfpTemplateInputs, packageName: string): string {
  return `projects/${inputs.project}/locations/${inputs.region}/repositories/${inputs.repository}/packages/${packageName}`;
}

async function publish(inputs: KfpTemplateInputs): Promise<KfpTemplateOutputs> {
  const conn = registryConnection(inputs);
  const tags = tagsOf(inputs);
  const { packageName, version } = await uploadTemplate(conn, inputs.content, tags);
  return {
    ...inputs,
    packageName,
    version,
    templateUri: `${conn.repositoryUrl}/${packageName}/${version}`,
    tagUri: `${conn.repositoryUrl}/${packageName}/${inputs.versionName}`,
    contentHash: tags[0],
    tags,
  };
}

const IDENTITY = ["project", "region", "repository"] as const;
const PUBLISHED = ["versionName", "extraTags"] as const;
const SETTINGS = ["deleteVersionOnDestroy", "endpoint", "apiEndpoint", "credentials", "timeoutMs", "retry"] as const;

/** What makes a new publication necessary: different bytes or different tags. */
function republishes(olds: KfpTemplateOutputs, news: KfpTemplateInputs): string[] {
  const changed: string[] = [];
  if (!isFullyKnown(news.content) || olds.contentHash !== contentHashOf(news.content)) changed.push("content");
  for (const key of PUBLISHED) if (!isFullyKnown(news[key]) || !sameJson(olds[key] ?? [], news[key] ?? [])) changed.push(key);
  return changed;
}

export const kfpTemplateProvider = {
  async check(_olds: KfpTemplateInputs, news: KfpTemplateInputs) {
    return { inputs: news, failures: validateKfpTemplate(news) };
  },

  async diff(_id: string, olds: KfpTemplateOutputs, news: KfpTemplateInputs) {
    const replaces = IDENTITY.filter((key) => !isFullyKnown(news[key]) || olds[key] !== news[key]);
    const republished = republishes(olds, news);
    const settings = SETTINGS.filter((key) => !sameJson(olds[key] ?? null, news[key] ?? null));
    return {
      // New provider code alone is an update that only records it: `update` publishes nothing.
      changes: replaces.length + republished.length + settings.length > 0 || providerCodeChanged(olds, news),
      replaces: [...replaces],
      stables: replaces.length + republished.length === 0 ? ["packageName", "version", "templateUri", "tagUri", "contentHash", "tags"] : [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs: KfpTemplateInputs) {
    const outs = await publish(inputs);
    return { id: packageId(inputs, outs.packageName), outs };
  },

  async update(_id: string, olds: KfpTemplateOutputs, news: KfpTemplateInputs) {
    if (republishes(olds, news).length === 0) {
      const { packageName, version, templateUri, tagUri, contentHash, tags } = olds;
      return { outs: { ...news, packageName, version, templateUri, tagUri, contentHash, tags } };
    }
    return { outs: await publish(news) };
  },

  async read(id: string, props?: KfpTemplateOutputs) {
    if (!props) throw new Error(`importing a KfpTemplate is not supported: declare it with the spec it publishes (id ${id})`);
    const exists = await versionExists(registryConnection(props), props.packageName, props.version);
    return exists ? { id, props } : {};
  },

  /** Forgets the template; deletes its current version only with `deleteVersionOnDestroy`. */
  async delete(_id: string, props: KfpTemplateOutputs) {
    if (props.deleteVersionOnDestroy === true) await deleteTemplateVersion(registryConnection(props), props.packageName, props.version);
  },
} satisfies pulumi.dynamic.ResourceProvider<KfpTemplateInputs, KfpTemplateOutputs>;

/** Resource-side arguments: `KfpTemplateInputs`, each property accepting `pulumi.Input`. */
export type KfpTemplateArgs = InputsOf<KfpTemplateInputs>;

/** Type token `pulumi-nodejs:dynamic/artifactregistry:KfpTemplate`. */
export class KfpTemplate extends DynamicResource {
  /** `https://REGION-kfp.pkg.dev/PROJECT/REPO/PACKAGE/sha256:DIGEST`. */
  declare public readonly templateUri: pulumi.Output<string>;
  /** `…/PACKAGE/VERSION_NAME`. */
  declare public readonly tagUri: pulumi.Output<string>;
  declare public readonly packageName: pulumi.Output<string>;
  /** `sha256:DIGEST`. */
  declare public readonly version: pulumi.Output<string>;
  declare public readonly versionName: pulumi.Output<string>;

  constructor(name: string, args: KfpTemplateArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = { templateUri: undefined, tagUri: undefined, packageName: undefined, version: undefined, contentHash: undefined, tags: undefined };
    super(kfpTemplateProvider, name, { ...args, ...outputs }, opts, "artifactregistry", "KfpTemplate");
  }
}
