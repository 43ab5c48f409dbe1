import { apiError, describeError } from "../../common/providers/errors";
import { httpRequest } from "../../common/providers/http";
import { RetryPolicy, sleep, withRetry } from "../../common/providers/retry";

/**
 * Calls of a ContainerImageBuild: the context tarball to Cloud Storage (JSON API media upload),
 * then a regional Cloud Build build, followed until it ends. Plain functions over plain data:
 * they are serialised with the provider into the Pulumi state.
 * References:
 *  - https://cloud.google.com/storage/docs/json_api/v1/objects/insert (media upload, ifGenerationMatch)
 *  - https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.builds (create, get, list; the Build resource)
 *  - https://cloud.google.com/build/docs/api/reference/rest/v1/operations (the Operation create answers;
 *    metadata is BuildOperationMetadata `{ build }`, response the Build)
 */

export interface CloudBuildConnection {
  /** `https://storage.googleapis.com`, or a fake's address. */
  readonly storageUrl: string;
  /** `https://cloudbuild.googleapis.com`, or a fake's address. */
  readonly cloudBuildUrl: string;
  readonly anonymous: boolean;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  /** Between two reads of a running build. */
  readonly pollIntervalMs: number;
  /** How long to follow a build before giving up on waiting (the build itself goes on). */
  readonly waitTimeoutMs: number;
}

/** The fields of a Build this provider reads (Build resource, cloudbuild.proto). */
export interface Build {
  readonly id?: string;
  readonly status?: string;
  readonly statusDetail?: string;
  readonly logUrl?: string;
  readonly images?: readonly string[];
  readonly tags?: readonly string[];
  readonly results?: { readonly images?: readonly { readonly name?: string; readonly digest?: string }[] };
}

interface Operation {
  readonly name?: string;
  readonly done?: boolean;
  readonly error?: { readonly code?: number; readonly message?: string };
  readonly metadata?: { readonly build?: Build };
  readonly response?: Build;
}

/** Statuses of a build still going: worth waiting for rather than starting another. */
export const RUNNING = ["STATUS_UNKNOWN", "PENDING", "QUEUED", "WORKING"];

async function json<T>(res: Response, what: string): Promise<T> {
  const text = await res.text();
  try {
    return JSON.parse(text) as T;
  } catch {
    throw apiError(`${what}: unexpected answer ${JSON.stringify(text.slice(0, 200))}; expected JSON`, "INTERNAL");
  }
}

/**
 * Uploads the tarball to `gs://bucket/object` unless it is there already. The object is named
 * after the sources' hash, so it is created once (`ifGenerationMatch=0`, which also spares the
 * deployer `storage.objects.delete`); when it exists its MD5 must match these bytes, since the
 * build would otherwise read other sources than those previewed. Returns the generation the build
 * pins, so a later overwrite cannot change what it reads.
 */
export async function uploadSource(conn: CloudBuildConnection, bucket: string, object: string, bytes: Buffer): Promise<string> {
  const what = `Cloud Storage gs://${bucket}/${object}`;
  const upload = `${conn.storageUrl}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=media&name=${encodeURIComponent(object)}&ifGenerationMatch=0`;
  try {
    const res = await withRetry(`${what}: upload`, conn.retry, () => httpRequest(conn, upload, { method: "POST", headers: { "content-type": "application/gzip" }, body: bytes }));
    return generationOf(await json<{ generation?: string }>(res, `${what}: upload`), what);
  } catch (err) {
    if (describeError(err).status !== "FAILED_PRECONDITION") throw err;
  }
  const meta = `${conn.storageUrl}/storage/v1/b/${encodeURIComponent(bucket)}/o/${encodeURIComponent(object)}`;
  const existing = await json<{ generation?: string; md5Hash?: string }>(await withRetry(`${what}: read`, conn.retry, () => httpRequest(conn, meta, { method: "GET" })), `${what}: read`);
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const md5 = createHash("md5").update(bytes).digest("base64");
  if (existing.md5Hash !== md5) {
    throw apiError(`${what} already exists with other bytes (MD5 ${existing.md5Hash ?? "unknown"}, these sources pack to ${md5}): someone wrote that object; delete it and run \`pulumi up\` again`, "FAILED_PRECONDITION");
  }
  return generationOf(existing, what);
}

function generationOf(object: { generation?: string }, what: string): string {
  if (typeof object.generation !== "string" || !/^[0-9]+$/.test(object.generation)) throw apiError(`${what}: the answer has no generation`, "INTERNAL");
  return object.generation;
}

function buildsUrl(conn: CloudBuildConnection, project: string, region: string): string {
  return `${conn.cloudBuildUrl}/v1/projects/${encodeURIComponent(project)}/locations/${encodeURIComponent(region)}/builds`;
}

/**
 * The newest build tagged `tag` that pushes `image` and has not failed, if any: a build started
 * by an earlier attempt whose answer was lost, or by a run whose state was not saved. Assumed, not
 * documented: the list is newest first (builds are listed by create time, the documented filter
 * syntax is `tags="…"` as on https://cloud.google.com/build/docs/view-build-results#filtering_build_results_using_queries).
 */
export async function findBuild(conn: CloudBuildConnection, project: string, region: string, tag: string, image: string): Promise<Build | undefined> {
  const url = `${buildsUrl(conn, project, region)}?pageSize=50&filter=${encodeURIComponent(`tags="${tag}"`)}`;
  const what = `Cloud Build projects/${project}/locations/${region}: list builds tagged ${tag}`;
  const { builds = [] } = await json<{ builds?: Build[] }>(await withRetry(what, conn.retry, () => httpRequest(conn, url, { method: "GET" })), what);
  return builds.find((b) => (b.images ?? []).includes(image) && (b.tags ?? []).includes(tag) && (b.status === "SUCCESS" || RUNNING.includes(b.status ?? "")));
}

/** Starts `build`; answers the operation's name and the build's id. */
export async function createBuild(conn: CloudBuildConnection, project: string, region: string, build: object): Promise<{ operation: string; id: string }> {
  const what = `Cloud Build projects/${project}/locations/${region}: create build`;
  // Retried only on 429/503, which Google's APIs answer before acting: no second build.
  const res = await withRetry(what, conn.retry, () => httpRequest(conn, buildsUrl(conn, project, region), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(build) }));
  const op = await json<Operation>(res, what);
  const id = op.metadata?.build?.id;
  if (!op.name || !id) throw apiError(`${what}: the operation ${JSON.stringify(op.name)} names no build id`, "INTERNAL");
  return { operation: op.name, id };
}

/** Reads `read` every `pollIntervalMs` until `done` says so, or gives up after `waitTimeoutMs`. */
async function poll<T>(conn: CloudBuildConnection, what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + conn.waitTimeoutMs;
  for (;;) {
    const value = await withRetry(what, conn.retry, read);
    if (done(value)) return value;
    if (Date.now() >= deadline) return value;
    await sleep(conn.pollIntervalMs);
  }
}

/**
 * Follows the operation of a build this provider started until it is done; answers the build as
 * last reported. A failed build's operation ends with `error` and the Build in `metadata` (assumed
 * from the Operation contract: `response` is set only on success), so both places are read.
 */
export async function waitForOperation(conn: CloudBuildConnection, operation: string): Promise<{ build: Build; done: boolean }> {
  const what = `Cloud Build ${operation}: read`;
  const op = await poll(
    conn,
    what,
    async () => json<Operation>(await httpRequest(conn, `${conn.cloudBuildUrl}/v1/${operation}`, { method: "GET" }), what),
    (o) => o.done === true,
  );
  return { build: op.response ?? op.metadata?.build ?? {}, done: op.done === true };
}

/** Follows a build found by its tag (one an earlier attempt started) until it leaves RUNNING. */
export async function waitForBuild(conn: CloudBuildConnection, project: string, region: string, id: string): Promise<{ build: Build; done: boolean }> {
  const what = `Cloud Build build ${id}: read`;
  const build = await poll(
    conn,
    what,
    async () => json<Build>(await httpRequest(conn, `${buildsUrl(conn, project, region)}/${encodeURIComponent(id)}`, { method: "GET" }), what),
    (b) => !RUNNING.includes(b.status ?? "STATUS_UNKNOWN"),
  );
  return { build, done: !RUNNING.includes(build.status ?? "STATUS_UNKNOWN") };
}
