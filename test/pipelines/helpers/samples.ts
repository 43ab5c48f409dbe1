import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as YAML from "yaml";
import { literalValue, parseExpression } from "../../../pipelines/dsl/python/expression";
import { sourceLines, tokenize } from "../../../pipelines/dsl/python/tokenize";
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

/**
 * The SDK prints a dict default in the `# Inputs:` header with its keys in the order protobuf's
 * map iterates a `Struct` (a hash order: `{'B_b': …, 'A_a': …}` in one sample, sorted in another);
 * this compiler sorts them. Where a header line of `expected` differs from `actual` only in that
 * order, the line of `actual` is taken; any other difference is left for the comparison to show.
 */
export function withHeaderKeyOrderOf(actual: string, expected: string): string {
  const ours = actual.split("\n");
  return expected
    .split("\n")
    .map((line, index) => (line !== ours[index] && line.startsWith("#    ") && sameDefault(line, ours[index] ?? "") ? ours[index] : line))
    .join("\n");
}

function sameDefault(left: string, right: string): boolean {
  const value = (line: string) => {
    const match = /^(#    \S+: \S+) \[Default: (.*)\]$/.exec(line);
    if (!match) return undefined;
    const parsed = literalValue(parseExpression(tokenize(sourceLines(match[2])).filter((token) => token.type !== "NEWLINE" && token.type !== "NL")));
    return "value" in parsed ? [match[1], parsed.value] : undefined;
  };
  const [a, b] = [value(left), value(right)];
  return a !== undefined && b !== undefined && JSON.stringify(a[0]) === JSON.stringify(b[0]) && isDeepStrictEqual(a[1], b[1]);
}
