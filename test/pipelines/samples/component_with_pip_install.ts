/** `component_with_pip_install.yaml` (samples-next): a Python component installing a package from an index, compiled as a pipeline. */
import { pipeline } from "../../../pipelines/dsl";
import { sdkComponent } from "./sdk";

const componentWithPipInstall = sdkComponent("component_with_pip_install", "component_with_pip_install", {
  kfpVersion: "2.14.3",
  packagesToInstall: ["yapf"],
  pipIndexUrls: ["https://pypi.org/simple"],
});

// The SDK compiles a lone component as a pipeline of one task, named after the component.
export default pipeline({ name: "component-with-pip-install" }, (dag) => void dag.task(componentWithPipInstall));
