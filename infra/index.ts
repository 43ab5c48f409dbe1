/**
 * The Pulumi program of every stack (`pulumi up`), and the one `llmops plan` renders offline.
 * Configuration is validated in full before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./settings";
import { programSecrets } from "./settings/program-secrets";
import { createStack } from "./llmops";

// Where the secure values are: credentials must be secure, other keys plain, and no secret is
// ever quoted in a config error.
const config = pulumi.runtime.allConfig();
const settings = loadStackConfig(config, pulumi.getStack(), programSecrets(config, pulumi.getStack()));

export = createStack(settings);
