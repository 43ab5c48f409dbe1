import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { SAMPLES_DIR } from "./proto";

export function hasSamples(): boolean {
  return fs.existsSync(SAMPLES_DIR);
}

/** The SDK-compiled text of a sample, e.g. `readSample("hello_world")`. */
export function readSample(name: string): string {
  return fs.readFileSync(path.join(SAMPLES_DIR, `${name}.yaml`), "utf8");
}

export function sampleNames(): string[] {
  return fs
    .readdirSync(SAMPLES_DIR)
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => file.replace(/\.yaml$/, ""))
    .sort();
}

/** The first YAML document of a sample (the PipelineSpec; a second one is the Kubernetes platform spec). */
export function parseFirstDocument(text: string): unknown {
  return YAML.parseAllDocuments(text)[0].toJS();
}

/** The `sdkVersion` line differs between SDK releases and says nothing about the spec. */
export function withoutSdkVersion(text: string): string {
  return text.replace(/^sdkVersion: .*$/m, "sdkVersion: <ignored>");
}
