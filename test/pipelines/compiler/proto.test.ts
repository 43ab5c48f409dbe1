/**
 * Every compiled spec is a valid `ml_pipelines.PipelineSpec`: no field the proto does not define,
 * every value of the right kind, `deploymentSpec` a valid `PipelineDeploymentConfig`. And every
 * compiled file is valid YAML: it parses (strictly, as one document) back to exactly the spec, its
 * header is comments only, and what it parses to loads strictly in the proto. Byte-parity with the
 * SDK never excuses an invalid file: the SDK writes a multi-line default's later lines outside the
 * header comment; this compiler comments every line.
 */
import { describe, expect, it } from "vitest";
import * as YAML from "yaml";
import { compile, compileToYaml, type CompileOptions } from "../../../pipelines/compiler";
import { param, pipeline, type Pipeline } from "../../../pipelines/dsl";
import { PIPELINES } from "../../../pipelines/llmops";
import { PINNED, producer } from "../helpers/dsl";
import { hasProto, loadSpecTypes, specViolations } from "../helpers/proto";
import { NEXT_SAMPLES, SAMPLES } from "../samples";

/** Every pipeline the project compiles: the mission pipelines and the SDK-parity samples. */
const ALL: readonly (readonly [string, Pipeline, CompileOptions])[] = [
  ...Object.entries(PIPELINES).map(([name, p]) => [`mission pipeline ${name}`, p, { allowUnpinnedImages: true }] as const),
  ...Object.entries({ ...SAMPLES, ...NEXT_SAMPLES }).map(([name, p]) => [`sample ${name}`, p, { allowUnpinnedImages: true }] as const),
];

/** Characters PyYAML (which Vertex AI loads templates with) refuses anywhere in a stream. */
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The file's one document, parsed strictly: any YAML error or warning, or a character PyYAML refuses, fails. */
function parseStrictly(text: string): unknown {
  expect(NON_PRINTABLE.exec(text)).toBeNull();
  const documents = YAML.parseAllDocuments(text, { strict: true, uniqueKeys: true, prettyErrors: true });
  expect(Array.isArray(documents) ? documents.length : 0).toBe(1);
  const [document] = documents as YAML.Document.Parsed[];
  expect([...document.errors, ...document.warnings].map((problem) => problem.message)).toEqual([]);
  return document.toJS();
}

function headerOf(text: string): string[] {
  return text.slice(0, text.indexOf("\ncomponents:") >= 0 ? text.indexOf("\ncomponents:") : text.indexOf("\ndeploymentSpec:")).split("\n");
}

describe.skipIf(!hasProto())("compiled specs against pipeline_spec.proto (skipped: ../shared/kfp/proto not found)", () => {
  const types = hasProto() ? loadSpecTypes() : undefined;
  const check = (spec: unknown) => specViolations(types as NonNullable<typeof types>, spec);

  it.each(ALL)("%s: the YAML file parses as one document to exactly the spec, with a comment-only header, and loads strictly", (_, p, options) => {
    const text = compileToYaml(p, options);
    const parsed = parseStrictly(text);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(compile(p, options))));
    for (const line of headerOf(text)) expect(line.startsWith("#"), line).toBe(true);
    expect(check(parsed)).toEqual([]);
  });

  it("keeps defaults with line breaks and control characters inside the header comment", () => {
    const tricky = pipeline(
      {
        name: "tricky",
        description: "first\nsecond\r\nthird",
        inputs: {
          prompt: param.string({ default: "Line one\nReview: {text}\r\n\u2028end" }),
          ctrl: param.string({ default: "bell\u0007tab\tnul\u0000" }),
          nested: param.list({ default: ["a\nb", { k: "v\nw" }] }),
        },
      },
      (dag) => void dag.task(producer),
    );
    const text = compileToYaml(tricky);
    expect(parseStrictly(text)).toEqual(JSON.parse(JSON.stringify(compile(tricky))));
    for (const line of headerOf(text)) expect(line.startsWith("#"), line).toBe(true);
    expect(headerOf(text)).toContain("#    ctrl: str [Default: 'bell\\x07tab\tnul\\x00']");
    expect(text).toContain(`image: ${PINNED}`);
  });

  it("reports unknown fields, bad enum values, wrong scalar kinds and doubly-set oneofs", () => {
    const spec = compile(PIPELINES["data-preparation"], { allowUnpinnedImages: true }) as unknown as Record<string, unknown>;
    const broken = JSON.parse(JSON.stringify(spec));
    broken.pipelineInfo.owner = "me";
    broken.root.dag.tasks["split-dataset"].triggerPolicy = { strategy: "SOMETIMES" };
    broken.root.dag.tasks["split-dataset"].retryPolicy = { maxRetryCount: "3", backoffDuration: "1m" };
    broken.deploymentSpec.executors["exec-split-dataset"].importer = { artifactUri: { constant: "gs://x" } };
    broken.deploymentSpec.executors["exec-split-dataset"].container.resources.accelerator = { count: 1.5 };
    expect(check(broken)).toEqual([
      "$.pipelineInfo.owner: unknown field of .ml_pipelines.PipelineInfo",
      '$.root.dag.tasks.split-dataset.triggerPolicy.strategy: "SOMETIMES" is not a TriggerStrategy value',
      '$.root.dag.tasks.split-dataset.retryPolicy.maxRetryCount: "3" is not a valid int32',
      '$.root.dag.tasks.split-dataset.retryPolicy.backoffDuration: expected a duration such as "3600s"',
      "$.deploymentSpec.executors.exec-split-dataset.container.resources.accelerator.count: 1.5 is not a valid int64",
      "$.deploymentSpec.executors.exec-split-dataset: oneof spec has container and importer",
    ]);
  });
});
