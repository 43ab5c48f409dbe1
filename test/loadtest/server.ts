import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local OpenAI-compatible completions server with a known latency: a prompt containing
 * `sleep N` is answered over N ms, half before the first token, then 5 tokens spaced evenly
 * (SSE, as vLLM streams). It records how long each response actually took from the request's
 * arrival (timers run late on a busy machine, so the intended N is not the truth), which is what
 * a load test's percentiles are checked against.
 */
export async function startServer(onServed?: (ms: number) => void): Promise<{ url: string; served: number[]; close: () => Promise<void> }> {
  const served: number[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const prompt = (JSON.parse(body) as { prompt?: string }).prompt ?? "";
      const delay = Number(/sleep (\d+)/.exec(prompt)?.[1] ?? 0);
      res.writeHead(200, { "content-type": "text/event-stream" });
      const start = performance.now();
      const at = (share: number) => Math.max(0, start + delay * share - performance.now());
      const chunk = (text: string) => res.write(`data: ${JSON.stringify({ choices: [{ index: 0, text }] })}\n\n`);
      let i = 0;
      const next = () => {
        chunk(`t${i} `);
        i++;
        if (i < 6) setTimeout(next, at(0.5 + (0.5 * i) / 5));
        else {
          res.write("data: [DONE]\n\n");
          res.end();
          served.push(performance.now() - start);
          onServed?.(performance.now() - start);
        }
      };
      setTimeout(next, at(0.5));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1/completions`, served, close: () => new Promise((r) => server.close(() => r())) };
}
