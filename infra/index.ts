/**
 * The Pulumi program of every stack (`pulumi up`), and the one `llmops plan` renders offline.
 * Configuration is validated in full before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./settings";
import { createStack } from "./llmops";

// Pulumi names the keys holding secrets here; their values are never quoted in config errors.
const secretKeys: string[] = JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "[]");
const settings = loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack(), secretKeys);

export = createStack(settings);
