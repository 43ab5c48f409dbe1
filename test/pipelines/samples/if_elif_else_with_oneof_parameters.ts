/** `if_elif_else_with_oneof_parameters.yaml`: an if/elif/else chain whose branches feed one oneOf output. */
import { eq, oneOf, param, pipeline } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

const KFP = "2.14.3";

const flipThreeSidedDie = lightweightPython({
  functionName: "flip_three_sided_die",
  kfpVersion: KFP,
  source:
    "def flip_three_sided_die() -> str:\n    import random\n    val = random.randint(0, 2)\n\n    if val == 0:\n        return 'heads'\n    elif val == 1:\n        return 'tails'\n    else:\n        return 'draw'\n\n",
  outputs: { Output: param.string() },
});

const printAndReturn = lightweightPython({
  functionName: "print_and_return",
  kfpVersion: KFP,
  source: "def print_and_return(text: str) -> str:\n    print(text)\n    return text\n\n",
  inputs: { text: param.string() },
  outputs: { Output: param.string() },
});

const specialPrintAndReturn = lightweightPython({
  functionName: "special_print_and_return",
  kfpVersion: KFP,
  source:
    "def special_print_and_return(text: str, output_key: dsl.OutputPath(str)):\n    print('Got the special state:', text)\n    with open(output_key, 'w') as f:\n        f.write(text)\n\n",
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
