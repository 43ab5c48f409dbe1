/** Python function components read from a `.py` file of the repository. */

import * as fs from "node:fs";
import { pythonComponentFromSource, type ContainerComponent, type InputSpecs, type OutputSpecs, type PythonComponentOptions } from "../dsl";

export interface PythonFileComponentOptions<I extends InputSpecs, O extends OutputSpecs> extends Omit<PythonComponentOptions<I, O>, "source" | "sourceName"> {
  /** The module's path, absolute or relative to the working directory (`path.join(__dirname, "steps.py")`). */
  readonly file: string;
}

/**
 * `@dsl.component` for a function in a `.py` file: the function runs in `baseImage` exactly as the
 * KFP SDK would run it, its interface read from its signature (and checked against `inputs` and
 * `outputs` when they are declared, which types the tasks that run it).
 *
 * ```ts
 * const train = pythonComponent({
 *   file: path.join(__dirname, "steps.py"), function: "train", baseImage: IMAGES.python,
 *   packagesToInstall: ["pandas==2.2.2"],
 *   inputs: { data: artifact("system.Dataset"), steps: param.integer({ default: 100 }) },
 *   outputs: { model: artifact("system.Model") },
 * });
 * ```
 */
export function pythonComponent<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  options: PythonFileComponentOptions<I, O>,
): ContainerComponent<I, O> {
  const { file, ...rest } = options;
  return pythonComponentFromSource<I, O>({ ...rest, source: fs.readFileSync(file, "utf8"), sourceName: file });
}
