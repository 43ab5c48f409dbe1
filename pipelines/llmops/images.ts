/**
 * Container images of the mission pipelines.
 *
 * The project builds its own two images from `pipelines/steps` (the step code and a Dockerfile
 * each), in every stack's project, with Cloud Build, on `pulumi up` (`llmops:pipelines:Images`,
 * infra/pipelines/images.ts); each stack's templates are compiled with the digests its builds
 * report: `missionPipelines(images)`. Nothing here names a digest of a project image: there is
 * none until a build has run.
 *
 * What the builds start from, and the builder they run, are upstream images pinned by digest, each
 * with the public record of that digest. The steps need nothing from PyPI (standard library
 * only), so no requirements file is installed.
 */

/** One image the project builds: a Dockerfile in the steps folder, which is its build context. */
export interface BuiltImage {
  /** The image's name in the stack's DOCKER repository (`<imagesUri>/<name>`). */
  readonly name: string;
  /** Relative to `STEPS_CONTEXT`. */
  readonly dockerfile: string;
  readonly description: string;
}

/** The build context of every project image: the steps package, relative to the repository root. */
export const STEPS_CONTEXT = "pipelines/steps";

export const BUILT_IMAGES = {
  /** Every CPU step: data preparation, tuning jobs, registry, batch prediction, the run report. */
  steps: { name: "llmops-steps", dockerfile: "images/steps.Dockerfile", description: "Pipeline steps (standard-library Python) on the official Python image" },
  /** Steps that load an open model onto a GPU: the LoRA trainer (a CustomJob) and evaluation. */
  gpuSteps: { name: "llmops-steps-gpu", dockerfile: "images/steps-gpu.Dockerfile", description: "GPU steps (LoRA training, evaluation) on vLLM's image: PyTorch, Transformers, vLLM" },
} as const satisfies Record<string, BuiltImage>;

export type ImageKey = keyof typeof BUILT_IMAGES;

/** A reference per project image, by digest (`<imagesUri>/<name>@sha256:…`) in every stack. */
export type MissionImages = Readonly<Record<ImageKey, string>>;

/**
 * The names the local runner gives the project images. It runs steps as local processes
 * (`llmops pipelines run --local`), so nothing is pulled; these never reach Vertex AI, whose
 * specs the compiler only accepts with images pinned by digest.
 */
export const LOCAL_IMAGES: MissionImages = { steps: "llmops-local/llmops-steps", gpuSteps: "llmops-local/llmops-steps-gpu" };

/** An upstream image, pinned by the digest its registry serves for a version tag. */
export interface UpstreamImage {
  /** `registry/name:tag@sha256:<digest>`: the tag says which release, the digest fixes the bytes. */
  readonly reference: string;
  /** A public record of that digest for that tag. */
  readonly source: string;
  /** Where the project uses it. */
  readonly usedBy: string;
}

export const UPSTREAM_IMAGES = {
  /**
   * Docker's official Python image; docker-library/repo-info records the digest of every tag the
   * Docker Hub library serves (the index digest, multi-platform).
   */
  python: {
    reference: "docker.io/library/python:3.11.15-slim-bookworm@sha256:d29f48a31a8b408ed19272ca1e7b10ebae13b240a27e862d3d4217c528e2e0c3",
    source: "https://github.com/docker-library/repo-info/blob/3effc3eac4f65a99767fd721667a1bf157496ba4/repos/python/remote/3.11.15-slim-bookworm.md",
    usedBy: "pipelines/steps/images/steps.Dockerfile",
  },
  /**
   * vLLM's published image (PyTorch with CUDA, Transformers, vLLM). The digest is as pinned by
   * tinfoilsh/vllm-openai-audio, whose build verifies the image it starts from; it was not read
   * from Docker Hub here.
   */
  vllm: {
    reference: "docker.io/vllm/vllm-openai:v0.14.0@sha256:1d6866b87630d94f5e0cdae55ab5abb4ce0b03fcb84d9d10612f9d518d19d4fd",
    source: "https://github.com/tinfoilsh/vllm-openai-audio/blob/51b771af57e7e8591085a2388c0ae7ad23e30b20/Dockerfile",
    usedBy: "pipelines/steps/images/steps-gpu.Dockerfile",
  },
  /**
   * Docker's official `docker` CLI image: the Cloud Build step that runs `docker build` against
   * the build's Docker daemon. Cloud Build's own `gcr.io/cloud-builders/docker` publishes no
   * pinned versions and points to this image instead (GoogleCloudPlatform/cloud-builders,
   * docker/README.md).
   */
  docker: {
    reference: "docker.io/library/docker:29.6.2-cli@sha256:be132a9f282288de4afaf63379dff75711fda0147c6b72a9df44e51841402144",
    source: "https://github.com/docker-library/repo-info/blob/0f48b77a71f3062d66be565ba58a78ef22053395/repos/docker/remote/29.6.2-cli.md",
    usedBy: "infra/pipelines/images.ts (the Cloud Build step)",
  },
} as const satisfies Record<string, UpstreamImage>;
