/** `pipeline_with_parallelfor_pipeline_param.yaml`: parallelism limits and nested loops reading pipeline inputs. */
import { param, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_parallelfor_pipeline_param";

const KFP = "2.15.2";

const makePrefix = sdkComponent(SAMPLE, "make_prefix", {
  kfpVersion: KFP,
  outputs: { Output: param.string() },
});

const printWithPrefix = sdkComponent(SAMPLE, "print_with_prefix", {
  kfpVersion: KFP,
  inputs: { prefix: param.string(), item: param.string() },
  outputs: { Output: param.string() },
});

export default pipeline(
  {
    name: "pipeline-parallelfor-pipeline-param",
    description: "Pipeline parameter used alongside loop item inside ParallelFor.",
    inputs: { loop_parameter: param.list(), prefix: param.string() },
  },
  (dag, inputs) => {
    dag.parallelFor(inputs.loop_parameter, (loop, item) => void loop.task(printWithPrefix, { prefix: inputs.prefix, item }), { parallelism: 1 });
    const prefix = dag.task(makePrefix);
    dag.parallelFor(inputs.loop_parameter, (loop, item) => void loop.task(printWithPrefix, { prefix: prefix.outputs.Output, item }));
    dag.parallelFor(
      ["x", "y"],
      (outer) => {
        outer.parallelFor(inputs.loop_parameter, (loop, item) => void loop.task(printWithPrefix, { prefix: inputs.prefix, item }));
      },
      { parallelism: 2 },
    );
  },
);
