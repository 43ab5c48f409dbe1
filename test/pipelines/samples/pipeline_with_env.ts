/** `pipeline_with_env.yaml`: environment from the component and from the task. */
import { component, pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const SAMPLE = "pipeline_with_env";

const printEnv = component({
  name: "print_env",
  image: "alpine",
  command: ["sh", "-c", 'set -e -x\necho "$ENV1"\necho "$ENV2"\necho "$ENV3"\n'],
});

const printEnvOp = sdkComponent(SAMPLE, "print_env_op", {
  kfpVersion: "2.14.3",
  env: { ENV1: "val1" },
});

export default pipeline({ name: "pipeline-with-env" }, (dag) => {
  dag.task(printEnvOp);
  dag.task(printEnv, {}, { env: { ENV1: "val0", ENV2: "val2", ENV3: "val3" } });
});
