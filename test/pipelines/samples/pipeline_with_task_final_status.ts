/** `pipeline_with_task_final_status.yaml`: the exit task receives the guarded tasks' final status. */
import { param, pipeline, taskFinalStatus } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_task_final_status";

const KFP = "2.1.3";

const exitOp = sdkComponent(SAMPLE, "exit_op", {
  kfpVersion: KFP,
  inputs: { user_input: param.string(), status: taskFinalStatus() },
});

const printOp = sdkComponent(SAMPLE, "print_op", {
  kfpVersion: KFP,
  inputs: { message: param.string() },
});

const failOp = sdkComponent(SAMPLE, "fail_op", {
  kfpVersion: KFP,
  inputs: { message: param.string() },
});

export default pipeline({ name: "pipeline-with-task-final-status", inputs: { message: param.string({ default: "Hello World!" }) } }, (dag, inputs) => {
  const exitTask = dag.task(exitOp, { user_input: inputs.message });
  dag.exitHandler(
    exitTask,
    (guarded) => {
      guarded.task(printOp, { message: inputs.message });
      guarded.task(failOp, { message: "Task failed." });
    },
    { displayName: "my-pipeline" },
  );
});
