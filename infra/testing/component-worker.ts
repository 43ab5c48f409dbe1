/**
 * A process that renders components for one client (a test file), one request at a time: the
 * Pulumi runtime is process-global, so renders never overlap, but one process serves many, and
 * loading the SDK and the providers is paid once. It exits when its client goes.
 */
import type { ComponentRequest, ComponentResult } from "./component";

export type ComponentWorkerRequest = { id: number; request: ComponentRequest };
export type ComponentWorkerReply = { id: number; reply: ComponentResult | { ok: false; crash: string } };

let queue: Promise<void> = Promise.resolve();

process.on("message", (message: ComponentWorkerRequest) => {
  queue = queue.then(async () => {
    let reply: ComponentWorkerReply["reply"];
    try {
      const { renderComponentInProcess } = require("./component") as typeof import("./component");
      reply = await renderComponentInProcess(message.request);
    } catch (err) {
      reply = { ok: false, crash: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    process.send!({ id: message.id, reply } satisfies ComponentWorkerReply);
  });
});
process.on("disconnect", () => process.exit(0));
