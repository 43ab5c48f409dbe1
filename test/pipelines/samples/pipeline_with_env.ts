/** `pipeline_with_env.yaml`: environment from the component and from the task; a component loaded from v1 YAML. */
import { pipeline } from "../../../pipelines/dsl";
import { sdkComponent, sdkLoadedComponent } from "./sdk";

const SAMPLE = "pipeline_with_env";

const printEnvOp = sdkComponent(SAMPLE, "print_env_op", { kfpVersion: "2.14.3" });
const printEnv2Op = sdkLoadedComponent(SAMPLE, 0, { name: "Print env" });

export default pipeline({ name: "pipeline-with-env" }, (dag) => {
  dag.task(printEnvOp, {}, { env: { ENV1: "val1" } });
  dag.task(printEnv2Op, {}, { env: { ENV2: "val2", ENV3: "val3" } });
});
