/**
 * Python function components: a function in a `.py` file runs as the KFP SDK would run it. Its
 * text is what `inspect.getsource` gives (checked against CPython itself when python3 is
 * available), its interface is what `@dsl.component` derives from the signature, and its container
 * is the SDK's, byte for byte (`samples.test.ts` compiles the SDK samples from their `.py` files).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { pythonComponent } from "../../../pipelines/components";
import { compile } from "../../../pipelines/compiler";
import { artifact, param, pipeline, pythonComponentFromSource, taskFinalStatus, type ContainerComponent } from "../../../pipelines/dsl";
import { literalValue, parseExpression } from "../../../pipelines/dsl/python/expression";
import { readFunction } from "../../../pipelines/dsl/python/source";
import { sourceLines, tokenize } from "../../../pipelines/dsl/python/tokenize";
import { PINNED } from "../helpers/dsl";
import { NEXT_SAMPLES_DIR, SAMPLES_DIR } from "../helpers/proto";
import { hasPython, python } from "../../helpers/python";

const STEPS = path.join(__dirname, "../fixtures/steps.py");
const source = fs.readFileSync(STEPS, "utf8");
const derive = (fn: string) => pythonComponentFromSource({ source, function: fn, baseImage: PINNED });
const problemsOf = (text: string, fn: string, extra: object = {}): string[] => {
  try {
    pythonComponentFromSource({ source: text, function: fn, baseImage: PINNED, ...extra });
    return [];
  } catch (error) {
    return String((error as Error).message).split("\n").slice(1).map((line) => line.trim());
  }
};


describe.skipIf(!hasPython)("the function as CPython's inspect sees it (skipped: no python3)", () => {
  const files = [STEPS, ...[SAMPLES_DIR, NEXT_SAMPLES_DIR].flatMap((dir) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".py")).map((f) => path.join(dir, f)) : []))];
  const run = spawnSync(python!, [path.join(__dirname, "../helpers/inspect_functions.py"), ...files], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const facts: [string, string, { source: string; doc: string | null; parameters: [string, boolean, string | null][] }][] = run.status === 0 ? JSON.parse(run.stdout) : [];

  it("reads every function of the fixtures and the SDK samples", () => {
    expect(run.stderr).toBe("");
    expect(facts.length).toBeGreaterThan(80);
  });

  it.each(facts.map(([file, fn, fact]) => [`${path.basename(file)}: ${fn}`, file, fn, fact] as const))("%s: same embedded text, docstring and parameters", (_, file, fn, fact) => {
    const read = readFunction(fs.readFileSync(file, "utf8"), fn);
    expect(read.source).toBe(fact.source);
    expect(read.docstring ?? null).toBe(fact.doc);
    expect(read.parameters.map((p) => p.name)).toEqual(fact.parameters.map(([name]) => name));
    expect(read.parameters.map((p) => p.annotation !== undefined)).toEqual(fact.parameters.map(([, annotated]) => annotated));
    read.parameters.forEach((parameter, index) => {
      const pythonRepr = fact.parameters[index][2];
      if (pythonRepr === null) return expect(parameter.default).toBeUndefined();
      const expected = literalValue(parseExpression(tokenize(sourceLines(pythonRepr)).filter((t) => !["NEWLINE", "NL"].includes(t.type))));
      // A default the SDK sees as a value this reader can also evaluate (constants included).
      if ("value" in expected) expect(literalValue(parameter.default as never, read.constants)).toEqual(expected);
    });
  });
});

describe("the interface the SDK derives from the signature", () => {
  it("reads parameters, defaults (module constants included), Optional, artifacts, a NamedTuple class and Google-style descriptions", () => {
    const train = derive("train");
    expect(train.name).toBe("train");
    expect(train.inputs).toEqual({
      data: artifact("system.Dataset", { description: "The training data,\nover two lines." }),
      steps: param.integer({ default: 10, description: "How many steps." }),
      model_name: param.string({ default: "gemma-2b" }),
      learning_rate: param.double({ default: -0.001 }),
      tags: param.list({ default: ["a", "b\n", "c\\d", "de"] }),
      options: param.struct({ default: { x: 1, y: -2 } }),
      shuffle: param.boolean({ default: true }),
      note: param.string({ optional: true }),
      seed: param.integer({ default: 31 }),
    });
    expect(train.outputs).toEqual({
      model: artifact("system.Model"),
      accuracy: param.double({ description: "How good the model is." }),
      model_name: param.string(),
    });
  });

  it("reads InputPath/OutputPath of artifacts and parameters, typed list items and a single return", () => {
    const preprocess = derive("preprocess");
    expect(preprocess.inputs).toEqual({
      raw: artifact("system.Dataset"),
      text: param.string(),
      rows: param.list({ items: "STRUCT", fields: "NUMBER_INTEGER" }),
      maybe: artifact("system.Model", { optional: true }),
    });
    expect(preprocess.outputs).toEqual({ clean: artifact("system.Dataset"), stats: param.struct(), report: artifact("system.Artifact"), Output: param.integer() });
  });

  it("reads bare artifact classes, lists of artifacts, an inline NamedTuple and the final status", () => {
    expect(derive("evaluate").inputs).toEqual({ model: artifact("system.Model"), splits: artifact("system.Dataset", { list: true }), threshold: param.double({ default: 0.5 }) });
    expect(derive("evaluate").outputs).toEqual({ score: param.double(), metrics: artifact("system.Metrics"), curves: artifact("system.ClassificationMetrics", { list: true }) });
    expect(derive("report").inputs).toEqual({ status: taskFinalStatus(), topic: param.string({ default: "runs" }) });
    expect(derive("after_class").outputs).toEqual({ Output: param.list() });
  });

  it("compiles descriptions and artifact lists into the component interface", () => {
    const lists = "def produce() -> List[Dataset]:\n    return []\n\ndef consume(data: Input[List[Dataset]]):\n    pass\n";
    const produce = pythonComponentFromSource({ source: lists, function: "produce", baseImage: PINNED, outputs: { Output: artifact("system.Dataset", { list: true }) } });
    const consume = pythonComponentFromSource({ source: lists, function: "consume", baseImage: PINNED, inputs: { data: artifact("system.Dataset", { list: true }) } });
    const components = compile(pipeline({ name: "p" }, (dag) => void dag.task(consume, { data: dag.task(produce).outputs.Output }))).components;
    const datasets = { artifactType: { schemaTitle: "system.Dataset", schemaVersion: "0.0.1" }, isArtifactList: true };
    expect(components?.["comp-consume"].inputDefinitions).toEqual({ artifacts: { data: datasets } });
    expect(components?.["comp-produce"].outputDefinitions).toEqual({ artifacts: { Output: datasets } });
    const train = compile(pipeline({ name: "p" }, (dag) => void dag.task(derive("train"), { data: dag.importer({ artifactUri: "gs://b/d", schemaTitle: "system.Dataset" }).outputs.artifact }))).components?.["comp-train"];
    expect(train?.inputDefinitions?.parameters?.steps).toEqual({ defaultValue: 10, description: "How many steps.", isOptional: true, parameterType: "NUMBER_INTEGER" });
    expect(train?.inputDefinitions?.artifacts?.data).toEqual({ artifactType: { schemaTitle: "system.Dataset", schemaVersion: "0.0.1" }, description: "The training data,\nover two lines." });
    expect(train?.outputDefinitions?.parameters?.accuracy).toEqual({ description: "How good the model is.", parameterType: "NUMBER_DOUBLE" });
  });
});

describe("the container the SDK emits", () => {
  const source = "def step(x: int) -> int:\n    return x\n";
  const container = (options: object) => {
    const c = pythonComponentFromSource({ source, function: "step", baseImage: PINNED, ...options });
    return { image: c.image, command: c.command.map(String), args: c.args.map(String) };
  };
  const install = (commands: string) =>
    `\nif ! [ -x "$(command -v pip)" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 ${commands} && "$0" "$@"\n`;
  const kfp = `'kfp==2.14.3' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<"3.9"'`;
  const run = [
    "sh",
    "-ec",
    'program_path=$(mktemp -d)\n\nprintf "%s" "$0" > "$program_path/ephemeral_component.py"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         "$program_path/ephemeral_component.py"                         "$@"\n',
    "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\ndef step(x: int) -> int:\n    return x\n\n",
  ];
  const args = ["--executor_input", "{{$}}", "--function_to_execute", "step"];

  it("installs the KFP SDK, writes the function's source and runs it through the executor", () => {
    expect(container({})).toEqual({ image: PINNED, command: ["sh", "-c", install(`python3 -m pip install --quiet --no-warn-script-location ${kfp}`), ...run], args });
  });

  it("installs packages first, from the index URLs, trusting them unless trusted hosts are given (SDK 2.14)", () => {
    const pip = "python3 -m pip install --quiet --no-warn-script-location";
    expect(container({ packagesToInstall: ["pandas==2.2.2", "it's"], pipIndexUrls: ["https://a/simple", "https://b/simple"] }).command[2]).toBe(
      install(`${pip} --index-url https://a/simple --extra-index-url https://b/simple --trusted-host https://a/simple --trusted-host https://b/simple 'pandas==2.2.2' "it's"  &&  ${pip} --index-url https://a/simple --extra-index-url https://b/simple --trusted-host https://a/simple --trusted-host https://b/simple ${kfp}`),
    );
    expect(container({ packagesToInstall: ["x"], pipIndexUrls: ["https://a/simple"], pipTrustedHosts: [] }).command[2]).toBe(install(`${pip} --index-url https://a/simple 'x'  &&  ${pip} --index-url https://a/simple ${kfp}`));
    expect(container({ packagesToInstall: ["kfp==2.9.0"] }).command[2]).toBe(install(`${pip} 'kfp==2.9.0'`));
    expect(container({ kfpPackagePath: "git+https://github.com/kubeflow/pipelines#subdirectory=sdk/python", useVenv: true }).command[2]).toBe(
      install(`\nexport PIP_DISABLE_PIP_VERSION_CHECK=1\ntmp=$(mktemp -d)\npython3 -m venv "$tmp/venv" --system-site-packages\n. "$tmp/venv/bin/activate"\n ${pip} 'git+https://github.com/kubeflow/pipelines#subdirectory=sdk/python'`),
    );
    expect(container({ kfpVersion: "2.15.2" }).command[2]).toContain("'kfp==2.15.2'");
  });

  it("installs nothing when told not to, and runs a containerized component from its target image", () => {
    expect(container({ installKfpPackage: false })).toEqual({ image: PINNED, command: run, args });
    const target = `${PINNED.split("@")[0]}-built@sha256:${"cd".repeat(32)}`;
    expect(container({ targetImage: target })).toEqual({ image: target, command: ["python3", "-m", "kfp.dsl.executor_main"], args });
  });

  it("reads the file given to pythonComponent", () => {
    const fromFile = pythonComponent({ file: STEPS, function: "one_liner", baseImage: PINNED });
    expect(fromFile.command[fromFile.command.length - 1]).toBe("\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\ndef one_liner(x: int) -> int: return x\n\n");
  });
});

describe("a TypeScript declaration is checked against the signature", () => {
  it("types tasks by the declaration, which must match", () => {
    const step = pythonComponentFromSource({ source: "def step(x: int, y: str = 'a') -> float:\n    return 1.0\n", function: "step", baseImage: PINNED, inputs: { x: param.integer(), y: param.string({ default: "a" }) }, outputs: { Output: param.double() } });
    pipeline({ name: "p" }, (dag) => {
      const first = dag.task(step, { x: 1 });
      // @ts-expect-error a NUMBER_DOUBLE output into a NUMBER_INTEGER input
      dag.task(step, { x: first.outputs.Output });
    });
  });

  it("reports every difference at once", () => {
    expect(
      problemsOf("def step(x: int, y: str = 'a', z: List[int] = []) -> float:\n    return 1.0\n", "step", {
        inputs: { x: param.double(), y: param.string(), z: param.list({ default: [] }), w: param.string() },
        outputs: { Output: param.double(), extra: artifact("system.Model") },
      }),
    ).toEqual([
      'input "x": the function declares NUMBER_INTEGER; the TypeScript declaration says NUMBER_DOUBLE',
      'input "y": the function declares STRING, default "a"; the TypeScript declaration says STRING',
      'input "z": the function declares LIST of NUMBER_INTEGER items, default []; the TypeScript declaration says LIST of STRING items, default []',
      'input "w": is declared (STRING) but the function has no such parameter; allowed: x, y, z',
      'output "extra": is declared (a system.Model artifact) but the function has no such output; allowed: Output',
    ]);
    expect(problemsOf("def step(x: int):\n    pass\n", "step", { inputs: {} })).toEqual(['input "x": the function declares it (NUMBER_INTEGER) but the TypeScript declaration does not; allowed: add it']);
  });
});

describe("what the reader refuses, and says why", () => {
  it("names every unsupported parameter, default and annotation", () => {
    expect(
      problemsOf(
        [
          "def step(a, b: typing.List[str], c: str | None, d: Any, e: str = UNKNOWN, f: str = f'x', g: Input[Dataset] = 'x',",
          "         Output: str = '', h: Input[str] = None, *rest) -> Dict[str, Model]:",
          "    pass",
          "",
        ].join("\n"),
        "step",
      ),
    ).toEqual([
      "source: line 2: \"*rest\" collects extra arguments; allowed: named parameters only, which become the component's inputs",
    ]);
    expect(
      problemsOf(
        [
          "def step(a, b: typing.List[str], c: str | None, d: Any, e: str = UNKNOWN, f: str = f'x', g: Input[Dataset] = 'x',",
          "         Output: str = '', h: Input[str] = None, i: int = 'one'):",
          "    pass",
          "",
        ].join("\n"),
        "step",
      ),
    ).toEqual([
      'parameter "a" (line 1): has no type annotation; allowed: str, int, float, bool, dict, list, Input[...], Output[...], InputPath(...), OutputPath(...)',
      'parameter "b" (line 1): typing.List: the container\'s module imports only `from typing import *`, so "typing." is not defined there; allowed: List',
      'parameter "c" (line 1): str | None: the SDK reads only Optional[T] for optional inputs; allowed: Optional[...]',
      'parameter "d" (line 1): Any is not a type a component input or output can have; allowed: str, int, float, bool, dict, list, Dict[...], List[...], an artifact class (Artifact, Dataset, Model, Metrics, ClassificationMetrics, SlicedClassificationMetrics, HTML, Markdown), Input[...], Output[...], InputPath(...), OutputPath(...)',
      'parameter "e" (line 1): default UNKNOWN: UNKNOWN is not a literal or a module-level constant bound to one; allowed: a literal (string, number, True/False/None, list, dict) or a module-level constant bound to one',
      'parameter "f" (line 1): default an f-string: an f-string is not a parameter value; allowed: a literal (string, number, True/False/None, list, dict) or a module-level constant bound to one',
      'parameter "g" (line 1): an input artifact may only default to None; got "x"',
      'parameter "Output" (line 2): "Output" is reserved for the return value\'s output; allowed: another name',
      "parameter \"h\" (line 2): Input[...] takes an artifact class such as Dataset or Model, or a List of one; got str",
      'parameter "i" (line 2): default "one" is not an integer (NUMBER_INTEGER)',
    ]);
  });

  it("says which functions exist, and refuses duplicates, async functions, broken syntax and other docstring styles", () => {
    expect(problemsOf("def a(): pass\ndef b(): pass\n", "c")).toEqual(['source: line 1: no function named "c"; functions defined: a, b']);
    expect(problemsOf("def a(): pass\ndef a(): pass\n", "a")).toEqual(['source: line 2: "a" is defined 2 times (lines 1, 2); allowed: one definition']);
    expect(problemsOf("async def a(): pass\n", "a")).toEqual(['source: line 1: "a" is an async function; allowed: a plain def, which the KFP executor calls']);
    expect(problemsOf("def a(x: int = (1,\n", "a")).toEqual(["source: line 1: end of file inside a statement (an unclosed bracket?)"]);
    expect(problemsOf('def a(x: int):\n    """Doc.\n\n    :param x: the x\n    """\n', "a")).toEqual([
      "docstring: the docstring looks like reST (:param x:); this reader takes input and output descriptions from Google-style Args:/Returns: sections only",
    ]);
    expect(problemsOf("def a() -> {'a': int}:\n    pass\n", "a")).toEqual(["return annotation: the deprecated dict form of multiple outputs is not supported; allowed: a NamedTuple"]);
  });

  it("checks its options", () => {
    expect(problemsOf("def a(): pass\n", "a", { baseImage: "", packagesToInstall: [""], kfpVersion: "latest" })).toEqual([
      "baseImage: is missing; allowed: the image to run the function in, pinned by digest (registry/path@sha256:<64 hex>)",
      "kfpVersion: \"latest\" is not a release number; allowed: such as \"2.14.3\"",
      'packagesToInstall: holds ""; allowed: non-empty strings',
    ]);
  });
});

describe("a Python component in a pipeline", () => {
  it("compiles with an image pinned by digest, and not with a tag", () => {
    const step: ContainerComponent = derive("one_liner");
    expect(() => compile(pipeline({ name: "p" }, (dag) => void dag.task(step, { x: 1 })))).not.toThrow();
    const tagged = pythonComponentFromSource({ source, function: "one_liner", baseImage: "python:3.11" });
    expect(() => compile(pipeline({ name: "p" }, (dag) => void dag.task(tagged, { x: 1 })))).toThrow('image "python:3.11" of component "one_liner" is not pinned by digest');
  });
});
