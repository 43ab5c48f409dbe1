/** Runs the test server in its own process: prints `url <url>`, then `served <ms>` per response. */
import { startServer } from "./server";

void startServer((ms) => process.stdout.write(`served ${ms}\n`)).then((s) => process.stdout.write(`url ${s.url}\n`));
