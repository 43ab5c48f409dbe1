/**
 * The SDK samples' Python components, read from the very `.py` files the samples were compiled
 * from (`shared/kfp/samples/<sample>.py`, `shared/kfp/samples-next/<sample>.py`) with `pythonComponent`: the function's source, its
 * signature and docstring come from the file, as `@dsl.component` takes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { pythonComponent } from "../../../pipelines/components";
import { component, loadComponentFromText, type ContainerComponent, type InputSpecs, type OutputSpecs } from "../../../pipelines/dsl";
import { parseExpression } from "../../../pipelines/dsl/python/expression";
import { sourceLines, tokenize } from "../../../pipelines/dsl/python/tokenize";
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

function sampleSource(sample: string): string | undefined {
  return [SAMPLES_DIR, NEXT_SAMPLES_DIR].map((dir) => path.join(dir, `${sample}.py`)).find((candidate) => fs.existsSync(candidate));
}

/**
 * The component YAML a sample loads with `components.load_component_from_text("""…""")`, the
 * `index`-th in its file, loaded with `loadComponentFromText`.
 */
export function sdkLoadedComponent<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  sample: string,
  index: number,
  declared: { readonly name: string; readonly inputs?: I; readonly outputs?: O },
): ContainerComponent<I, O> {
  const file = sampleSource(sample);
  if (file === undefined) return component({ name: declared.name, image: "alpine", inputs: declared.inputs, outputs: declared.outputs });
  const tokens = tokenize(sourceLines(fs.readFileSync(file, "utf8")));
  const calls = tokens.flatMap((token, i) => (token.text === "load_component_from_text" && tokens[i + 1]?.text === "(" ? [i + 2] : []));
  const literal = parseExpression(tokens.slice(calls[index], tokens.findIndex((token, i) => i > calls[index] && token.text === ")")));
  if (literal.kind !== "string") throw new Error(`${file}: load_component_from_text #${index} does not take a string literal`);
  return loadComponentFromText(literal.value, { sourceName: `${file} #${index}`, inputs: declared.inputs, outputs: declared.outputs });
}

/** The `@dsl.component` function `fn` of sample `sample`, as the SDK built it (base image `python:3.11`). */
export function sdkComponent<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  sample: string,
  fn: string,
  options: SdkComponentOptions<I, O>,
): ContainerComponent<I, O> {
  const file = sampleSource(sample);
  // Without ../shared/kfp every parity test is skipped; a stand-in keeps the modules importable.
  if (file === undefined) return component({ name: fn, image: "python:3.11", inputs: options.inputs, outputs: options.outputs });
  return pythonComponent({ file, function: fn, baseImage: "python:3.11", ...options });
}
