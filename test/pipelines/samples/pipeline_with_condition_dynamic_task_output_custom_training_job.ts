/**
 * `pipeline_with_condition_dynamic_task_output_custom_training_job.yaml`: the GCPC custom training
 * job, with task outputs embedded in its `worker_pool_specs` constant and passed into a condition.
 */
import { eq, param, pipeline } from "../../../pipelines/dsl";
import { customTrainingJob } from "../../../pipelines/llmops/components/custom-training-job";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_condition_dynamic_task_output_custom_training_job";

const KFP = "2.14.3";
const constant = (functionName: string, returns: "str" | "int") =>
  sdkComponent(SAMPLE, functionName, { kfpVersion: KFP, outputs: { Output: returns === "str" ? param.string() : param.integer() } });

const flipBiasedCoinOp = sdkComponent(SAMPLE, "flip_biased_coin_op", {
  kfpVersion: KFP,
  outputs: { Output: param.string() },
});

const customTraining = customTrainingJob("gcr.io/ml-pipeline/google-cloud-pipeline-components:2.22.0");

export default pipeline(
  {
    name: "pipeline-with-dynamic-condition-output",
    inputs: { project: param.string(), location: param.string(), encryption_spec_key_name: param.string({ default: "" }) },
  },
  (dag, inputs) => {
    const flip = dag.task(flipBiasedCoinOp, {}, { caching: false });
    const machineType = dag.task(constant("machine_type", "str"));
    const acceleratorType = dag.task(constant("accelerator_type", "str"));
    const acceleratorCount = dag.task(constant("accelerator_count", "int"));
    dag.if(eq(flip.outputs.Output, "heads"), (branch) => {
      branch.task(customTraining, {
        display_name: "add-numbers",
        worker_pool_specs: [
          {
            container_spec: { image_uri: "gcr.io/ml-pipeline/google-cloud-pipeline-components:2.5.0", command: ["echo"], args: ["foo"] },
            machine_spec: {
              machine_type: `${machineType.outputs.Output}`,
              accelerator_type: `${acceleratorType.outputs.Output}`,
              accelerator_count: `${acceleratorCount.outputs.Output}`,
            },
            replica_count: 1,
          },
        ],
        project: inputs.project,
        location: inputs.location,
        encryption_spec_key_name: inputs.encryption_spec_key_name,
      });
    });
  },
);
