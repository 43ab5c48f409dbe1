#!/usr/bin/env node
// The CLI is TypeScript, loaded through ./register (transpiled once, cached) so that `npx llmops` needs no build step.
require("./register");
require("../cli/main.ts");
