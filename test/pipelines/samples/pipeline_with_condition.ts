/** `pipeline_with_condition.yaml`: a condition on a task output; caching turned off. */
import { eq, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_condition";

const flipCoinOp = sdkComponent(SAMPLE, "flip_coin_op", {
  kfpVersion: "2.14.3",
  outputs: { Output: param.string() },
});

const printOp = sdkComponent(SAMPLE, "print_op", {
  kfpVersion: "2.14.3",
  inputs: { msg: param.string() },
});

export default pipeline({ name: "single-condition-pipeline", inputs: { text: param.string({ default: "condition test" }) } }, (dag, inputs) => {
  const flip1 = dag.task(flipCoinOp, {}, { caching: false });
  dag.task(printOp, { msg: flip1.outputs.Output });
  dag.if(eq(flip1.outputs.Output, "heads"), (branch) => {
    const flip2 = branch.task(flipCoinOp, {}, { caching: false });
    branch.task(printOp, { msg: flip2.outputs.Output });
    branch.task(printOp, { msg: inputs.text });
  });
});
