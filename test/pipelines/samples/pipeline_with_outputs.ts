/** `pipeline_with_outputs.yaml`: a pipeline run as a task of another, returning its outputs. */
import { artifact, component, param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_outputs";

const printOp1 = sdkComponent(SAMPLE, "print_op1", {
  kfpVersion: "2.14.6",
  inputs: { msg: param.string() },
  outputs: { Output: param.string() },
});

const printOp2 = component({
  name: "print_op2",
  image: "alpine",
  inputs: { msg: param.string() },
  outputs: { data: artifact("system.Artifact") },
  command: ["sh", "-c", 'mkdir --parents $(dirname "$1") && echo "$0" > "$1"'],
  args: ({ inputs, outputs }) => [inputs.msg, outputs.data.path],
});

const innerPipeline = pipeline(
  { name: "inner-pipeline", inputs: { msg: param.string() }, outputs: { msg: param.string(), data: artifact("system.Artifact") } },
  (dag, inputs) => {
    const first = dag.task(printOp1, { msg: inputs.msg });
    const second = dag.task(printOp2, { msg: first.outputs.Output });
    return { msg: first.outputs.Output, data: second.outputs.data };
  },
);

export default pipeline(
  { name: "pipeline-in-pipeline", inputs: { msg: param.string({ default: "Hello" }) }, outputs: { Output: artifact("system.Artifact") } },
  (dag, inputs) => {
    dag.task(printOp1, { msg: inputs.msg });
    return { Output: dag.task(innerPipeline, { msg: "world" }).outputs.data };
  },
);
