import type { StackSettings } from "../../settings";
import type { VersionConfig } from "./schema";

/** The `gs://` URI of a version's artifacts: paths are inside the stack's models bucket. */
export function artifactUri(settings: StackSettings, version: VersionConfig): string {
  if (version.artifactUri.startsWith("gs://")) return version.artifactUri;
  return `gs://${settings.storage.buckets.models.name}/${version.artifactUri}`;
}

/** The full image reference: names without a registry host are in the stack's images repository. */
export function imageUri(settings: StackSettings, imagesRepository: string, version: Pick<VersionConfig, "image">): string {
  const first = version.image.split("/")[0];
  const hasHost = version.image.includes("/") && (first.includes(".") || first.includes(":"));
  return hasHost ? version.image : `${imagesRepository}/${version.image}`;
}

/** `REGION-docker.pkg.dev/PROJECT/llmops-images-ENV`, as the Registries component names it. */
export function imagesRepositoryUri(settings: StackSettings): string {
  return `${settings.primaryRegion}-docker.pkg.dev/${settings.project}/llmops-images-${settings.environment}`;
}
