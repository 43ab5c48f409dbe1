import * as http from "node:http";
import * as https from "node:https";

/**
 * The wire protocols a load test speaks. `openai`: vLLM's OpenAI-compatible server, streaming
 * (SSE) on /v1/completions or /v1/chat/completions. `vertex-predict`: Vertex AI `:predict`
 * (`{ instances: [...] }`, no streaming). `vertex-raw`/`vertex-stream`: `:rawPredict` and
 * `:streamRawPredict`, which pass the OpenAI body through to the container
 * (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.endpoints).
 */
export type Protocol = "openai" | "vertex-predict" | "vertex-raw" | "vertex-stream";

export interface Timing {
  /** ms (performance.now) when the response's first token arrived; undefined if none. */
  readonly firstToken?: number;
  readonly end: number;
  /** Gaps between successive tokens, ms. */
  readonly itl: readonly number[];
  readonly outputTokens: number;
  /** undefined when it succeeded; else `http_429`, `http_5xx`, `timeout`, `connection`, `protocol`… */
  readonly error?: string;
}

export interface Target {
  readonly url: URL;
  readonly protocol: Protocol;
  readonly model?: string;
  readonly maxTokens: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: Infinity }), https: new https.Agent({ keepAlive: true, maxSockets: Infinity }) };

function body(target: Target, prompt: string): string {
  const chat = target.url.pathname.endsWith("/chat/completions");
  const stream = target.protocol === "openai" || target.protocol === "vertex-stream";
  if (target.protocol === "vertex-predict") return JSON.stringify({ instances: [{ prompt, max_tokens: target.maxTokens }] });
  const common = { ...(target.model ? { model: target.model } : {}), max_tokens: target.maxTokens, stream, ...(stream ? { stream_options: { include_usage: true } } : {}) };
  return JSON.stringify(chat ? { ...common, messages: [{ role: "user", content: prompt }] } : { ...common, prompt });
}

/** Text of one OpenAI streaming chunk (completions or chat), and its usage when it carries one. */
function chunkText(data: string): { text: string; completionTokens?: number } {
  const j = JSON.parse(data) as { choices?: { text?: string; delta?: { content?: string } }[]; usage?: { completion_tokens?: number } | null };
  const text = (j.choices ?? []).map((c) => c.text ?? c.delta?.content ?? "").join("");
  return { text, completionTokens: j.usage?.completion_tokens };
}

/**
 * Sends one request and times it. Streaming responses count a token per non-empty SSE chunk
 * (vLLM sends one per generated token) unless the final usage chunk says otherwise.
 */
export function send(target: Target, prompt: string): Promise<Timing> {
  const payload = body(target, prompt);
  const streaming = target.protocol === "openai" || target.protocol === "vertex-stream";
  return new Promise((resolve) => {
    const lib = target.url.protocol === "https:" ? https : http;
    let first: number | undefined;
    let last: number | undefined;
    const itl: number[] = [];
    let chunks = 0;
    let usage: number | undefined;
    let done = false;
    const finish = (error?: string, tokens?: number) => {
      if (done) return;
      done = true;
      resolve({ firstToken: first, end: performance.now(), itl, outputTokens: tokens ?? usage ?? chunks, error });
    };
    const req = lib.request(
      target.url,
      { method: "POST", agent: target.url.protocol === "https:" ? agents.https : agents.http, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), ...target.headers }, timeout: target.timeoutMs },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 400) {
          res.resume();
          res.on("end", () => finish(status === 429 ? "http_429" : status >= 500 ? "http_5xx" : `http_${status}`));
          return;
        }
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (text: string) => {
          if (!streaming) {
            buffer += text;
            return;
          }
          buffer += text;
          let at: number;
          while ((at = buffer.indexOf("\n\n")) >= 0) {
            const event = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            for (const line of event.split("\n")) {
              if (!line.startsWith("data:")) continue;
              const data = line.slice(5).trim();
              if (data === "[DONE]") continue;
              try {
                const c = chunkText(data);
                if (c.completionTokens !== undefined) usage = c.completionTokens;
                if (!c.text) continue;
              } catch {
                return finish("protocol");
              }
              const now = performance.now();
              if (first === undefined) first = now;
              else itl.push(now - last!);
              last = now;
              chunks++;
            }
          }
        });
        res.on("end", () => {
          if (streaming) return finish(first === undefined ? "empty" : undefined);
          first = performance.now();
          try {
            const j = JSON.parse(buffer) as { usage?: { completion_tokens?: number }; predictions?: unknown[] };
            finish(undefined, j.usage?.completion_tokens ?? 0);
          } catch {
            finish("protocol");
          }
        });
        res.on("error", () => finish("connection"));
      },
    );
    req.on("timeout", () => {
      req.destroy();
      finish("timeout");
    });
    req.on("error", () => finish("connection"));
    req.end(payload);
  });
}
