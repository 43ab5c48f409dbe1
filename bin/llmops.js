#!/usr/bin/env node
// The CLI is TypeScript, loaded through tsx so that `npx llmops` needs no build step.
require("tsx/cjs");
require("../cli/main.ts");
