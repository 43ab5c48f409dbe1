import { apiError, describeError } from "../../common/providers/errors";
import { httpRequest as request } from "../../common/providers/http";
import { RetryPolicy, withRetry } from "../../common/providers/retry";

/**
 * Calls to an Artifact Registry KFP repository, as the KFP SDK's `RegistryClient` makes them:
 * upload is `POST https://REGION-kfp.pkg.dev/PROJECT/REPO`, multipart with the file in `content`
 * and comma-separated `tags`, answering `PACKAGE/sha256:DIGEST`; versions are read and deleted
 * through the Artifact Registry REST API. Plain functions over plain data: they are serialised
 * with the provider into the Pulumi state.
 */

export interface RegistryConnection {
  /** `https://REGION-kfp.pkg.dev/PROJECT/REPO`, or the same path on an overridden host. */
  readonly repositoryUrl: string;
  /** `https://artifactregistry.googleapis.com/v1/projects/P/locations/R/repositories/REPO`. */
  readonly apiRepositoryUrl: string;
  readonly anonymous: boolean;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
}

export interface Published {
  readonly packageName: string;
  /** `sha256:<digest>`: the immutable version. */
  readonly version: string;
}

/**
 * Uploads `content` with `tags`. Publishing the same bytes again yields the same version (the
 * registry addresses versions by digest), so a retry after an ambiguous failure is harmless.
 */
export async function uploadTemplate(conn: RegistryConnection, content: string, tags: readonly string[]): Promise<Published> {
  const what = `KFP repository ${conn.repositoryUrl}: upload (tags ${tags.join(", ")})`;
  const text = await withRetry(what, conn.retry, async () => {
    const form = new FormData();
    form.append("tags", tags.join(","));
    form.append("content", new Blob([content], { type: "application/x-yaml" }), "pipeline.yaml");
    return (await request(conn, conn.repositoryUrl, { method: "POST", body: form })).text();
  });
  const match = /^([^/\s]+)\/(sha256:[0-9a-f]{64})\s*$/.exec(text);
  if (!match) throw apiError(`${what}: unexpected answer ${JSON.stringify(text.slice(0, 200))}; expected PACKAGE/sha256:DIGEST`, "INTERNAL");
  return { packageName: match[1], version: match[2] };
}

function versionUrl(conn: RegistryConnection, packageName: string, version: string): string {
  return `${conn.apiRepositoryUrl}/packages/${encodeURIComponent(packageName)}/versions/${encodeURIComponent(version)}`;
}

/** True when the version still exists. */
export async function versionExists(conn: RegistryConnection, packageName: string, version: string): Promise<boolean> {
  const what = `KFP package ${packageName}: read version ${version}`;
  try {
    await withRetry(what, conn.retry, () => request(conn, versionUrl(conn, packageName, version), { method: "GET" }));
    return true;
  } catch (err) {
    if (describeError(err).status === "NOT_FOUND") return false;
    throw err;
  }
}

/** Deletes the version and the tags on it (`force`); a version already gone is fine. */
export async function deleteTemplateVersion(conn: RegistryConnection, packageName: string, version: string): Promise<void> {
  const what = `KFP package ${packageName}: delete version ${version}`;
  try {
    await withRetry(what, conn.retry, () => request(conn, `${versionUrl(conn, packageName, version)}?force=true`, { method: "DELETE" }));
  } catch (err) {
    if (describeError(err).status !== "NOT_FOUND") throw err;
  }
}
