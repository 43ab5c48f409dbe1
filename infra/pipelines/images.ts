import * as path from "node:path";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { BUILT_IMAGES, STEPS_CONTEXT, UPSTREAM_IMAGES, type ImageKey, type MissionImages } from "../../pipelines/llmops";
import { apiError } from "../common/providers/errors";
import { InputsOf } from "../common/providers/inputs";
import { providerCodeChanged } from "../common/providers/provider-code";
import { resolveRetry } from "../common/providers/retry";
import { PROJECT_PATTERN, REGION_PATTERN, failures, isFullyKnown } from "../common/providers/validation";
import { Build, CloudBuildConnection, createBuild, findBuild, uploadSource, waitForBuild, waitForOperation } from "./providers/cloud-build";
import { contextTarball } from "./providers/context-tarball";
import { childOf } from "../common/child";
import { DynamicResource } from "../common/dynamic-resource";
import type { HttpConnectionInputs } from "../common/providers/http";

/**
 * The project's pipeline images, built in the stack's project by Cloud Build from
 * `pipelines/steps` and pushed to the stack's DOCKER repository; the templates are compiled with
 * the digests the builds report (`PipelineImages.images`).
 *
 * A build is identified by the content hash of its context (every file under `pipelines/steps`
 * except bytecode): unchanged sources are no diff and no build; a changed file is an update that
 * builds again and moves every template that runs the image to the new digest.
 *
 * A build (`create`, or `update` with new sources): the context's hash is computed again and must
 * be the previewed `sourceHash`; the context is packed into a deterministic .tar.gz
 * (`context-tarball.ts`) and uploaded once to `gs://<sourceBucket>/build-sources/<hash>.tar.gz`;
 * Cloud Build's `projects.locations.builds.create` runs one step (`builder`, `docker build -f
 * <dockerfile> -t <repositoryUri>/<name>:<buildTag> .`) as `serviceAccount`, pushes
 * `images: [<that tag>]`, and is followed until it ends; the digest is Cloud Build's
 * `results.images[].digest`. The build is tagged with `buildTag` (a hash of everything it is made
 * from): a create retried after a lost answer, or run again after a state that was not saved,
 * finds that build (running or done) instead of starting a second one.
 *
 * The provider runs in the Pulumi program's directory (that of Pulumi.yaml, the repository root),
 * which `context` is relative to.
 */

/** Inputs of the ContainerImageBuild dynamic resource, as its provider receives them. */
export interface ContainerImageBuildInputs extends HttpConnectionInputs {
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
  /** Bucket holding the uploaded contexts (under `build-sources/`), which the build reads. */
  readonly sourceBucket: string;
  /** Email of the account the build runs as: it reads the source object and pushes the image. */
  readonly serviceAccount: string;
  /** Cloud Build's own limit on the build, in seconds. @default 3600 */
  readonly buildTimeoutSeconds?: number;
  /** Scheme and host of the Cloud Storage JSON API, for tests against a local fake. @default "https://storage.googleapis.com" */
  readonly storageEndpoint?: string;
  /** Scheme and host of the Cloud Build API, for tests against a local fake. @default "https://cloudbuild.googleapis.com" */
  readonly cloudBuildEndpoint?: string;
  /** Between two reads of a running build. @default 10000 */
  readonly pollIntervalMs?: number;
}

export interface ContainerImageBuildOutputs extends ContainerImageBuildInputs {
  /** `sha256:<hex>` of the pushed image, as Cloud Build reports it. */
  readonly digest: string;
  /** `<repositoryUri>/<name>@<digest>`. */
  readonly imageUri: string;
}

/** Files of a build context, sorted, without bytecode caches: what a build copies from it. */
export function contextFiles(dir: string): string[] {
  // Loaded here rather than imported: the provider is serialised with these functions (see kfp-template-inputs.ts).
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
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
  const fs = require("node:fs") as typeof import("node:fs");
  const path = require("node:path") as typeof import("node:path");
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const hash = createHash("sha256");
  for (const file of contextFiles(dir)) {
    const bytes = fs.readFileSync(path.join(dir, file));
    hash.update(`${file}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Where uploaded contexts go in `sourceBucket`; the build account may read only this prefix. */
export const BUILD_SOURCES_PREFIX = "build-sources/";

/**
 * The image tag and Cloud Build tag of a build: a hash of everything the image is made from (its
 * name, Dockerfile, builder and sources), so equal inputs find the same build and image.
 */
export function buildTag(inputs: Pick<ContainerImageBuildInputs, "name" | "dockerfile" | "builder" | "sourceHash">): string {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  return `llmops-${createHash("sha256").update(`${inputs.name}\0${inputs.dockerfile}\0${inputs.builder}\0${inputs.sourceHash}`).digest("hex").slice(0, 40)}`;
}

/** The build's request body (Build resource): one docker step, the tagged image pushed by Cloud Build. */
export function buildRequest(inputs: ContainerImageBuildInputs, object: string, generation: string): object {
  const tag = buildTag(inputs);
  const image = `${inputs.repositoryUri}/${inputs.name}:${tag}`;
  return {
    source: { storageSource: { bucket: inputs.sourceBucket, object, generation } },
    // The CLI itself, not the image's entrypoint script, which would look for a daemon at tcp://docker:2375;
    // Cloud Build gives every step the build's Docker daemon on /var/run/docker.sock.
    steps: [{ name: inputs.builder, entrypoint: "docker", args: ["build", "-f", inputs.dockerfile, "-t", image, "."] }],
    images: [image],
    tags: ["llmops", tag],
    timeout: `${inputs.buildTimeoutSeconds ?? 3600}s`,
    serviceAccount: `projects/${inputs.project}/serviceAccounts/${inputs.serviceAccount}`,
    // With a user-specified account, logs must go to Cloud Logging or a user bucket:
    // https://cloud.google.com/build/docs/securing-builds/configure-user-specified-service-accounts
    options: { logging: "CLOUD_LOGGING_ONLY" },
  };
}

function connection(inputs: ContainerImageBuildInputs): CloudBuildConnection {
  const timeout = inputs.buildTimeoutSeconds ?? 3600;
  return {
    storageUrl: (inputs.storageEndpoint ?? "https://storage.googleapis.com").replace(/\/+$/, ""),
    cloudBuildUrl: (inputs.cloudBuildEndpoint ?? "https://cloudbuild.googleapis.com").replace(/\/+$/, ""),
    anonymous: inputs.credentials === "anonymous",
    timeoutMs: inputs.timeoutMs ?? 60_000,
    retry: resolveRetry(inputs.retry),
    pollIntervalMs: inputs.pollIntervalMs ?? 10_000,
    // The build's own limit plus time in the queue.
    waitTimeoutMs: (timeout + 15 * 60) * 1000,
  };
}

function describeBuild(build: Build): string {
  return `build ${build.id ?? "(no id)"} ended ${build.status ?? "STATUS_UNKNOWN"}${build.statusDetail ? ` (${build.statusDetail})` : ""}; logs: ${build.logUrl ?? "(no log URL reported)"}`;
}

/** Uploads the context, starts (or finds) the build, waits for it, and reads the pushed digest. */
async function build(inputs: ContainerImageBuildInputs): Promise<{ id: string; outs: ContainerImageBuildOutputs }> {
  const path = require("node:path") as typeof import("node:path");
  const dir = path.resolve(inputs.context);
  const actual = contextHash(dir);
  if (actual !== inputs.sourceHash) {
    throw apiError(
      `${inputs.name}: the sources under ${inputs.context} changed after the preview (previewed ${inputs.sourceHash}, now ${actual}); nothing was built. Run \`pulumi up\` again so that the preview and the build see the same files.`,
      "FAILED_PRECONDITION",
    );
  }
  const conn = connection(inputs);
  const tag = buildTag(inputs);
  const image = `${inputs.repositoryUri}/${inputs.name}:${tag}`;
  const where = `${inputs.name} (${image})`;
  let result: { build: Build; done: boolean };
  const found = await findBuild(conn, inputs.project, inputs.region, tag, image);
  if (found?.id) {
    result = found.status === "SUCCESS" ? { build: found, done: true } : await waitForBuild(conn, inputs.project, inputs.region, found.id);
  } else {
    const object = `${BUILD_SOURCES_PREFIX}${inputs.sourceHash.replace(/^sha256:/, "")}.tar.gz`;
    const generation = await uploadSource(conn, inputs.sourceBucket, object, contextTarball(dir, contextFiles(dir)));
    const started = await createBuild(conn, inputs.project, inputs.region, buildRequest(inputs, object, generation));
    result = await waitForOperation(conn, started.operation);
    result = { ...result, build: { id: started.id, ...result.build } };
  }
  const { build: done } = result;
  if (!result.done) {
    throw apiError(
      `${where}: build ${done.id} is still ${done.status ?? "running"} after ${conn.waitTimeoutMs / 60_000} minutes; logs: ${done.logUrl ?? "(no log URL reported)"}. It goes on: run \`pulumi up\` again to wait for it (it is found by its tag ${tag}, not started again).`,
      "DEADLINE_EXCEEDED",
    );
  }
  if (done.status !== "SUCCESS") throw apiError(`${where}: ${describeBuild(done)}`, "ABORTED");
  const digest = (done.results?.images ?? []).find((i) => i.name === image)?.digest;
  if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
    throw apiError(`${where}: build ${done.id} succeeded but reports no digest for the image (results.images: ${JSON.stringify(done.results?.images ?? [])}); logs: ${done.logUrl ?? "(none)"}`, "INTERNAL");
  }
  return {
    id: `projects/${inputs.project}/locations/${inputs.region}/builds/${done.id}`,
    outs: { ...inputs, digest, imageUri: `${inputs.repositoryUri}/${inputs.name}@${digest}` },
  };
}

const REBUILDS = ["sourceHash", "dockerfile", "context", "builder"] as const;

export function validateContainerImageBuild(inputs: ContainerImageBuildInputs): pulumi.dynamic.CheckFailure[] {
  const f = failures();
  f.string("project", inputs.project, PROJECT_PATTERN, "a project id");
  f.string("region", inputs.region, REGION_PATTERN, "a region such as us-central1");
  f.string("repositoryUri", inputs.repositoryUri, /^[a-z0-9-]+-docker\.pkg\.dev\/[^/\s]+\/[^/\s]+$/, "REGION-docker.pkg.dev/PROJECT/REPOSITORY");
  f.string("name", inputs.name, /^[a-z0-9]+([._-][a-z0-9]+)*$/, "an image name of lower-case letters, digits and . _ -");
  f.string("sourceHash", inputs.sourceHash, /^sha256:[0-9a-f]{64}$/, "sha256:<64 hex>");
  f.string("builder", inputs.builder, /@sha256:[0-9a-f]{64}$/, "an image pinned by digest");
  f.string("sourceBucket", inputs.sourceBucket, /^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/, "a bucket name");
  f.string("serviceAccount", inputs.serviceAccount, /^[a-z0-9-]+@[a-z0-9.-]+\.iam\.gserviceaccount\.com$/, "a service account email");
  f.integer("buildTimeoutSeconds", inputs.buildTimeoutSeconds, 60, 86_400, true);
  f.integer("timeoutMs", inputs.timeoutMs, 1, 3_600_000, true);
  f.integer("pollIntervalMs", inputs.pollIntervalMs, 0, 600_000, true);
  f.oneOf("credentials", inputs.credentials, ["application-default", "anonymous"] as const, true);
  return f.list;
}

export const containerImageBuildProvider = {
  async check(_olds: ContainerImageBuildInputs, news: ContainerImageBuildInputs) {
    return { inputs: news, failures: validateContainerImageBuild(news) };
  },

  async diff(_id: string, olds: ContainerImageBuildOutputs, news: ContainerImageBuildInputs) {
    const replaces = (["project", "region", "repositoryUri", "name"] as const).filter((key) => !isFullyKnown(news[key]) || olds[key] !== news[key]);
    const rebuilds = REBUILDS.filter((key) => !isFullyKnown(news[key]) || olds[key] !== news[key]);
    // Where sources go, who builds and how it is followed: recorded in place, nothing built.
    const settings = (["sourceBucket", "serviceAccount", "buildTimeoutSeconds", "storageEndpoint", "cloudBuildEndpoint", "credentials", "timeoutMs", "retry", "pollIntervalMs"] as const).filter(
      (key) => JSON.stringify(olds[key] ?? null) !== JSON.stringify(news[key] ?? null),
    );
    return {
      changes: replaces.length + rebuilds.length + settings.length > 0 || providerCodeChanged(olds, news),
      replaces: [...replaces],
      stables: replaces.length + rebuilds.length === 0 ? ["digest", "imageUri"] : [],
      deleteBeforeReplace: false,
    };
  },

  async create(inputs: ContainerImageBuildInputs) {
    return build(inputs);
  },

  async update(_id: string, olds: ContainerImageBuildOutputs, news: ContainerImageBuildInputs) {
    if (REBUILDS.every((key) => olds[key] === news[key])) return { outs: { ...news, digest: olds.digest, imageUri: olds.imageUri } };
    return { outs: (await build(news)).outs };
  },

  /** Pushed images stay: templates already published run them by digest. */
  async delete() {},
} satisfies pulumi.dynamic.ResourceProvider<ContainerImageBuildInputs, ContainerImageBuildOutputs>;

/** Type token `pulumi-nodejs:dynamic/cloudbuild:ContainerImageBuild`. */
export class ContainerImageBuild extends DynamicResource {
  declare public readonly digest: pulumi.Output<string>;
  declare public readonly imageUri: pulumi.Output<string>;

  constructor(name: string, args: InputsOf<ContainerImageBuildInputs>, opts?: pulumi.CustomResourceOptions) {
    super(containerImageBuildProvider, name, { ...args, digest: undefined, imageUri: undefined }, opts, "cloudbuild", "ContainerImageBuild");
  }
}

export interface PipelineImagesArgs {
  readonly project: string;
  readonly region: string;
  readonly environment: string;
  /** The stack's DOCKER repository (Registries.imagesUri). */
  readonly repositoryUri: pulumi.Input<string>;
  /** The same repository as a resource, to grant the build account write on it alone. */
  readonly repository: { readonly location: pulumi.Input<string>; readonly name: pulumi.Input<string> };
  /** The bucket the contexts are uploaded to (under `build-sources/`): the pipeline root's. */
  readonly sourceBucket: pulumi.Input<string>;
  /** `serviceAccount:<deployer>`: starts the builds, so it may act as the build account. */
  readonly deployerMember: pulumi.Input<string>;
  /** The project directory (the context is `<projectDir>/pipelines/steps`). */
  readonly projectDir: string;
}

/**
 * Every project image (`BUILT_IMAGES`) built for this stack; `images` is what its templates run.
 * Builds run as their own account, `llmops-builder-<environment>`, which may write this stack's
 * DOCKER repository, read the uploaded contexts and write its build logs, and nothing else (not
 * Cloud Build's default account, whose project-wide roles are far wider).
 */
export class PipelineImages extends pulumi.ComponentResource {
  public readonly builds: Readonly<Record<ImageKey, ContainerImageBuild>>;
  public readonly builder: gcp.serviceaccount.Account;
  /** Each image by digest, once built. */
  public readonly images: pulumi.Output<MissionImages>;

  constructor(name: string, args: PipelineImagesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("llmops:pipelines:Images", name, {}, opts);
    const sourceHash = contextHash(path.join(args.projectDir, STEPS_CONTEXT));
    const builder = new gcp.serviceaccount.Account(
      `${name}-builder`,
      { project: args.project, accountId: `llmops-builder-${args.environment}`, displayName: `LLMOps pipeline image builds (${args.environment})`, description: "Managed by Pulumi (llmops). Cloud Build builds of the pipeline images." },
      childOf(this, opts),
    );
    const parent = { parent: builder };
    const grants = [
      // Push the built images (writer: no delete, no repository administration).
      new gcp.artifactregistry.RepositoryIamMember(`${name}-builder-images-writer`, { project: args.project, location: args.repository.location, repository: args.repository.name, role: "roles/artifactregistry.writer", member: builder.member }, parent),
      // Read the uploaded contexts, and only them: the pipeline root holds the pipelines' artifacts too.
      // Bucket IAM conditions need uniform bucket-level access, which every bucket of the stack has.
      new gcp.storage.BucketIAMMember(
        `${name}-builder-sources-viewer`,
        {
          bucket: args.sourceBucket,
          role: "roles/storage.objectViewer",
          member: builder.member,
          condition: {
            title: "build-sources only",
            description: "Pipeline image build contexts uploaded by pulumi up",
            expression: pulumi.interpolate`resource.name.startsWith("projects/_/buckets/${args.sourceBucket}/objects/${BUILD_SOURCES_PREFIX}")`,
          },
        },
        parent,
      ),
      // CLOUD_LOGGING_ONLY builds write their logs as the build account; log writing has no narrower scope than the project.
      new gcp.projects.IAMMember(`${name}-builder-logging-logwriter`, { project: args.project, role: "roles/logging.logWriter", member: builder.member }, parent),
      // A build that runs as an account checks the caller's actAs on it (iam.serviceAccounts.actAs).
      new gcp.serviceaccount.IAMMember(`${name}-deployer-actas-builder`, { serviceAccountId: builder.name, role: "roles/iam.serviceAccountUser", member: args.deployerMember }, parent),
    ];
    const builds = {} as Record<ImageKey, ContainerImageBuild>;
    for (const key of Object.keys(BUILT_IMAGES).sort() as ImageKey[]) {
      const image = BUILT_IMAGES[key];
      builds[key] = new ContainerImageBuild(
        `${name}-${image.name}`,
        {
          project: args.project,
          region: args.region,
          repositoryUri: args.repositoryUri,
          name: image.name,
          dockerfile: image.dockerfile,
          context: STEPS_CONTEXT,
          sourceHash,
          builder: UPSTREAM_IMAGES.docker.reference,
          sourceBucket: args.sourceBucket,
          serviceAccount: builder.email,
        },
        childOf(this, opts, builder, ...grants),
      );
    }
    this.builder = builder;
    this.builds = builds;
    this.images = pulumi.all(Object.fromEntries(Object.entries(builds).map(([key, build]) => [key, build.imageUri]))).apply((uris) => uris as unknown as MissionImages);
    this.registerOutputs({ images: this.images });
  }
}
