/** IR features beyond the SDK samples, asserted on the exact compiled fields. */
import { describe, expect, it } from "vitest";
import { compile, compileToYaml, encodeParameterValues } from "../../../pipelines/compiler";
import { artifact, collected, component, eq, ge, oneOf, param, pipeline, system } from "../../../pipelines/dsl";
import { compileProblems, consumer, PINNED, producer } from "../helpers/dsl";

describe("command lines", () => {
  const tool = component({
    name: "tool",
    image: PINNED,
    inputs: { a: param.string(), opt: param.string({ optional: true }) },
    outputs: { o: artifact("system.Artifact") },
    args: ({ inputs, outputs, concat, ifPresent }) => [
      concat("--x=", inputs.a, "-", outputs.o.uri),
      ifPresent("opt", ["--opt", inputs.opt], ["--no-opt"]),
      concat("pre-", ifPresent("opt", inputs.opt)),
      `--meta=${outputs.o.metadataField("k")}`,
    ],
  });

  it("serializes Concat and IfPresent as the SDK's JSON strings", () => {
    const spec = compile(pipeline({ name: "p" }, (dag) => void dag.task(tool, { a: "v" })));
    expect(spec.deploymentSpec?.executors["exec-tool"].container?.args).toEqual([
      `{"Concat": ["--x=", "{{$.inputs.parameters['a']}}", "-", "{{$.outputs.artifacts['o'].uri}}"]}`,
      `{"IfPresent": {"InputName": "opt", "Then": ["--opt", "{{$.inputs.parameters['opt']}}"], "Else": ["--no-opt"]}}`,
      `{"Concat": ["pre-", {"IfPresent": {"InputName": "opt", "Then": "{{$.inputs.parameters['opt']}}"}}]}`,
      "--meta={{$.outputs.artifacts['o'].metadata['k']}}",
    ]);
    expect(spec.components?.["comp-tool"].inputDefinitions?.parameters?.opt).toEqual({ isOptional: true, parameterType: "STRING" });
  });

  it("refuses concat inside a template string", () => {
    expect(() => component({ name: "t", image: PINNED, args: ({ concat }) => [`${concat("a")}`] })).toThrow("concat(...) cannot be used inside a template string");
  });
});

describe("resources, environment, retries", () => {
  const gpu = component({
    name: "gpu",
    image: PINNED,
    env: { A: "1", B: "2" },
    resources: { cpuLimit: "500m", memoryLimit: "256Mi", accelerator: { type: "NVIDIA_H100_80GB", count: 8 } },
  });

  it("writes both the resource strings and the SDK's deprecated numbers", () => {
    const spec = compile(pipeline({ name: "p" }, (dag) => void dag.task(gpu)));
    expect(spec.deploymentSpec?.executors["exec-gpu"].container?.resources).toEqual({
      accelerator: { count: "8", resourceCount: "8", resourceType: "NVIDIA_H100_80GB", type: "NVIDIA_H100_80GB" },
      cpuLimit: 0.5,
      memoryLimit: 0.268435456,
      resourceCpuLimit: "500m",
      resourceMemoryLimit: "256Mi",
    });
  });

  it("lets a task replace resources and override environment in place", () => {
    const spec = compile(pipeline({ name: "p" }, (dag) => void dag.task(gpu, {}, { resources: { cpuRequest: 2, memoryRequest: "1Gi" }, env: { A: "x", C: "3" } })));
    const container = spec.deploymentSpec?.executors["exec-gpu"].container;
    expect(container?.resources).toEqual({ cpuRequest: 2, memoryRequest: 1.073741824, resourceCpuRequest: "2", resourceMemoryRequest: "1Gi" });
    expect(container?.env).toEqual([{ name: "A", value: "x" }, { name: "B", value: "2" }, { name: "C", value: "3" }]);
  });

  it("rejects resources Vertex AI does not offer", () => {
    expect(() => component({ name: "t", image: PINNED, resources: { cpuLimit: "lots", memoryLimit: "1TB", accelerator: { type: "nvidia.com/gpu" as never, count: 0 } } })).toThrow(
      /cpuLimit "lots" is not a CPU amount[\s\S]*memoryLimit "1TB" is not a memory amount[\s\S]*unknown accelerator type "nvidia.com\/gpu"; allowed: NVIDIA_TESLA_P100, [\s\S]*accelerator count 0 is not a positive integer/,
    );
  });

  it("writes a retry policy with integer counts and Duration strings", () => {
    const p = pipeline({ name: "p" }, (dag) => void dag.task(producer, {}, { retry: { maxRetries: 4, backoffSeconds: 30, backoffFactor: 1.5, backoffMaxSeconds: 600 } }));
    expect(compile(p).root.dag?.tasks.producer.retryPolicy).toEqual({ backoffDuration: "30s", backoffFactor: 1.5, backoffMaxDuration: "600s", maxRetryCount: 4 });
    expect(compileToYaml(p)).toContain("          maxRetryCount: 4\n");
  });
});

describe("values crossing into groups", () => {
  it("injects pipeline inputs and task outputs embedded in constants, per scope", () => {
    const spec = compile(
      pipeline({ name: "p", inputs: { bucket: param.string() } }, (dag, inputs) => {
        const first = dag.task(producer);
        dag.task(consumer, { text: `${inputs.bucket}/${first.outputs.text}` });
        dag.if(eq(first.outputs.text, "go"), (branch) => void branch.task(consumer, { text: `${inputs.bucket}/run` }));
        dag.task(consumer, { text: system.pipelineJobName });
      }),
    );
    expect(spec.root.dag?.tasks.consumer.inputs?.parameters).toEqual({
      "pipelinechannel--bucket": { componentInputParameter: "bucket" },
      "pipelinechannel--producer-text": { taskOutputParameter: { outputParameterKey: "text", producerTask: "producer" } },
      text: { runtimeValue: { constant: "{{$.inputs.parameters['pipelinechannel--bucket']}}/{{$.inputs.parameters['pipelinechannel--producer-text']}}" } },
    });
    expect(spec.components?.["comp-condition-1"].dag?.tasks["consumer-2"].inputs?.parameters).toEqual({
      "pipelinechannel--bucket": { componentInputParameter: "pipelinechannel--bucket" },
      text: { runtimeValue: { constant: "{{$.inputs.parameters['pipelinechannel--bucket']}}/run" } },
    });
    expect(spec.root.dag?.tasks["consumer-3"].inputs?.parameters?.text).toEqual({ runtimeValue: { constant: "{{$.pipeline_job_name}}" } });
    expect(spec.root.dag?.tasks["condition-1"].dependentTasks).toEqual(["producer"]);
  });

  it("feeds loop items and their fields embedded in constants from the loop's inputs", () => {
    const spec = compile(
      pipeline({ name: "p" }, (dag) => {
        dag.parallelFor([{ lang: "en" }], (loop, item) => void loop.task(consumer, { text: `translate ${item.field("lang")} of ${item}` }));
      }),
    );
    expect(spec.components?.["comp-for-loop-2"].dag?.tasks.consumer.inputs?.parameters).toEqual({
      "pipelinechannel--loop-item-param-1": { componentInputParameter: "pipelinechannel--loop-item-param-1" },
      "pipelinechannel--loop-item-param-1-subvar-lang": {
        componentInputParameter: "pipelinechannel--loop-item-param-1",
        parameterExpressionSelector: 'parseJson(string_value)["lang"]',
      },
      text: {
        runtimeValue: {
          constant: "translate {{$.inputs.parameters['pipelinechannel--loop-item-param-1-subvar-lang']}} of {{$.inputs.parameters['pipelinechannel--loop-item-param-1']}}",
        },
      },
    });
    expect(spec.root.dag?.tasks["for-loop-2"].parameterIterator).toEqual({ itemInput: "pipelinechannel--loop-item-param-1", items: { raw: '[{"lang": "en"}]' } });
  });

  it("passes a loop item's field through a condition inside the loop", () => {
    const spec = compile(
      pipeline({ name: "p" }, (dag) => {
        const made = dag.task(producer);
        dag.parallelFor(made.outputs.items, (loop, item) => {
          loop.if(ge(made.outputs.score, 0.5), (branch) => void branch.task(consumer, { text: item.field("name") }));
        });
      }),
    );
    expect(spec.components?.["comp-condition-2"].inputDefinitions?.parameters).toEqual({
      "pipelinechannel--producer-items-loop-item": { parameterType: "STRUCT" },
      "pipelinechannel--producer-score": { parameterType: "NUMBER_DOUBLE" },
    });
    expect(spec.components?.["comp-condition-2"].dag?.tasks.consumer.inputs?.parameters?.text).toEqual({
      componentInputParameter: "pipelinechannel--producer-items-loop-item",
      parameterExpressionSelector: 'parseJson(string_value)["name"]',
    });
    expect(spec.components?.["comp-for-loop-1"].dag?.tasks["condition-2"].triggerPolicy).toEqual({
      condition: "inputs.parameter_values['pipelinechannel--producer-score'] >= 0.5",
    });
  });

  it("publishes oneOf artifacts with one selector per branch, and feeds them into later groups", () => {
    const dataset = component({ name: "dataset", image: PINNED, outputs: { data: artifact("system.Dataset") } });
    const useData = component({ name: "use", image: PINNED, inputs: { data: artifact("system.Dataset") } });
    const spec = compile(
      pipeline({ name: "p", inputs: { mode: param.string() } }, (dag, inputs) => {
        const [a, b] = dag.if(eq(inputs.mode, "a"), (x) => x.task(dataset).outputs.data).else((x) => x.task(dataset).outputs.data).results;
        const data = oneOf(a, b);
        dag.task(useData, { data });
        dag.if(eq(inputs.mode, "b"), (later) => void later.task(useData, { data }));
      }),
    );
    expect(spec.components?.["comp-condition-branches-1"].dag?.outputs?.artifacts).toEqual({
      "pipelinechannel--condition-branches-1-oneof-1": {
        artifactSelectors: [
          { outputArtifactKey: "pipelinechannel--dataset-data", producerSubtask: "condition-2" },
          { outputArtifactKey: "pipelinechannel--dataset-2-data", producerSubtask: "condition-3" },
        ],
      },
    });
    expect(spec.root.dag?.tasks.use.inputs?.artifacts?.data).toEqual({
      taskOutputArtifact: { outputArtifactKey: "pipelinechannel--condition-branches-1-oneof-1", producerTask: "condition-branches-1" },
    });
    expect(spec.components?.["comp-condition-4"].dag?.tasks["use-2"].inputs?.artifacts?.data).toEqual({
      componentInputArtifact: "pipelinechannel--condition-branches-1-pipelinechannel--condition-branches-1-oneof-1",
    });
  });
});

describe("metrics and pipeline metadata", () => {
  const evaluate = component({ name: "evaluate", image: PINNED, outputs: { metrics: artifact("system.Metrics") } });

  it("surfaces a metrics output through every enclosing DAG, as the SDK does", () => {
    const spec = compile(pipeline({ name: "p", inputs: { go: param.boolean() } }, (dag, inputs) => void dag.if(eq(inputs.go, true), (b) => void b.task(evaluate))));
    expect(spec.components?.["comp-condition-1"].dag?.outputs?.artifacts).toEqual({
      "evaluate-metrics": { artifactSelectors: [{ outputArtifactKey: "metrics", producerSubtask: "evaluate" }] },
    });
    expect(spec.root.dag?.outputs?.artifacts).toEqual({
      "evaluate-metrics": { artifactSelectors: [{ outputArtifactKey: "evaluate-metrics", producerSubtask: "condition-1" }] },
    });
    expect(spec.root.dag?.tasks["condition-1"].triggerPolicy?.condition).toBe("inputs.parameter_values['pipelinechannel--go'] == true");
  });

  it("writes display name, pipeline root and a multi-line description in the header", () => {
    const p = pipeline(
      { name: "p", displayName: "My pipeline", pipelineRoot: "gs://root", description: "First line.\nSecond line.", inputs: { n: param.integer({ default: 3 }), tags: param.list({ default: ["a"] }) } },
      (dag) => void dag.task(evaluate),
    );
    expect(compile(p).pipelineInfo).toEqual({ description: "First line.\nSecond line.", displayName: "My pipeline", name: "p" });
    expect(compile(p).defaultPipelineRoot).toBe("gs://root");
    expect(compileToYaml(p).split("components:")[0]).toBe(
      [
        "# PIPELINE DEFINITION",
        "# Name: p",
        "# Description: First line.",
        "#              Second line.",
        "# Inputs:",
        "#    n: int [Default: 3.0]",
        "#    tags: list [Default: ['a']]",
        "# Outputs:",
        "#    evaluate-metrics: system.Metrics",
        "",
      ].join("\n"),
    );
  });
});

describe("artifact inputs of a pipeline (`data: Input[Dataset]` on the pipeline function)", () => {
  const useData = component({ name: "use", image: PINNED, inputs: { data: artifact("system.Dataset") } });
  const makeData = component({ name: "make", image: PINNED, outputs: { data: artifact("system.Dataset") } });
  const withData = pipeline({ name: "with-data", inputs: { data: artifact("system.Dataset"), go: param.boolean({ default: true }) } }, (dag, inputs) => {
    dag.task(useData, { data: inputs.data });
    dag.if(eq(inputs.go, true), (branch) => void branch.task(useData, { data: inputs.data }));
  });

  it("declares the artifact on the root and reads it directly at the top level, through an injected input in groups", () => {
    const spec = compile(withData);
    expect(spec.root.inputDefinitions).toEqual({
      artifacts: { data: { artifactType: { schemaTitle: "system.Dataset", schemaVersion: "0.0.1" } } },
      parameters: { go: { defaultValue: true, isOptional: true, parameterType: "BOOLEAN" } },
    });
    expect(spec.root.dag?.tasks.use.inputs?.artifacts?.data).toEqual({ componentInputArtifact: "data" });
    expect(spec.root.dag?.tasks["condition-1"].inputs?.artifacts).toEqual({ "pipelinechannel--data": { componentInputArtifact: "data" } });
    expect(spec.components?.["comp-condition-1"].inputDefinitions?.artifacts).toEqual({ "pipelinechannel--data": { artifactType: { schemaTitle: "system.Dataset", schemaVersion: "0.0.1" } } });
    expect(spec.components?.["comp-condition-1"].dag?.tasks["use-2"].inputs?.artifacts?.data).toEqual({ componentInputArtifact: "pipelinechannel--data" });
    expect(compileToYaml(withData)).toContain("# Inputs:\n#    data: system.Dataset\n#    go: bool [Default: True]\n");
  });

  it("takes a task's artifact when the pipeline runs as a task, and types that argument", () => {
    const outer = pipeline({ name: "outer" }, (dag) => {
      dag.task(withData, { data: dag.task(makeData).outputs.data });
      // @ts-expect-error a system.Model is not a system.Dataset
      dag.task(withData, { data: dag.importer({ artifactUri: "gs://b/m", schemaTitle: "system.Model" }).outputs.artifact });
    });
    expect(compile(pipeline({ name: "outer" }, (dag) => void dag.task(withData, { data: dag.task(makeData).outputs.data }))).root.dag?.tasks["with-data"].inputs?.artifacts?.data).toEqual({
      taskOutputArtifact: { outputArtifactKey: "data", producerTask: "make" },
    });
    expect(compileProblems(outer)).toEqual(['task "with-data-2": input "data" expects a system.Dataset artifact but got system.Model from task "importer" output "artifact"; allowed: a system.Dataset output']);
  });

  it("is not a run parameter: parameters, parameter values and defaults leave it out", () => {
    expect(withData.parameters.map((parameter) => parameter.name)).toEqual(["go"]);
    expect(encodeParameterValues(withData, { data: "gs://x" })).toEqual({ ok: false, errors: [{ param: "data", message: 'unknown parameter "data"; allowed: go' }] });
    expect(compileProblems(withData.withDefaults({ data: "gs://x" }))).toEqual(['default for "data": is an artifact input, which has no default; allowed: go']);
  });
});

describe("collected(...): a loop task's output after the loop (dsl.Collected)", () => {
  const double = component({ name: "double", image: PINNED, inputs: { n: param.integer() }, outputs: { out: param.integer(), model: artifact("system.Model") } });
  const sum = component({ name: "sum", image: PINNED, inputs: { nums: param.list({ items: "NUMBER_INTEGER" }) } });
  const pick = component({ name: "pick", image: PINNED, inputs: { models: artifact("system.Model", { list: true }) }, outputs: { best: artifact("system.Model") } });

  it("publishes the list from the loop and reads it from there, as a LIST or a list of artifacts", () => {
    const spec = compile(
      pipeline({ name: "p", inputs: { ns: param.list({ items: "NUMBER_INTEGER" }) } }, (dag, inputs) => {
        const doubled = dag.parallelFor(inputs.ns, (loop, n) => loop.task(double, { n }));
        dag.task(sum, { nums: collected(doubled.outputs.out) });
        dag.task(pick, { models: collected(doubled.outputs.model) });
      }),
    );
    expect(spec.components?.["comp-for-loop-1"].outputDefinitions).toEqual({
      artifacts: { "pipelinechannel--double-model": { artifactType: { schemaTitle: "system.Model", schemaVersion: "0.0.1" }, isArtifactList: true } },
      parameters: { "pipelinechannel--double-out": { parameterType: "LIST" } },
    });
    expect(spec.components?.["comp-for-loop-1"].dag?.outputs).toEqual({
      artifacts: { "pipelinechannel--double-model": { artifactSelectors: [{ outputArtifactKey: "model", producerSubtask: "double" }] } },
      parameters: { "pipelinechannel--double-out": { valueFromParameter: { outputParameterKey: "out", producerSubtask: "double" } } },
    });
    expect(spec.root.dag?.tasks.sum).toMatchObject({
      dependentTasks: ["for-loop-1"],
      inputs: { parameters: { nums: { taskOutputParameter: { outputParameterKey: "pipelinechannel--double-out", producerTask: "for-loop-1" } } } },
    });
    expect(spec.root.dag?.tasks.pick.inputs?.artifacts?.models).toEqual({ taskOutputArtifact: { outputArtifactKey: "pipelinechannel--double-model", producerTask: "for-loop-1" } });
  });

  it("types its arguments: a list of artifacts only where a list is declared", () => {
    const use = component({ name: "use", image: PINNED, inputs: { model: artifact("system.Model") } });
    const p = pipeline({ name: "p" }, (dag) => {
      const doubled = dag.parallelFor([1, 2], (loop, n) => loop.task(double, { n }));
      // @ts-expect-error a list of models into a single-model input
      dag.task(use, { model: collected(doubled.outputs.model) });
      // @ts-expect-error one model into a list input
      dag.task(pick, { models: dag.task(pick, { models: collected(doubled.outputs.model) }).outputs.best });
    });
    expect(compileProblems(p)).toEqual([
      'task "use": input "model" expects one system.Model artifact but got a list from collected(task "double" output "model"); allowed: a single artifact output',
      'task "pick-2": input "models" expects a list of system.Model artifacts but got one artifact from task "pick" output "best"; allowed: collected(...) of an output inside a loop, or a list output',
    ]);
  });

  it("reports what cannot be collected, and where", () => {
    const p = pipeline({ name: "p", inputs: { go: param.boolean() } }, (dag, inputs) => {
      const single = dag.task(double, { n: 1 });
      dag.task(sum, { nums: collected(single.outputs.out) });
      dag.parallelFor([1, 2], (loop, n) => {
        const inside = loop.task(double, { n });
        loop.task(sum, { nums: collected(inside.outputs.out) });
      });
      const guarded = dag.if(eq(inputs.go, true), (branch) => branch.parallelFor([1], (loop, n) => loop.task(double, { n }))).results[0];
      dag.task(sum, { nums: collected(guarded.outputs.out) });
      const later = dag.parallelFor([3], (loop, n) => loop.task(double, { n }));
      dag.task(consumer, { text: `${collected(later.outputs.out)}` });
    });
    expect(compileProblems(p)).toEqual([
      'task "sum": reads collected(task "double" output "out"), but that task is not in a parallelFor the reader is outside of; allowed: collected() of an output of a task inside a loop, read after the loop',
      'task "sum-2": reads collected(task "double-2" output "out"), but that task is not in a parallelFor the reader is outside of; allowed: collected() of an output of a task inside a loop, read after the loop',
      'task "sum-3": reads collected(task "double-3" output "out") from loops inside condition-3, which may not run; allowed: read it inside condition-3 too',
      'task "consumer": input "text" embeds collected(task "double-4" output "out") in a string; allowed: pass the collected list as the whole value of a LIST input',
    ]);
  });
});

describe("loop items and fields, typed as the SDK types them", () => {
  const printText = component({ name: "print-text", image: PINNED, inputs: { msg: param.string() } });
  const printStruct = component({ name: "print-struct", image: PINNED, inputs: { struct: param.struct() } });
  const count = component({ name: "count", image: PINNED, inputs: { n: param.integer() } });

  it("reads fields of a STRING item (a list without item type), and iterates over a field of another loop's item", () => {
    const spec = compile(
      pipeline({ name: "p", inputs: { rows: param.list() } }, (dag, inputs) => {
        dag.parallelFor(inputs.rows, (loop, row) => {
          loop.if(eq(row.field("kind"), "a"), (branch) => void branch.task(printText, { msg: row.field("name") }));
          loop.parallelFor(row.field("tags"), (inner, tag) => void inner.task(printText, { msg: tag }));
        });
      }),
    );
    expect(spec.components?.["comp-for-loop-1"].inputDefinitions?.parameters).toEqual({
      "pipelinechannel--rows": { parameterType: "LIST" },
      "pipelinechannel--rows-loop-item": { parameterType: "STRING" },
    });
    expect(spec.components?.["comp-for-loop-1"].dag?.tasks["condition-2"].inputs?.parameters?.["pipelinechannel--rows-loop-item-subvar-kind"]).toEqual({
      componentInputParameter: "pipelinechannel--rows-loop-item",
      parameterExpressionSelector: 'parseJson(string_value)["kind"]',
    });
    expect(spec.components?.["comp-for-loop-1"].dag?.tasks["for-loop-3"]).toMatchObject({
      inputs: { parameters: { "pipelinechannel--rows-loop-item-subvar-tags": { componentInputParameter: "pipelinechannel--rows-loop-item", parameterExpressionSelector: 'parseJson(string_value)["tags"]' } } },
      parameterIterator: { itemInput: "pipelinechannel--rows-loop-item-subvar-tags-loop-item", items: { inputParameter: "pipelinechannel--rows-loop-item-subvar-tags" } },
    });
    expect(spec.components?.["comp-for-loop-3"].inputDefinitions?.parameters?.["pipelinechannel--rows-loop-item-subvar-tags-loop-item"]).toEqual({ parameterType: "STRING" });
  });

  it("types a static list's fields by the first value of the first item, and a stated type must agree", () => {
    const ok = pipeline({ name: "p" }, (dag) => {
      dag.parallelFor([{ n: 1 }, { n: 2 }], (loop, item) => {
        loop.task(count, { n: item.field("n") });
        // @ts-expect-error an integer field into a STRING input
        loop.task(printText, { msg: item.field("n") });
      });
    });
    expect(compileProblems(ok)).toEqual(['task "print-text": input "msg" expects a string (STRING) but got NUMBER_INTEGER from field "n" of the item of for-loop-2; allowed: a STRING value']);
    const stated = pipeline({ name: "p" }, (dag) => dag.parallelFor([{ n: 1 }], (loop, item) => void loop.task(printText, { msg: item.field("n", "STRING") })));
    expect(compileProblems(stated)).toEqual([
      'field "n" of the item of for-loop-2: is stated STRING, but the SDK types this loop\'s fields NUMBER_INTEGER (from the first value of the first item); allowed: leave the type out, or NUMBER_INTEGER',
    ]);
  });

  it("lets an item the SDK types STRING into any parameter input, as the SDK's type check does", () => {
    const p = pipeline({ name: "p", inputs: { rows: param.list() } }, (dag, inputs) => {
      dag.parallelFor(inputs.rows, (loop, row) => void loop.task(printStruct, { struct: row as never }));
    });
    expect(compileProblems(p)).toEqual([]);
  });
});
