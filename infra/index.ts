/**
 * The Pulumi program of every stack (`pulumi up`), and the one `llmops plan` renders offline.
 * Configuration is validated in full before any resource is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { createStack } from "./llmops";

const settings = loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());

export = createStack(settings);
