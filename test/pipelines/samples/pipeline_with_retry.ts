/** `pipeline_with_retry.yaml`: a retry policy with the SDK's default backoff. */
import { param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_retry";

export const add = sdkComponent(SAMPLE, "add", {
  kfpVersion: "2.14.3",
  inputs: { a: param.double(), b: param.double() },
  outputs: { Output: param.double() },
});

export default pipeline({ name: "test-pipeline", inputs: { a: param.double({ default: 1 }), b: param.double({ default: 7 }) } }, (dag, inputs) => {
  dag.task(add, { a: inputs.a, b: inputs.b }, { retry: { maxRetries: 3 } });
});
