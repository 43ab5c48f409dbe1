/**
 * Loading components from YAML, as `load_component_from_text/file/url` do: the KFP v1
 * `component.yaml` files of `shared/kfp/components-v1`, and compiled KFP v2 components (the
 * SDK-compiled samples of single components load back to themselves). Three SDK samples also
 * load their components this way (`samples/two_step_pipeline.ts`, `pipeline_with_after.ts`,
 * `pipeline_with_env.ts`) and compile byte for byte.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadComponentFromFile, loadComponentFromUrl } from "../../../pipelines/components";
import { compile, compileToYaml } from "../../../pipelines/compiler";
import { artifact, loadComponentFromText, param, pipeline, type ContainerComponent } from "../../../pipelines/dsl";
import { PINNED } from "../helpers/dsl";
import { KFP_DIR } from "../helpers/proto";
import { hasSamples, readSample, withoutSdkVersion } from "../helpers/samples";

const V1_DIR = path.join(KFP_DIR, "components-v1");
const options = { allowUnpinnedImages: true };

/** The compiled component and executor of a one-task pipeline running `component`. */
function compiled(component: ContainerComponent, args: Record<string, unknown> = {}) {
  const spec = compile(pipeline({ name: "p" }, (dag) => void dag.task(component, args as never)), options);
  const [componentName] = Object.keys(spec.components ?? {});
  const [executorName] = Object.keys(spec.deploymentSpec?.executors ?? {});
  return { component: spec.components?.[componentName], container: spec.deploymentSpec?.executors[executorName].container, task: spec.root.dag?.tasks, names: [componentName, executorName] };
}

describe.skipIf(!fs.existsSync(V1_DIR))("the KFP v1 component.yaml files of shared/kfp/components-v1 (skipped: not found)", () => {
  const load = (file: string) => loadComponentFromFile(path.join(V1_DIR, file));

  it("add_component.yaml: parameters by value, an output parameter by file, input names made Python names", () => {
    const add = load("add_component.yaml");
    expect(add.name).toBe("Add");
    expect(add.description).toBe("Component to add two numbers\n");
    const result = compiled(add, { op_1: 1, op2: 2 });
    expect(result.names).toEqual(["comp-add", "exec-add"]);
    expect(result.component).toEqual({
      executorLabel: "exec-add",
      inputDefinitions: { parameters: { op2: { parameterType: "NUMBER_INTEGER" }, op_1: { parameterType: "NUMBER_INTEGER" } } },
      outputDefinitions: { parameters: { sum: { parameterType: "NUMBER_INTEGER" } } },
    });
    expect(result.container).toEqual({
      image: "google/cloud-sdk:latest",
      command: ["sh", "-c", 'set -e -x\necho "$(($0+$1))" | gsutil cp - "$2"\n', "{{$.inputs.parameters['op_1']}}", "{{$.inputs.parameters['op2']}}", "{{$.outputs.parameters['sum'].output_file}}"],
    });
  });

  it("concat_placeholder_component.yaml: concat becomes the SDK's Concat JSON", () => {
    const result = compiled(load("concat_placeholder_component.yaml"), { input_prefix: "x" });
    expect(result.names).toEqual(["comp-component-with-concat-placeholder", "exec-component-with-concat-placeholder"]);
    expect(result.container?.args).toEqual(["--arg0", `{"Concat": ["{{$.inputs.parameters['input_prefix']}}", "some value"]}`]);
  });

  it("fancy_trainer_component.yaml: artifacts typed from their v1 type names, by URI", () => {
    const trainer = load("fancy_trainer_component.yaml");
    expect(trainer.inputs).toEqual({ examples: artifact("system.Dataset"), optimizer: param.string(), n_epochs: param.integer() });
    expect(trainer.outputs).toEqual({ model: artifact("system.Model") });
    const data = pipeline({ name: "p" }, (dag) => {
      const examples = dag.importer({ artifactUri: "gs://b/examples", schemaTitle: "system.Dataset" }).outputs.artifact;
      dag.task(trainer, { examples, optimizer: "adam", n_epochs: 3 } as never);
    });
    expect(compile(data, options).deploymentSpec?.executors["exec-trainer"].container?.args).toEqual([
      "--input-examples",
      "{{$.inputs.artifacts['examples'].uri}}",
      "--optimizer",
      "{{$.inputs.parameters['optimizer']}}",
      "--n_epochs",
      "{{$.inputs.parameters['n_epochs']}}",
      "--output-model",
      "{{$.outputs.artifacts['model'].uri}}",
    ]);
  });

  it("if_placeholder_component.yaml: if/isPresent becomes IfPresent over optional inputs", () => {
    const result = compiled(load("if_placeholder_component.yaml"), { required_input: "r" });
    expect(result.component?.inputDefinitions?.parameters).toEqual({
      optional_input_1: { isOptional: true, parameterType: "STRING" },
      optional_input_2: { isOptional: true, parameterType: "STRING" },
      required_input: { parameterType: "STRING" },
    });
    expect(result.container?.args).toEqual([
      "--arg0",
      "{{$.inputs.parameters['required_input']}}",
      `{"IfPresent": {"InputName": "optional_input_1", "Then": ["--arg1", "{{$.inputs.parameters['optional_input_1']}}"]}}`,
      `{"IfPresent": {"InputName": "optional_input_2", "Then": ["--arg2", "{{$.inputs.parameters['optional_input_2']}}"], "Else": ["--arg3", "default value"]}}`,
    ]);
  });

  it("types tasks by a declaration, which must match the file", () => {
    const add = loadComponentFromFile(path.join(V1_DIR, "add_component.yaml"), { inputs: { op_1: param.integer(), op2: param.integer() }, outputs: { sum: param.integer() } });
    pipeline({ name: "p" }, (dag) => {
      const first = dag.task(add, { op_1: 1, op2: 2 });
      // @ts-expect-error op2 is an integer
      dag.task(add, { op_1: first.outputs.sum, op2: "2" });
    });
    expect(() => loadComponentFromFile(path.join(V1_DIR, "add_component.yaml"), { inputs: { op_1: param.double(), op2: param.integer() } })).toThrow(
      'input "op_1": the component YAML declares NUMBER_INTEGER; the TypeScript declaration says NUMBER_DOUBLE',
    );
  });
});

describe("v1 types, defaults and placeholders, as from_v1_component_spec reads them", () => {
  const v1 = (inputs: string, args: string, outputs = "") =>
    `name: Tool\ninputs:\n${inputs}\n${outputs ? `outputs:\n${outputs}\n` : ""}implementation:\n  container:\n    image: gcr.io/p/tool\n    args:\n${args}\n`;

  it("casts string defaults to the declared type, and reads YAML as PyYAML does (1.1)", () => {
    const tool = loadComponentFromText(
      v1(
        [
          "- {name: Steps, type: Integer, default: '10'}",
          "- {name: rate, type: Float, default: '0.5'}",
          "- {name: flag, type: Boolean, default: 'yes'}",
          "- {name: quiet, type: Boolean, default: off}",
          "- {name: n, type: String, default: 3}",
          "- {name: tags, type: JsonArray, default: '[\"a\"]'}",
          "- {name: opts, type: 'typing.Dict[str, int]', default: {a: 1}}",
          "- {name: maybe, type: String, optional: true}",
          "- {name: any}",
          "- {name: bq, type: google.BQTable, optional: true}",
        ].join("\n"),
        "    - {inputValue: Steps}",
      ),
    );
    expect(tool.inputs).toEqual({
      steps: param.integer({ default: 10 }),
      rate: param.double({ default: 0.5 }),
      flag: param.boolean({ default: true }),
      quiet: param.boolean({ default: false }),
      n: param.string({ default: "3" }),
      tags: param.list({ default: ["a"] }),
      opts: param.struct({ default: { a: 1 } }),
      maybe: param.string({ optional: true }),
      any: artifact("system.Artifact"),
      bq: artifact("google.BQTable", { optional: true }),
    });
  });

  it("reports every placeholder KFP v2 cannot run, and a missing container", () => {
    const problems = () =>
      loadComponentFromText(
        v1(
          "- {name: data, type: Dataset}\n- {name: n, type: Integer}",
          ["    - {inputValue: data}", "    - {inputPath: n}", "    - {inputValue: missing}", "    - {outputUri: count}", "    - {outputMetadata: x}", "    - {a: 1, b: 2}"].join("\n"),
          "- {name: count, type: Integer}",
        ),
      );
    expect(problems).toThrow(
      [
        "Component YAML <text> has 6 problems:",
        '  args[0]: inputValue of "data", which is an artifact; allowed: inputPath or inputUri (KFP v2 passes artifacts by reference)',
        '  args[1]: a path or URI of "n", which is a parameter; allowed: inputValue (KFP v2 passes parameters by value)',
        '  args[2]: inputValue names "missing", which is not an input; allowed: data, n',
        '  args[3]: outputUri of "count", which is a parameter; allowed: outputPath (parameters have no URI)',
        "  args[4]: the placeholder outputMetadata is not one KFP v2 converts; allowed: inputValue, inputPath, inputUri, outputPath, outputUri, executorInput, concat, if",
        '  args[5]: {"a":1,"b":2} has 2 keys; allowed: one placeholder such as {inputValue: name}',
      ].join("\n"),
    );
    expect(() => loadComponentFromText("name: x\nimplementation:\n  graph: {}\n", { sourceName: "x.yaml" })).toThrow(
      "Component YAML x.yaml has 2 problems:\n  implementation: has no container; allowed: implementation.container (graph implementations of KFP v1 are not supported, as in the SDK)\n  implementation.container.image: is missing",
    );
    expect(() => loadComponentFromText("name: [x\n")).toThrow(/^Component YAML <text> has 1 problem:\n {2}YAML: /);
  });

  it("takes a pinned image in place of the published tag", () => {
    const tool = loadComponentFromText(v1("- {name: x, type: String}", "    - {inputValue: x}"), { image: PINNED });
    expect(() => compile(pipeline({ name: "p" }, (dag) => void dag.task(tool, { x: "a" } as never)))).not.toThrow();
    expect(compile(pipeline({ name: "p" }, (dag) => void dag.task(tool, { x: "a" } as never))).deploymentSpec?.executors["exec-tool"].container?.image).toBe(PINNED);
  });
});

describe.skipIf(!hasSamples())("compiled KFP v2 components load back to themselves", () => {
  it.each([
    ["input_artifact", (c: ContainerComponent) => pipeline({ name: "input-artifact", inputs: { data: artifact("system.Dataset") } }, (dag, inputs) => void dag.task(c, { data: inputs.data } as never))],
    ["component_with_pip_install", (c: ContainerComponent) => pipeline({ name: "component-with-pip-install" }, (dag) => void dag.task(c))],
  ] as const)("%s: the SDK's compiled component, loaded and compiled again, is the same file", (name, wrap) => {
    const loaded = loadComponentFromText(readSample(name), { sourceName: `${name}.yaml` });
    expect(withoutSdkVersion(compileToYaml(wrap(loaded), options))).toBe(withoutSdkVersion(readSample(name)));
  });

  it("keeps the environment, drops descriptions and resources (as the SDK's loader does), and refuses a pipeline DAG", () => {
    const tool = loadComponentFromText(
      compileToYaml(
        pipeline({ name: "tool" }, (dag) => {
          dag.task(
            loadComponentFromText("name: tool\ninputs:\n- {name: x, type: String, description: the x}\nimplementation:\n  container:\n    image: a\n    env: {A: '1'}\n    args: [{inputValue: x}]\n"),
            { x: "v" } as never,
            { resources: { cpuLimit: 2 } },
          );
        }),
        options,
      ),
    );
    expect(tool.env).toEqual({ A: "1" });
    expect(tool.resources).toBeUndefined();
    expect(() => loadComponentFromText(readSample("pipeline_with_condition"))).toThrow("has no container executor exec-single-condition-pipeline; allowed: a compiled single-container component");
  });
});

describe("loading from a URL", () => {
  const text = "name: Echo\nimplementation:\n  container:\n    image: alpine\n    command: [echo, hi]\n";
  const sha256 = "2b13c9ab9f7e4b3f0eaaf40c49e76d1db2d7ab71a3a23bd8d66e35bde20b7c4d";
  const served = (body: string, status = 200) => {
    const requested: string[] = [];
    return { requested, fetch: async (url: string) => (requested.push(url), { ok: status === 200, status, text: async () => body }) };
  };

  it("reads gs:// through storage.googleapis.com and checks the content against a pinned SHA-256", async () => {
    const server = served(text);
    const actual = (await import("node:crypto")).createHash("sha256").update(text).digest("hex");
    const echo = await loadComponentFromUrl("gs://bucket/echo.yaml", { fetch: server.fetch, sha256: actual });
    expect(server.requested).toEqual(["https://storage.googleapis.com/bucket/echo.yaml"]);
    expect(echo.command).toEqual(["echo", "hi"]);
    await expect(loadComponentFromUrl("https://example.com/echo.yaml", { fetch: server.fetch, sha256 })).rejects.toThrow(`content has SHA-256 ${actual}, not the pinned ${sha256}`);
    await expect(loadComponentFromUrl("https://example.com/missing.yaml", { fetch: served("", 404).fetch })).rejects.toThrow("component https://example.com/missing.yaml: HTTP 404");
  });
});
