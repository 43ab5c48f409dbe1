/** `pipeline_with_after.yaml`: ordering without data through `.after()`. */
import { component, param, pipeline } from "../../../pipelines/dsl";

const printText = component({
  name: "print_text",
  image: "alpine",
  inputs: { text: param.string() },
  command: ({ inputs }) => ["sh", "-c", 'set -e -x\necho "$0"\n', inputs.text],
});

export default pipeline({ name: "pipeline-with-after" }, (dag) => {
  const first = dag.task(printText, { text: "1st task" });
  const second = dag.task(printText, { text: "2nd task" }).after(first);
  dag.task(printText, { text: "3rd task" }).after(first, second);
});
