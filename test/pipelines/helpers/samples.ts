import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { NEXT_SAMPLES_DIR, SAMPLES_DIR } from "./proto";

export function hasSamples(): boolean {
  return fs.existsSync(SAMPLES_DIR);
}

/** The SDK-compiled text of a sample of `samples/` or `samples-next/`, e.g. `readSample("hello_world")`. */
export function readSample(name: string): string {
  const file = [SAMPLES_DIR, NEXT_SAMPLES_DIR].map((dir) => path.join(dir, `${name}.yaml`)).find((candidate) => fs.existsSync(candidate));
  return fs.readFileSync(file ?? path.join(SAMPLES_DIR, `${name}.yaml`), "utf8");
}

/** The samples of `samples/` (default) or `samples-next/`. */
export function sampleNames(dir: string = SAMPLES_DIR): string[] {
  return fs
    .readdirSync(dir)
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
