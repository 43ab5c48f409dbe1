/** `pipeline_with_exit_handler.yaml`: an exit task that runs whatever the guarded tasks do. */
import { param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_exit_handler";

const printOp = sdkComponent(SAMPLE, "print_op", {
  kfpVersion: "2.14.3",
  inputs: { message: param.string() },
});

const failOp = sdkComponent(SAMPLE, "fail_op", {
  kfpVersion: "2.14.3",
  inputs: { message: param.string() },
});

export default pipeline({ name: "pipeline-with-exit-handler", inputs: { message: param.string({ default: "Hello World!" }) } }, (dag, inputs) => {
  const exitTask = dag.task(printOp, { message: "Exit handler has worked!" });
  dag.exitHandler(exitTask, (guarded) => {
    guarded.task(printOp, { message: inputs.message });
    guarded.task(failOp, { message: "Task failed." });
  });
});
