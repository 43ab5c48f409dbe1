import { createHash } from "node:crypto";
import * as http from "node:http";
import YAML from "yaml";
import { FakeGoogleServer, sendJson } from "../helpers/fake-google-server";

/**
 * A local fake of an Artifact Registry KFP repository, as the KFP SDK's RegistryClient sees it:
 *  - `POST /PROJECT/REPO` multipart (`content` file, comma-separated `tags`) answers
 *    `PACKAGE/sha256:DIGEST`, the package named after the spec's `pipelineInfo.name`, the version
 *    addressed by the SHA-256 of the bytes, tags moved onto it;
 *  - `GET /PROJECT/REPO/PACKAGE/(sha256:DIGEST|TAG)` downloads a version (what a templateUri names);
 *  - `GET|DELETE /v1/projects/P/locations/L/repositories/R/packages/PKG/versions/V` is the
 *    Artifact Registry API; deleting a tagged version needs `force=true`.
 * `failNext` answers the next K matching requests with an error; every request is logged.
 */

export interface KfpRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization?: string;
  /** Multipart fields other than the file. */
  readonly fields: Readonly<Record<string, string>>;
  readonly fileName?: string;
}

interface Package {
  readonly versions: Map<string, string>;
  readonly tags: Map<string, string>;
}

export class FakeKfpRegistry extends FakeGoogleServer {
  readonly requests: KfpRequest[] = [];
  /** `PROJECT/REPO/PACKAGE` → versions and tags. */
  readonly packages = new Map<string, Package>();


  static async start(): Promise<FakeKfpRegistry> {
    // No keep-alive timeout: a request on an idle connection the server just closed fails (see FakeVertex).
    return new FakeKfpRegistry(await FakeGoogleServer.listen({ keepAliveTimeout: 0 }));
  }


  protected async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const path = decodeURIComponent(url.pathname);
    const method = req.method ?? "GET";
    let fields: Record<string, string> = {};
    let file: File | undefined;
    if (method === "POST") {
      const form = await new Request(url, { method, headers: { "content-type": req.headers["content-type"] ?? "" }, body: Buffer.concat(chunks) }).formData();
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") fields = { ...fields, [key]: value };
        else file = value;
      }
    }
    this.requests.push({ method, path, authorization: req.headers.authorization, fields, fileName: file?.name });
    if (this.injectedFault(res, method, path)) return;
    const api = /^\/v1\/projects\/([^/]+)\/locations\/[^/]+\/repositories\/([^/]+)\/packages\/([^/]+)\/versions\/([^/]+)$/.exec(path);
    if (api) return this.versionApi(res, method, `${api[1]}/${api[2]}/${api[3]}`, api[4], url.searchParams.get("force") === "true");
    const segments = path.split("/").filter(Boolean);
    if (method === "POST" && segments.length === 2 && file) return this.upload(res, segments.join("/"), await file.text(), fields.tags ?? "");
    if (method === "GET" && segments.length === 4) return this.download(res, segments.slice(0, 3).join("/"), segments[3]);
    sendJson(res, 404, { error: { code: 404, message: `no route for ${method} ${path}`, status: "NOT_FOUND" } });
  }

  private upload(res: http.ServerResponse, repo: string, content: string, tags: string): void {
    const name = (YAML.parseAllDocuments(content)[0]?.toJS() as { pipelineInfo?: { name?: string } } | null)?.pipelineInfo?.name;
    if (!name) return sendJson(res, 400, { error: { code: 400, message: "pipelineInfo.name is missing", status: "INVALID_ARGUMENT" } });
    const version = `sha256:${createHash("sha256").update(content).digest("hex")}`;
    const key = `${repo}/${name}`;
    const pkg = this.packages.get(key) ?? { versions: new Map(), tags: new Map() };
    this.packages.set(key, pkg);
    pkg.versions.set(version, content);
    for (const tag of tags.split(",").filter(Boolean)) pkg.tags.set(tag, version);
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`${name}/${version}`);
  }

  private download(res: http.ServerResponse, key: string, ref: string): void {
    const pkg = this.packages.get(key);
    const content = pkg?.versions.get(pkg.tags.get(ref) ?? ref);
    if (content === undefined) return sendJson(res, 404, { error: { code: 404, message: `${key}/${ref} not found`, status: "NOT_FOUND" } });
    res.writeHead(200, { "content-type": "application/x-yaml" });
    res.end(content);
  }

  private versionApi(res: http.ServerResponse, method: string, key: string, version: string, force: boolean): void {
    const pkg = this.packages.get(key);
    if (!pkg?.versions.has(version)) return sendJson(res, 404, { error: { code: 404, message: `version ${version} not found`, status: "NOT_FOUND" } });
    if (method === "GET") return sendJson(res, 200, { name: `${key}/versions/${version}` });
    const tagged = [...pkg.tags].filter(([, v]) => v === version).map(([t]) => t);
    if (tagged.length > 0 && !force) return sendJson(res, 400, { error: { code: 400, message: `version is tagged ${tagged.join(", ")}`, status: "FAILED_PRECONDITION" } });
    pkg.versions.delete(version);
    for (const tag of tagged) pkg.tags.delete(tag);
    sendJson(res, 200, { name: `operations/delete-${version}`, done: true });
  }
}

