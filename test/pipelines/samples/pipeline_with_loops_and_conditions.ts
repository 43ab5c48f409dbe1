/**
 * `pipeline_with_loops_and_conditions.yaml` (samples-next): loops and conditions nested in each
 * other, loop items read from grandchild groups, conditions on item fields, and loops over a field
 * of another loop's item (`dsl.ParallelFor(item.B_b)`).
 */
import { eq, ne, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_loops_and_conditions";
const KFP = "2.14.3";

const argsGeneratorOp = sdkComponent(SAMPLE, "args_generator_op", { kfpVersion: KFP, outputs: { Output: param.list() } });
const printText = sdkComponent(SAMPLE, "print_text", { kfpVersion: KFP, inputs: { msg: param.string(), msg2: param.string({ optional: true }) } });
const printStruct = sdkComponent(SAMPLE, "print_struct", { kfpVersion: KFP, inputs: { struct: param.struct() } });
const flipCoinOp = sdkComponent(SAMPLE, "flip_coin_op", { kfpVersion: KFP, outputs: { Output: param.string() } });

export default pipeline(
  {
    name: "pipeline-with-loops-and-conditions-multi-layers",
    inputs: {
      msg: param.string({ default: "hello" }),
      loop_parameter: param.list({
        default: [
          { A_a: "heads", B_b: ["A", "B"] },
          { A_a: "tails", B_b: ["X", "Y", "Z"] },
        ],
      }),
    },
  },
  (dag, inputs) => {
    const flip = dag.task(flipCoinOp);
    const outerArgsGenerator = dag.task(argsGeneratorOp);
    dag.if(ne(flip.outputs.Output, "no-such-result"), (always) => {
      const innerArgGenerator = always.task(argsGeneratorOp);
      always.parallelFor(outerArgsGenerator.outputs.Output, (loop, item) => {
        loop.task(printText, { msg: inputs.msg });
        loop.if(eq(item.field("A_a"), "heads"), (heads) => void heads.task(printText, { msg: item.field("B_b") }));
        loop.if(eq(flip.outputs.Output, "heads"), (heads) => void heads.task(printText, { msg: item.field("B_b") }));
        loop.if(eq(item.field("A_a"), "tails"), (tails) => {
          tails.parallelFor([{ a: "-1" }, { a: "-2" }], (inner, innerItem) => void inner.task(printStruct, { struct: innerItem }));
        });
        loop.parallelFor(item.field("B_b"), (inner, itemB) => void inner.task(printText, { msg: itemB }));
        loop.parallelFor(inputs.loop_parameter, (inner, pipelineItem) => {
          inner.task(printText, { msg: pipelineItem });
          inner.parallelFor(innerArgGenerator.outputs.Output, (innermost, innerItem) => {
            innermost.task(printText, { msg: pipelineItem, msg2: innerItem.field("A_a") });
          });
        });
        loop.parallelFor(["1", "2"], (inner, staticItem) => {
          inner.task(printText, { msg: staticItem });
          inner.if(eq(staticItem, "1"), (one) => void one.task(printText, { msg: "1" }));
        });
      });
    });
    // A loop item read from a grandchild group.
    dag.parallelFor(inputs.loop_parameter, (loop, item) => {
      loop.if(eq(item.field("A_a"), "heads"), (heads) => {
        heads.parallelFor(item.field("B_b"), (inner, itemB) => void inner.task(printText, { msg: itemB }));
      });
    });
  },
);
