import { run } from "./program";

// Exit explicitly only on failure: on success the event loop drains, so no output is cut short.
run(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exit(code);
});
