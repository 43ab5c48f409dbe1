/** `pipeline_with_condition.yaml`: a condition on a task output; caching turned off. */
import { eq, param, pipeline } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

const flipCoinOp = lightweightPython({
  functionName: "flip_coin_op",
  kfpVersion: "2.14.3",
  source:
    "def flip_coin_op() -> str:\n    \"\"\"Flip a coin and output heads or tails randomly.\"\"\"\n    import random\n    result = 'heads' if random.randint(0, 1) == 0 else 'tails'\n    return result\n\n",
  outputs: { Output: param.string() },
});

const printOp = lightweightPython({
  functionName: "print_op",
  kfpVersion: "2.14.3",
  source: 'def print_op(msg: str):\n    """Print a message."""\n    print(msg)\n\n',
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
