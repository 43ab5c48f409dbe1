/**
 * The container the KFP SDK generates for a lightweight Python component (`@dsl.component`):
 * install the SDK, write the function source to a file, run it through `executor_main`. The
 * parity fixtures need it because most SDK samples are built from such components.
 */

import { component, type ContainerComponent } from "../../../pipelines/dsl";
import type { InputSpecs, OutputSpecs } from "../../../pipelines/dsl";

interface LightweightDefinition<I extends InputSpecs, O extends OutputSpecs> {
  /** The Python function name, e.g. `print_op`. */
  readonly functionName: string;
  /** The function's source, as the SDK embeds it (with its trailing blank line). */
  readonly source: string;
  /** The SDK version the sample was compiled with; it pins the same `kfp` in the container. */
  readonly kfpVersion: string;
  readonly inputs?: I;
  readonly outputs?: O;
  readonly env?: Readonly<Record<string, string>>;
}

export function lightweightPython<const I extends InputSpecs = Record<never, never>, const O extends OutputSpecs = Record<never, never>>(
  definition: LightweightDefinition<I, O>,
): ContainerComponent<I, O> {
  return component({
    name: definition.functionName,
    image: "python:3.11",
    inputs: definition.inputs,
    outputs: definition.outputs,
    env: definition.env,
    command: [
      "sh",
      "-c",
      `\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location 'kfp==${definition.kfpVersion}' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<"3.9"' && "$0" "$@"\n`,
      "sh",
      "-ec",
      'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n',
      `\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n${definition.source}`,
    ],
    args: (io) => ["--executor_input", io.executorInput, "--function_to_execute", definition.functionName],
  });
}
