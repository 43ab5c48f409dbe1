/**
 * SDK parity: each pipeline in `samples/` is the DSL form of a pipeline the official KFP SDK
 * compiled into `shared/kfp/samples/<name>.yaml`; compiling it must give the same spec and the
 * same bytes (sdkVersion aside).
 */
import { describe, expect, it } from "vitest";
import { compile, compileToYaml } from "../../../pipelines/compiler";
import { param, pipeline } from "../../../pipelines/dsl";
import { hasSamples, parseFirstDocument, readSample, sampleNames, withoutSdkVersion } from "../helpers/samples";
import { SAMPLES } from "../samples";
import { addOne } from "../samples/pipeline_with_caching";
import { add } from "../samples/pipeline_with_retry";

// The SDK samples reference images by tag; parity needs them as they are.
const options = { allowUnpinnedImages: true };

describe.skipIf(!hasSamples())("SDK parity with shared/kfp/samples (skipped: ../shared/kfp/samples not found)", () => {
  describe.each(Object.keys(SAMPLES))("%s", (name) => {
    it("compiles to the same PipelineSpec object", () => {
      const { sdkVersion, ...expected } = parseFirstDocument(readSample(name)) as Record<string, unknown>;
      const { sdkVersion: ours, ...actual } = compile(SAMPLES[name], options);
      expect(actual).toEqual(expected);
      expect(sdkVersion).toMatch(/^kfp-/);
      expect(ours).toMatch(/^kfp-\d+\.\d+\.\d+$/);
    });

    it("writes the same YAML text, byte for byte", () => {
      expect(withoutSdkVersion(compileToYaml(SAMPLES[name], options))).toBe(withoutSdkVersion(readSample(name)));
    });
  });

  it("reproduces every sample except the three built on KFP-OSS-only features", () => {
    // nvidia_gpu_scheduling_check and local_execution_… use the Kubernetes-only `nvidia.com/gpu`
    // accelerator (and a platform document); pipeline_with_string_machine_fields_… sets resources
    // from pipeline inputs, which Vertex AI does not document. The DSL expresses none of these.
    const missing = sampleNames().filter((name) => !(name in SAMPLES));
    expect(missing).toEqual([
      "local_execution_pipeline_with_k8s_only_methods",
      "nvidia_gpu_scheduling_check",
      "pipeline_with_string_machine_fields_pipeline_input",
    ]);
  });
});

// Schedules compile their parameter values into a pipeline as defaults (infra/pipelines/config/parameters.ts):
// the result must be what the SDK compiles from a signature that declared those defaults.
describe.skipIf(!hasSamples())("defaults set with withDefaults, as the SDK compiles declared defaults", () => {
  it.each([
    ["pipeline_with_caching", () => pipeline({ name: "pipeline-with-caching", inputs: { x: param.integer() }, outputs: { Output: param.integer() } }, (dag, inputs) => ({ Output: dag.task(addOne, { x: inputs.x }).outputs.Output })), { x: 1 }],
    ["pipeline_with_retry", () => pipeline({ name: "test-pipeline", inputs: { a: param.double(), b: param.double() } }, (dag, inputs) => void dag.task(add, { a: inputs.a, b: inputs.b }, { retry: { maxRetries: 3 } })), { a: 1, b: 7 }],
  ] as const)("%s: required inputs given defaults give the SDK's bytes", (name, define, defaults) => {
    const required = define();
    expect(compileToYaml(required, options)).not.toBe(compileToYaml(SAMPLES[name], options));
    expect(withoutSdkVersion(compileToYaml(required.withDefaults(defaults), options))).toBe(withoutSdkVersion(readSample(name)));
  });

  it("replaces a declared default, in the spec and in the # Inputs: header, and nothing else", () => {
    const changed = SAMPLES.pipeline_with_loops.withDefaults({ loop_parameter: ["x", "y", "z"] });
    const expected = structuredClone(compile(SAMPLES.pipeline_with_loops, options));
    expected.root.inputDefinitions!.parameters!.loop_parameter.defaultValue = ["x", "y", "z"];
    expect(compile(changed, options)).toEqual(expected);
    expect(compileToYaml(changed, options)).toContain("# Inputs:\n#    loop_parameter: list [Default: ['x', 'y', 'z']]\n");
  });
});
