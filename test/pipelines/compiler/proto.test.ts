/**
 * Every compiled spec is a valid `ml_pipelines.PipelineSpec`: no field the proto does not define,
 * every value of the right kind, `deploymentSpec` a valid `PipelineDeploymentConfig`.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../../pipelines/compiler";
import { PIPELINES } from "../../../pipelines/llmops";
import { hasProto, loadSpecTypes, specViolations } from "../helpers/proto";
import { SAMPLES } from "../samples";

describe.skipIf(!hasProto())("compiled specs against pipeline_spec.proto (skipped: ../shared/kfp/proto not found)", () => {
  const types = hasProto() ? loadSpecTypes() : undefined;
  const check = (spec: unknown) => specViolations(types as NonNullable<typeof types>, spec);

  it.each(Object.keys(PIPELINES))("mission pipeline %s has no unknown or ill-typed fields", (name) => {
    expect(check(compile(PIPELINES[name], { allowUnpinnedImages: true }))).toEqual([]);
  });

  it.each(Object.keys(SAMPLES))("sample %s has no unknown or ill-typed fields", (name) => {
    expect(check(compile(SAMPLES[name], { allowUnpinnedImages: true }))).toEqual([]);
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
