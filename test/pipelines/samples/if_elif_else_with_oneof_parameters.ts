/** `if_elif_else_with_oneof_parameters.yaml`: an if/elif/else chain whose branches feed one oneOf output. */
import { eq, oneOf, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "if_elif_else_with_oneof_parameters";

const KFP = "2.14.3";

const flipThreeSidedDie = sdkComponent(SAMPLE, "flip_three_sided_die", {
  kfpVersion: KFP,
  outputs: { Output: param.string() },
});

const printAndReturn = sdkComponent(SAMPLE, "print_and_return", {
  kfpVersion: KFP,
  inputs: { text: param.string() },
  outputs: { Output: param.string() },
});

const specialPrintAndReturn = sdkComponent(SAMPLE, "special_print_and_return", {
  kfpVersion: KFP,
  inputs: { text: param.string() },
  outputs: { output_key: param.string() },
});

const rollDiePipeline = pipeline({ name: "roll-die-pipeline", outputs: { Output: param.string() } }, (dag) => {
  const flip = dag.task(flipThreeSidedDie);
  const [heads, tails, draw] = dag
    .if(eq(flip.outputs.Output, "heads"), (branch) => branch.task(printAndReturn, { text: "Got heads!" }).outputs.Output)
    .elif(eq(flip.outputs.Output, "tails"), (branch) => branch.task(printAndReturn, { text: "Got tails!" }).outputs.Output)
    .else((branch) => branch.task(specialPrintAndReturn, { text: "Draw!" }).outputs.output_key).results;
  return { Output: oneOf(heads, tails, draw) };
});

export default pipeline({ name: "outer-pipeline", outputs: { Output: param.string() } }, (dag) => {
  const rolled = dag.task(rollDiePipeline);
  return { Output: dag.task(printAndReturn, { text: rolled.outputs.Output }).outputs.Output };
});
