import { createHash } from "node:crypto";
import * as http from "node:http";
import { FakeGoogleServer, sendJson } from "../helpers/fake-google-server";

/**
 * A local fake of the two APIs a ContainerImageBuild calls, written from their references:
 *  - Cloud Storage JSON API (https://cloud.google.com/storage/docs/json_api/v1/objects):
 *    `POST /upload/storage/v1/b/B/o?uploadType=media&name=N[&ifGenerationMatch=0]` stores the body
 *    and answers the Object resource (`generation` and `md5Hash` as strings, MD5 in base64); with
 *    `ifGenerationMatch=0` an existing object is 412. `GET /storage/v1/b/B/o/N` reads metadata.
 *  - Cloud Build v1 (https://cloud.google.com/build/docs/api/reference/rest/v1/projects.locations.builds):
 *    `POST /v1/projects/P/locations/L/builds` answers an Operation whose `metadata` is
 *    BuildOperationMetadata `{ build }`; `GET /v1/projects/P/locations/L/operations/ID`,
 *    `GET …/builds/ID` and `GET …/builds?filter=tags="T"` read it back.
 * Assumed rather than documented, and so only as good as that assumption: a build moves QUEUED →
 * WORKING → its outcome one step per read; a failed build's operation ends with `error` (code 2)
 * and the Build in `metadata`, a successful one with the Build in `response`; the list is newest
 * first; the log URL has the console's form; the pushed digest is the SHA-256 of the context
 * object and the image name (a real one is the manifest's). Documented and enforced here: the
 * storage source must exist at the given generation, and a build with `serviceAccount` needs
 * `options.logging` (or a logs bucket), else 400.
 */

export interface FakeRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization?: string;
  readonly body: Buffer;
}

interface StoredObject {
  readonly bytes: Buffer;
  readonly generation: string;
}

export interface FakeBuild {
  id: string;
  project: string;
  region: string;
  status: string;
  statusDetail?: string;
  logUrl: string;
  images: string[];
  tags: string[];
  request: Record<string, unknown>;
  results?: { images: { name: string; digest: string }[] };
  outcome: string;
  operation: string;
}

export class FakeCloudBuild extends FakeGoogleServer {
  readonly requests: FakeRequest[] = [];
  /** `BUCKET/OBJECT` → bytes and generation. */
  readonly objects = new Map<string, StoredObject>();
  readonly builds: FakeBuild[] = [];
  /** How the next builds end: SUCCESS, FAILURE, TIMEOUT, … */
  outcome = "SUCCESS";
  /** Keeps every build QUEUED (a build that outlives the provider's wait). */
  holdQueued = false;
  private generation = 1_700_000_000_000_000;


  static async start(): Promise<FakeCloudBuild> {
    return new FakeCloudBuild(await FakeGoogleServer.listen());
  }


  /** The digest the fake reports for `image` built from the object it read. */
  static digestOf(object: Buffer, image: string): string {
    return `sha256:${createHash("sha256").update(object).update(image).digest("hex")}`;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const method = req.method ?? "GET";
    const query = Object.fromEntries(url.searchParams.entries());
    this.requests.push({ method, path, query, authorization: req.headers.authorization, body });
    if (this.injectedFault(res, method, path)) return;
    let m: RegExpExecArray | null;
    if (method === "POST" && (m = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(path))) return this.upload(res, decodeURIComponent(m[1]), query, body);
    if (method === "GET" && (m = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(path))) return this.objectMeta(res, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
    if ((m = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/builds$/.exec(path))) {
      if (method === "POST") return this.create(res, m[1], m[2], body);
      if (method === "GET") return this.list(res, m[1], m[2], query.filter ?? "");
    }
    if (method === "GET" && (m = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/builds\/([^/]+)$/.exec(path))) {
      const build = this.builds.find((b) => b.project === m![1] && b.region === m![2] && b.id === m![3]);
      if (!build) return notFound(res, path);
      this.advance(build);
      return sendJson(res, 200, view(build));
    }
    if (method === "GET" && (m = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/operations\/[^/]+)$/.exec(path))) {
      const build = this.builds.find((b) => b.operation === m![1]);
      if (!build) return notFound(res, path);
      this.advance(build);
      return sendJson(res, 200, operationOf(build));
    }
    notFound(res, `${method} ${path}`);
  }

  private upload(res: http.ServerResponse, bucket: string, query: Record<string, string>, body: Buffer): void {
    if (query.uploadType !== "media" || !query.name) return sendJson(res, 400, { error: { code: 400, message: "uploadType=media and name are required" } });
    const key = `${bucket}/${query.name}`;
    // Cloud Storage's 412 body has no `status` field: the client maps the HTTP code.
    if (query.ifGenerationMatch === "0" && this.objects.has(key)) return sendJson(res, 412, { error: { code: 412, message: "At least one of the pre-conditions you specified did not hold." } });
    const stored = { bytes: body, generation: String(this.generation++) };
    this.objects.set(key, stored);
    sendJson(res, 200, objectResource(bucket, query.name, stored));
  }

  private objectMeta(res: http.ServerResponse, bucket: string, name: string): void {
    const stored = this.objects.get(`${bucket}/${name}`);
    if (!stored) return sendJson(res, 404, { error: { code: 404, message: `No such object: ${bucket}/${name}` } });
    sendJson(res, 200, objectResource(bucket, name, stored));
  }

  private create(res: http.ServerResponse, project: string, region: string, body: Buffer): void {
    const request = JSON.parse(body.toString("utf8")) as Record<string, any>;
    const invalid = (message: string) => sendJson(res, 400, { error: { code: 400, message, status: "INVALID_ARGUMENT" } });
    const source = request.source?.storageSource;
    const stored = source && this.objects.get(`${source.bucket}/${source.object}`);
    if (!stored || (source.generation !== undefined && source.generation !== stored.generation)) return invalid(`storage source gs://${source?.bucket}/${source?.object}#${source?.generation} not found`);
    if (!Array.isArray(request.steps) || request.steps.length === 0) return invalid("a build needs at least one step");
    if (request.serviceAccount && !request.options?.logging && !request.logsBucket) {
      return invalid("if 'build.service_account' is specified, the build must either (a) specify 'build.logs_bucket', (b) use the REGIONAL_USER_OWNED_BUCKET build.options.default_logs_bucket_behavior option, or (c) use either CLOUD_LOGGING_ONLY / NONE logging options");
    }
    const id = `b${String(this.builds.length + 1).padStart(7, "0")}-0000-4000-8000-000000000000`;
    const build: FakeBuild = {
      id,
      project,
      region,
      status: "QUEUED",
      logUrl: `https://console.cloud.google.com/cloud-build/builds;region=${region}/${id}?project=123456789012`,
      images: request.images ?? [],
      tags: request.tags ?? [],
      request,
      outcome: this.outcome,
      operation: `projects/${project}/locations/${region}/operations/op-${this.builds.length + 1}`,
    };
    this.builds.push(build);
    sendJson(res, 200, operationOf(build));
  }

  private list(res: http.ServerResponse, project: string, region: string, filter: string): void {
    const tag = /^tags="([^"]+)"$/.exec(filter)?.[1];
    const builds = this.builds.filter((b) => b.project === project && b.region === region && (tag === undefined || b.tags.includes(tag))).reverse();
    sendJson(res, 200, builds.length > 0 ? { builds: builds.map(view) } : {});
  }

  private advance(build: FakeBuild): void {
    if (this.holdQueued) return;
    if (build.status === "QUEUED") build.status = "WORKING";
    else if (build.status === "WORKING") {
      build.status = build.outcome;
      if (build.outcome === "SUCCESS") {
        const source = build.request.source as { storageSource: { bucket: string; object: string } };
        const bytes = this.objects.get(`${source.storageSource.bucket}/${source.storageSource.object}`)!.bytes;
        build.results = { images: build.images.map((name) => ({ name, digest: FakeCloudBuild.digestOf(bytes, name) })) };
      } else build.statusDetail = `Build ${build.outcome.toLowerCase()}: step #0 - "docker build" exited 1`;
    }
  }
}

const DONE = ["SUCCESS", "FAILURE", "INTERNAL_ERROR", "TIMEOUT", "CANCELLED", "EXPIRED"];

function view(build: FakeBuild): Record<string, unknown> {
  const { id, status, statusDetail, logUrl, images, tags, results, request } = build;
  return { ...request, id, projectId: build.project, status, ...(statusDetail ? { statusDetail } : {}), logUrl, images, tags, ...(results ? { results } : {}) };
}

function operationOf(build: FakeBuild): Record<string, unknown> {
  const metadata = { "@type": "type.googleapis.com/google.devtools.cloudbuild.v1.BuildOperationMetadata", build: view(build) };
  if (!DONE.includes(build.status)) return { name: build.operation, metadata };
  if (build.status === "SUCCESS") return { name: build.operation, metadata, done: true, response: { "@type": "type.googleapis.com/google.devtools.cloudbuild.v1.Build", ...view(build) } };
  return { name: build.operation, metadata, done: true, error: { code: 2, message: `Build failed; check build logs for details` } };
}

function objectResource(bucket: string, name: string, stored: StoredObject): Record<string, unknown> {
  return { kind: "storage#object", bucket, name, generation: stored.generation, size: String(stored.bytes.length), md5Hash: createHash("md5").update(stored.bytes).digest("base64") };
}

function notFound(res: http.ServerResponse, what: string): void {
  sendJson(res, 404, { error: { code: 404, message: `not found: ${what}`, status: "NOT_FOUND" } });
}

