/** `hello_world.yaml`: one container task with a fixed command line. */
import { component, pipeline } from "../../../pipelines/dsl";

const echo = component({ name: "echo", image: "registry.access.redhat.com/ubi9/python-311:latest", command: ["echo"], args: ["hello world"] });

export default pipeline({ name: "echo" }, (dag) => {
  dag.task(echo);
});
