/** `pipeline_with_loops.yaml`: loops over a pipeline input, a task output and a static list of objects. */
import { param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_loops";

const KFP = "2.15.2";

const argsGeneratorOp = sdkComponent(SAMPLE, "args_generator_op", {
  kfpVersion: KFP,
  outputs: { Output: param.list({ items: "STRUCT" }) },
});

const printText = sdkComponent(SAMPLE, "print_text", {
  kfpVersion: KFP,
  inputs: { msg: param.string() },
});

const printStruct = sdkComponent(SAMPLE, "print_struct", {
  kfpVersion: KFP,
  inputs: { struct: param.struct() },
});

export default pipeline({ name: "pipeline-with-loops", inputs: { loop_parameter: param.list({ default: ["a", "b"] }) } }, (dag, inputs) => {
  const argsGenerator = dag.task(argsGeneratorOp);
  dag.parallelFor(inputs.loop_parameter, (loop, item) => {
    loop.task(printText, { msg: item });
  });
  dag.parallelFor(argsGenerator.outputs.Output, (loop, item) => {
    loop.task(printStruct, { struct: item });
    loop.task(printText, { msg: item.field("A_a") });
    loop.task(printText, { msg: item.field("B_b") });
  });
  dag.parallelFor(
    [
      { A_a: "1", B_b: "2" },
      { A_a: "10", B_b: "20" },
    ],
    (loop, item) => {
      loop.task(printStruct, { struct: item });
      loop.task(printText, { msg: item.field("A_a") });
      loop.task(printText, { msg: item.field("B_b") });
    },
  );
});
