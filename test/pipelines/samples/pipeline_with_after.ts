/** `pipeline_with_after.yaml`: ordering without data through `.after()`, with a component loaded from v1 YAML. */
import { param, pipeline } from "../../../pipelines/dsl";
import { sdkLoadedComponent } from "./sdk";

const printText = sdkLoadedComponent("pipeline_with_after", 0, { name: "Print Text", inputs: { text: param.string() } });

export default pipeline({ name: "pipeline-with-after" }, (dag) => {
  const first = dag.task(printText, { text: "1st task" });
  const second = dag.task(printText, { text: "2nd task" }).after(first);
  dag.task(printText, { text: "3rd task" }).after(first, second);
});
