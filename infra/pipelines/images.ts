import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { BUILT_IMAGES, STEPS_CONTEXT, UPSTREAM_IMAGES, type ImageKey, type MissionImages } from "../../pipelines/llmops";
import { InputsOf } from "../common/providers/inputs";
import { providerCodeChanged } from "../common/providers/provider-code";
import { isFullyKnown } from "../common/providers/validation";
import { childOf } from "../common/child";

/**
 * The project's pipeline images, built in the stack's project by Cloud Build from
 * `pipelines/steps` and pushed to the stack's DOCKER repository; the templates are compiled with
 * the digests the builds report (`PipelineImages.images`).
 *
 * A build is identified by the content hash of its context (every file under `pipelines/steps`
 * except bytecode): unchanged sources are no diff and no build; a changed file is an update that
 * builds again and moves every template that runs the image to the new digest.
 *
 * NOT YET IMPLEMENTED (issue 17, see pipelines/README.md "Images"): the provider's create/update,
 * which must upload the context as a tarball to Cloud Storage, call Cloud Build's
 * `projects.locations.builds.create` with one step (`UPSTREAM_IMAGES.docker`, `docker build -f
 * <dockerfile> -t <repo>/<name>:<hash> .`) and `images: [<repo>/<name>:<hash>]`, wait for the
 * operation and read `results.images[0].digest`. Until then `pulumi up` stops at this resource with
 * that explanation, before any template is published; the plan (mock runtime) renders it.
 */

/** Inputs of the ContainerImageBuild dynamic resource, as its provider receives them. */
export interface ContainerImageBuildInputs {
  readonly project: string;
  /** Where Cloud Build runs: the stack's primary region, that of the DOCKER repository. */
  readonly region: string;
  /** `REGION-docker.pkg.dev/PROJECT/REPOSITORY` (Registries.imagesUri). */
  readonly repositoryUri: string;
  /** The image's name in the repository. */
  readonly name: string;
  /** Relative to the context. */
  readonly dockerfile: string;
  /** The build context, relative to the project directory. */
  readonly context: string;
  /** `sha256:<hex>` of the context's files: what decides whether to build again. */
  readonly sourceHash: string;
  /** The Cloud Build step's image, pinned by digest. */
  readonly builder: string;
}

export interface ContainerImageBuildOutputs extends ContainerImageBuildInputs {
  /** `sha256:<hex>` of the pushed image, as Cloud Build reports it. */
  readonly digest: string;
  /** `<repositoryUri>/<name>@<digest>`. */
  readonly imageUri: string;
}

/** Files of a build context, sorted, without bytecode caches: what a build copies from it. */
export function contextFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === "__pycache__" || entry.name.endsWith(".pyc")) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) files.push(child);
    }
  };
  walk("");
  return files;
}

/** `sha256:<hex>` over each file's path and bytes: changes with any file added, removed, renamed or edited. */
export function contextHash(dir: string): string {
  const hash = createHash("sha256");
  for (const file of contextFiles(dir)) {
    const bytes = fs.readFileSync(path.join(dir, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest("hex")}`;
}

const NOT_IMPLEMENTED =
  "building pipeline images with Cloud Build from `pulumi up` is not implemented yet (issue 17): build pipelines/steps/images/*.Dockerfile with pipelines/steps as the context, push to the stack's DOCKER repository, and compile templates with `npx llmops pipelines compile --images` until it is";

export const containerImageBuildProvider = {
  async check(_olds: ContainerImageBuildInputs, news: ContainerImageBuildInputs) {
    return { inputs: news, failures: [] };
  },

  async diff(_id: string, olds: ContainerImageBuildOutputs, news: ContainerImageBuildInputs) {
    const replaces = (["project", "region", "repositoryUri", "name"] as const).filter((key) => !isFullyKnown(news[key]) || olds[key] !== news[key]);
    const rebuilds = (["sourceHash", "dockerfile", "context", "builder"] as const).filter((key) => !isFullyKnown(news[key]) || olds[key] !== news[key]);
    return {
      changes: replaces.length + rebuilds.length > 0 || providerCodeChanged(olds, news),
      replaces: [...replaces],
      stables: replaces.length + rebuilds.length === 0 ? ["digest", "imageUri"] : [],
      deleteBeforeReplace: false,
    };
  },

  async create(): Promise<{ id: string; outs: ContainerImageBuildOutputs }> {
    throw new Error(NOT_IMPLEMENTED);
  },

  async update(_id: string, olds: ContainerImageBuildOutputs, news: ContainerImageBuildInputs) {
    const rebuilds = olds.sourceHash !== news.sourceHash || olds.dockerfile !== news.dockerfile || olds.context !== news.context || olds.builder !== news.builder;
    if (!rebuilds) return { outs: { ...news, digest: olds.digest, imageUri: olds.imageUri } };
    throw new Error(NOT_IMPLEMENTED);
  },

  /** Pushed images stay: templates already published run them by digest. */
  async delete() {},
} satisfies pulumi.dynamic.ResourceProvider<ContainerImageBuildInputs, ContainerImageBuildOutputs>;

/** Type token `pulumi-nodejs:dynamic/cloudbuild:ContainerImageBuild`. */
export class ContainerImageBuild extends pulumi.dynamic.Resource {
  declare public readonly digest: pulumi.Output<string>;
  declare public readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<ContainerImageBuildInputs>, opts?: pulumi.CustomResourceOptions) {
    super(containerImageBuildProvider, name, { ...args, digest: undefined, imageUri: undefined }, opts, "cloudbuild", "ContainerImageBuild");
  }
}

export interface PipelineImagesArgs {
  readonly project: string;
  readonly region: string;
  /** The stack's DOCKER repository (Registries.imagesUri). */
  readonly repositoryUri: pulumi.Input<string>;
  /** The project directory (the context is `<projectDir>/pipelines/steps`). */
  readonly projectDir: string;
}

/** Every project image (`BUILT_IMAGES`) built for this stack; `images` is what its templates run. */
export class PipelineImages extends pulumi.ComponentResource {
  public readonly builds: Readonly<Record<ImageKey, ContainerImageBuild>>;
  /** Each image by digest, once built. */
  public readonly images: pulumi.Output<MissionImages>;

  constructor(name: string, args: PipelineImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:pipelines:Images", name, {}, opts);
    const sourceHash = contextHash(path.join(args.projectDir, STEPS_CONTEXT));
    const builds = {} as Record<ImageKey, ContainerImageBuild>;
    for (const key of Object.keys(BUILT_IMAGES).sort() as ImageKey[]) {
      const image = BUILT_IMAGES[key];
      builds[key] = new ContainerImageBuild(
        `${name}-${image.name}`,
        { project: args.project, region: args.region, repositoryUri: args.repositoryUri, name: image.name, dockerfile: image.dockerfile, context: STEPS_CONTEXT, sourceHash, builder: UPSTREAM_IMAGES.docker.reference },
        childOf(this, opts),
      );
    }
    this.builds = builds;
    this.images = pulumi.all(Object.fromEntries(Object.entries(builds).map(([key, build]) => [key, build.imageUri]))).apply((uris) => uris as unknown as MissionImages);
    this.registerOutputs({ images: this.images });
  }
}
