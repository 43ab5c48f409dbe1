/**
 * A process that renders components for one client (a test file), one request at a time: the
 * Pulumi runtime is process-global, so renders never overlap, but one process serves many, and
 * loading the SDK and the providers is paid once. It exits when its client goes.
 */
import type { ComponentRequest } from "./component";
import { type ComponentReply, answerComponent } from "./render-request";

export type ComponentWorkerRequest = { id: number; request: ComponentRequest };
export type ComponentWorkerReply = { id: number; reply: ComponentReply };

let queue: Promise<void> = Promise.resolve();

process.on("message", (message: ComponentWorkerRequest) => {
  queue = queue.then(async () => {
    const reply = await answerComponent(message.request);
    process.send!({ id: message.id, reply } satisfies ComponentWorkerReply);
  });
});
process.on("disconnect", () => process.exit(0));
