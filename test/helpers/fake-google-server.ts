import * as http from "node:http";
import { AddressInfo } from "node:net";

/** One HTTP answer of a Google API fake: JSON with its status. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

type Fault = { match: RegExp; remaining: number; httpStatus: number; status: string };

/**
 * What the Google API fakes of the pipelines' providers share (FakeCloudBuild, FakeKfpRegistry):
 * a local HTTP server, its URL, injected failures in Google's error shape
 * (https://cloud.google.com/apis/design/errors#http_mapping), and closing every connection.
 * A fake routes its own requests in `handle`, after `injectedFault` had its say.
 */
export abstract class FakeGoogleServer {
  private readonly faults: Fault[] = [];

  protected constructor(private readonly server: http.Server) {
    server.on("request", (req, res) => void this.handle(req, res));
  }

  /** A server listening on a free local port, for a subclass's `start`. */
  protected static async listen(options: http.ServerOptions = {}): Promise<http.Server> {
    const server = http.createServer(options);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next `count` requests whose `METHOD path` matches fail with `httpStatus` and Google's `status`. */
  failNext(match: RegExp, count: number, httpStatus: number, status: string): void {
    this.faults.push({ match, remaining: count, httpStatus, status });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

  /** Answers with an injected failure if one matches `METHOD path`; true when it did. */
  protected injectedFault(res: http.ServerResponse, method: string, path: string): boolean {
    const fault = this.faults.find((f) => f.remaining > 0 && f.match.test(`${method} ${path}`));
    if (!fault) return false;
    fault.remaining--;
    sendJson(res, fault.httpStatus, { error: { code: fault.httpStatus, message: `injected ${fault.status}`, status: fault.status } });
    return true;
  }
}
