/**
 * The SDK samples' Python components, read from the very `.py` files the samples were compiled
 * from (`shared/kfp/samples/<sample>.py`, `shared/kfp/samples-next/<sample>.py`) with `pythonComponent`: the function's source, its
 * signature and docstring come from the file, as `@dsl.component` takes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pythonComponent } from "../../../pipelines/components";
import { component, type ContainerComponent, type InputSpecs, type OutputSpecs } from "../../../pipelines/dsl";
import { NEXT_SAMPLES_DIR, SAMPLES_DIR } from "../helpers/proto";

export interface SdkComponentOptions<I extends InputSpecs, O extends OutputSpecs> {
  /** The SDK release that compiled the sample; its container pins `kfp==<version>`. */
  readonly kfpVersion: string;
  readonly inputs?: I;
  readonly outputs?: O;
  readonly env?: Readonly<Record<string, string>>;
  readonly packagesToInstall?: readonly string[];
  readonly pipIndexUrls?: readonly string[];
}

/** The `@dsl.component` function `fn` of sample `sample`, as the SDK built it (base image `python:3.11`). */
export function sdkComponent<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  sample: string,
  fn: string,
  options: SdkComponentOptions<I, O>,
): ContainerComponent<I, O> {
  const file = [SAMPLES_DIR, NEXT_SAMPLES_DIR].map((dir) => path.join(dir, `${sample}.py`)).find((candidate) => fs.existsSync(candidate));
  // Without ../shared/kfp every parity test is skipped; a stand-in keeps the modules importable.
  if (file === undefined) return component({ name: fn, image: "python:3.11", inputs: options.inputs, outputs: options.outputs });
  return pythonComponent({ file, function: fn, baseImage: "python:3.11", ...options });
}
