/** `pipeline_with_task_final_status.yaml`: the exit task receives the guarded tasks' final status. */
import { param, pipeline, taskFinalStatus } from "../../../pipelines/dsl";
import { lightweightPython } from "./lightweight";

const KFP = "2.1.3";

const exitOp = lightweightPython({
  functionName: "exit_op",
  kfpVersion: KFP,
  source:
    "def exit_op(user_input: str, status: PipelineTaskFinalStatus):\n    \"\"\"Checks pipeline run status.\"\"\"\n    print('Pipeline status: ', status.state)\n    print('Job resource name: ', status.pipeline_job_resource_name)\n    print('Pipeline task name: ', status.pipeline_task_name)\n    print('Error code: ', status.error_code)\n    print('Error message: ', status.error_message)\n\n",
  inputs: { user_input: param.string(), status: taskFinalStatus() },
});

const printOp = lightweightPython({
  functionName: "print_op",
  kfpVersion: KFP,
  source: 'def print_op(message: str):\n    """Prints a message."""\n    print(message)\n\n',
  inputs: { message: param.string() },
});

const failOp = lightweightPython({
  functionName: "fail_op",
  kfpVersion: KFP,
  source: 'def fail_op(message: str):\n    """Fails."""\n    import sys\n    print(message)\n    sys.exit(1)\n\n',
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
