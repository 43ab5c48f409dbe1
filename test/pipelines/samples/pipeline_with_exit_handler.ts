/** `pipeline_with_exit_handler.yaml`: an exit task that runs whatever the guarded tasks do. */
import { param, pipeline } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

const printOp = lightweightPython({
  functionName: "print_op",
  kfpVersion: "2.14.3",
  source: 'def print_op(message: str):\n    """Prints a message."""\n    print(message)\n\n',
  inputs: { message: param.string() },
});

const failOp = lightweightPython({
  functionName: "fail_op",
  kfpVersion: "2.14.3",
  source: 'def fail_op(message: str):\n    """Fails."""\n    import sys\n    print(message)\n    sys.exit(1)\n\n',
  inputs: { message: param.string() },
});

export default pipeline({ name: "pipeline-with-exit-handler", inputs: { message: param.string({ default: "Hello World!" }) } }, (dag, inputs) => {
  const exitTask = dag.task(printOp, { message: "Exit handler has worked!" });
  dag.exitHandler(exitTask, (guarded) => {
    guarded.task(printOp, { message: inputs.message });
    guarded.task(failOp, { message: "Task failed." });
  });
});
