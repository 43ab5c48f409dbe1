/**
 * Python function components (`@dsl.component`): a function in a `.py` module becomes a container
 * component whose command installs the KFP SDK (and any packages), writes the function's source to
 * a file and runs it through `kfp.dsl.executor_main`, exactly as the KFP SDK 2.14.3 emits it
 * (`_get_packages_to_install_command`, `_get_command_and_args_for_lightweight_component`,
 * `_get_command_and_args_for_containerized_component` in `component_factory.py`). The interface
 * is derived from the signature (`interface.ts`) and, when the TypeScript declares one, checked
 * against it, so that the two can never disagree.
 */

// The Python text forms live with the YAML writer; they are pure functions of strings.
import { pythonStrRepr } from "../../compiler/yaml/python-text";
import { component, type ContainerComponent } from "../component";
import { PipelineDefinitionError, throwIfProblems, type DslProblem } from "../errors";
import { Placeholder } from "../placeholders";
import type { Resources } from "../resources";
import { declarationProblems } from "../declaration";
import type { InputSpecs, OutputSpecs } from "../types";
import { DocstringError, docstringDescriptions } from "./docstring";
import { deriveInterface } from "./interface";
import { readFunction, type PythonFunction } from "./source";
import { PythonSyntaxError } from "./tokenize";

/** The KFP SDK release whose Python component containers (and compiled specs) this project reproduces. */
export const KFP_SDK_VERSION = "2.14.3";

const EXECUTOR_MODULE = "kfp.dsl.executor_main";
const INSTALL_SCRIPT = (commands: string) =>
  `\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 ${commands} && "$0" "$@"\n`;
const VENV_SCRIPT = '\nexport PIP_DISABLE_PIP_VERSION_CHECK=1\ntmp=$(mktemp -d)\npython3 -m venv "$tmp/venv" --system-site-packages\n. "$tmp/venv/bin/activate"\n';
const RUN_PROGRAM = `program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m ${EXECUTOR_MODULE}                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n`;
const IMPORTS = ["import kfp", "from kfp import dsl", "from kfp.dsl import *", "from typing import *"];

export interface PythonComponentOptions<I extends InputSpecs, O extends OutputSpecs> {
  /** The text of the Python module that defines the function. */
  readonly source: string;
  /** Where `source` came from (a file path), for messages. @default "<source>" */
  readonly sourceName?: string;
  /** The function's name; it becomes the component (and task) name: `train_model` → `train-model`. */
  readonly function: string;
  /**
   * `base_image`: the image the function runs in. It must be pinned by digest to compile (as every
   * image); the SDK's default, `python:3.11`, is a tag.
   */
  readonly baseImage: string;
  /** `target_image`: an image that already holds the module; the source is then not embedded. */
  readonly targetImage?: string;
  /** `packages_to_install`, installed before the KFP SDK. */
  readonly packagesToInstall?: readonly string[];
  /** `pip_index_urls`: the first is `--index-url`, the others `--extra-index-url`. */
  readonly pipIndexUrls?: readonly string[];
  /** `pip_trusted_hosts`. @default the index URLs, as in KFP SDK 2.14 (give `[]` for none) */
  readonly pipTrustedHosts?: readonly string[];
  /** `install_kfp_package`: install the KFP SDK the executor needs. @default true */
  readonly installKfpPackage?: boolean;
  /** `kfp_package_path`: install the SDK from here instead of `kfp==<kfpVersion>`. */
  readonly kfpPackagePath?: string;
  /**
   * The KFP SDK release installed in the container (`kfp==<version>`), which the SDK takes from its
   * own version. @default KFP_SDK_VERSION, the release this compiler reproduces
   */
  readonly kfpVersion?: string;
  /** `use_venv`: install into a virtual environment. @default false */
  readonly useVenv?: boolean;
  /**
   * The inputs as TypeScript declares them, for typed tasks. They must match the signature exactly
   * (names, types, defaults, optionality); omitted, they are derived from it and untyped.
   */
  readonly inputs?: I;
  /** The outputs as TypeScript declares them; checked against the signature like `inputs`. */
  readonly outputs?: O;
  readonly env?: Readonly<Record<string, string>>;
  readonly resources?: Resources;
}

/** A component of a Python function, read from its module's source; throws one error listing every problem. */
export function pythonComponentFromSource<const I extends InputSpecs = InputSpecs, const O extends OutputSpecs = OutputSpecs>(
  options: PythonComponentOptions<I, O>,
): ContainerComponent<I, O> {
  const subject = `Python component "${options.function}" (${options.sourceName ?? "<source>"})`;
  let fn: PythonFunction;
  let descriptions: ReturnType<typeof docstringDescriptions>;
  try {
    fn = readFunction(options.source, options.function);
    descriptions = docstringDescriptions(fn.docstring);
  } catch (error) {
    if (error instanceof PythonSyntaxError) throw new PipelineDefinitionError(subject, [{ where: "source", message: error.message }]);
    if (error instanceof DocstringError) throw new PipelineDefinitionError(subject, [{ where: "docstring", message: error.message }]);
    throw error;
  }
  const derived = deriveInterface(fn, descriptions);
  const problems: DslProblem[] = [...derived.problems, ...optionProblems(options)];
  const source = { noun: "the function", member: "parameter" };
  if (options.inputs !== undefined) problems.push(...declarationProblems("input", options.inputs, derived.interface.inputs, source));
  if (options.outputs !== undefined) problems.push(...declarationProblems("output", options.outputs, derived.interface.outputs, { ...source, member: "output" }));
  throwIfProblems(subject, problems);
  const install = packagesCommand(options);
  const [command, args] =
    options.targetImage !== undefined
      ? [[...install, "python3", "-m", EXECUTOR_MODULE], executorArgs(fn.name)]
      : [[...install, "sh", "-ec", RUN_PROGRAM, `\n${IMPORTS.join("\n")}\n\n${fn.source}\n`], executorArgs(fn.name)];
  return component({
    name: fn.name,
    ...(fn.docstring !== undefined ? { description: fn.docstring } : {}),
    image: options.targetImage ?? options.baseImage,
    // The runtime specs are the derived ones (with the docstring's descriptions); the declaration,
    // when given, only types them for TypeScript and was checked equal above.
    inputs: derived.interface.inputs as unknown as I,
    outputs: derived.interface.outputs as unknown as O,
    command,
    args,
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.resources !== undefined ? { resources: options.resources } : {}),
  });
}

function executorArgs(functionName: string): (string | Placeholder)[] {
  return ["--executor_input", new Placeholder("{{$}}"), "--function_to_execute", functionName];
}

/** `_get_packages_to_install_command`, as in KFP SDK 2.14.3. */
function packagesCommand(options: PythonComponentOptions<InputSpecs, OutputSpecs>): string[] {
  const packages = options.packagesToInstall ?? [];
  const kfpInPackages = packages.some((name) => name.startsWith("kfp"));
  const injectKfp = (options.installKfpPackage ?? true) && options.targetImage === undefined && !kfpInPackages;
  if (!injectKfp && packages.length === 0) return [];
  const indexOptions = indexUrlOptions(options.pipIndexUrls, options.pipTrustedHosts);
  const commands: string[] = [];
  if (packages.length > 0) {
    commands.push(pipInstall(packages, indexOptions));
    if (injectKfp) commands.push(" && ");
  }
  if (injectKfp) {
    if (options.useVenv === true) commands.push(VENV_SCRIPT);
    const kfp = options.kfpPackagePath !== undefined ? [options.kfpPackagePath] : [`kfp==${options.kfpVersion ?? KFP_SDK_VERSION}`, "--no-deps", 'typing-extensions>=3.7.4,<5; python_version<"3.9"'];
    commands.push(pipInstall(kfp, indexOptions));
  }
  return ["sh", "-c", INSTALL_SCRIPT(commands.join(" "))];
}

/** `make_index_url_options` of SDK 2.14.3: without explicit trusted hosts, the index URLs are trusted. */
function indexUrlOptions(indexUrls: readonly string[] | undefined, trustedHosts: readonly string[] | undefined): string {
  if (indexUrls === undefined || indexUrls.length === 0) return "";
  const [first, ...extra] = indexUrls;
  const options = [`--index-url ${first}`, ...extra.map((url) => `--extra-index-url ${url}`)];
  if (trustedHosts === undefined) options.push(`--trusted-host ${first}`, ...extra.map((url) => `--trusted-host ${url}`));
  else options.push(...trustedHosts.map((host) => `--trusted-host ${host}`));
  return `${options.join(" ")} `;
}

function pipInstall(parts: readonly string[], indexOptions: string): string {
  return `python3 -m pip install --quiet --no-warn-script-location ${indexOptions}${parts.map(pythonStrRepr).join(" ")}`;
}

function optionProblems(options: PythonComponentOptions<InputSpecs, OutputSpecs>): DslProblem[] {
  const problems: DslProblem[] = [];
  if (typeof options.baseImage !== "string" || options.baseImage.trim() === "") {
    problems.push({ where: "baseImage", message: "is missing; allowed: the image to run the function in, pinned by digest (registry/path@sha256:<64 hex>)" });
  }
  if (options.kfpVersion !== undefined && !/^\d+\.\d+\.\d+([.-]?[0-9A-Za-z.]+)?$/.test(options.kfpVersion)) {
    problems.push({ where: "kfpVersion", message: `${JSON.stringify(options.kfpVersion)} is not a release number; allowed: such as "${KFP_SDK_VERSION}"` });
  }
  for (const [key, list] of [["packagesToInstall", options.packagesToInstall], ["pipIndexUrls", options.pipIndexUrls], ["pipTrustedHosts", options.pipTrustedHosts]] as const) {
    for (const item of list ?? []) if (typeof item !== "string" || item.trim() === "") problems.push({ where: key, message: `holds ${JSON.stringify(item)}; allowed: non-empty strings` });
  }
  return problems;
}
