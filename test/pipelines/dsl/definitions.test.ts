/** Definition-time behaviour of the DSL: component checks, group numbering, misuse of control flow. */
import { describe, expect, it } from "vitest";
import { compile } from "../../../pipelines/compiler";
import { artifact, component, eq, oneOf, param, pipeline, PipelineDefinitionError, taskFinalStatus } from "../../../pipelines/dsl";
import { compileProblems, consumer, PINNED, producer } from "../helpers/dsl";

describe("component()", () => {
  it("reports every problem of a definition at once", () => {
    const define = () =>
      component({
        name: "__",
        image: " ",
        inputs: { "bad-name": param.string(), n: param.integer({ default: 1.5 }), mode: param.string({ default: "c", choices: ["a", "b"] }), need: param.string() },
        env: { "1X": "v" },
        args: ({ ifPresent }) => [ifPresent("need" as never, ["x"])],
      });
    expect(define).toThrow(PipelineDefinitionError);
    expect(define).toThrow(
      [
        'Component "__" has 7 problems:',
        '  name: "__" has no letters or digits; allowed: a name such as "train-model"',
        "  image: is empty; allowed: an image pinned by digest, registry/path@sha256:<64 hex>",
        '  input "bad-name": is not a valid name; allowed: letters, digits and _, not starting with a digit',
        '  input "n": default 1.5 is not of type NUMBER_INTEGER',
        '  input "mode": default "c" is not one of its choices; allowed: "a", "b"',
        '  env "1X": is not a valid variable name; allowed: letters, digits and _, not starting with a digit',
        '  command line: ifPresent tests input "need", which is not an optional input; allowed: n, mode',
      ].join("\n"),
    );
  });
});

describe("group numbering follows the SDK", () => {
  it("gives an if/elif/else chain's wrapper the if's number and renumbers the if, as dsl.Elif does", () => {
    const spec = compile(
      pipeline({ name: "p" }, (dag) => {
        const flip = dag.task(producer).outputs.text;
        dag
          .if(eq(flip, "a"), (branch) => void branch.parallelFor(["x"], (loop, item) => void loop.task(consumer, { text: item })))
          .elif(eq(flip, "b"), (branch) => void branch.task(producer))
          .else((branch) => void branch.task(producer));
      }),
    );
    const branches = spec.components?.["comp-condition-branches-1"].dag?.tasks ?? {};
    expect(Object.keys(branches).sort()).toEqual(["condition-4", "condition-5", "condition-6"]);
    expect(Object.keys(spec.components?.["comp-condition-4"].dag?.tasks ?? {})).toEqual(["for-loop-3"]);
    expect(branches["condition-5"].triggerPolicy?.condition).toBe(
      "!(inputs.parameter_values['pipelinechannel--producer-text'] == 'a') && inputs.parameter_values['pipelinechannel--producer-text'] == 'b'",
    );
    expect(branches["condition-6"].triggerPolicy?.condition).toBe(
      "!(inputs.parameter_values['pipelinechannel--producer-text'] == 'a') && !(inputs.parameter_values['pipelinechannel--producer-text'] == 'b')",
    );
  });
});

describe("control-flow misuse", () => {
  it("requires elif/else to follow their if directly, once", () => {
    expect(() =>
      pipeline({ name: "p" }, (dag) => {
        const chain = dag.if(eq(dag.task(producer).outputs.text, "a"), (b) => void b.task(producer));
        dag.task(producer);
        chain.else((b) => void b.task(producer));
      }),
    ).toThrow('elif/else must directly follow its if: "producer-3" was added in between');
    expect(() =>
      pipeline({ name: "p" }, (dag) => {
        const chain = dag.if(eq(dag.task(producer).outputs.text, "a"), (b) => void b.task(producer));
        chain.elif(eq(dag.task(producer).outputs.text, "b"), (b) => void b.task(producer));
      }),
    ).toThrow('elif/else must directly follow its if: "producer-3" was added in between');
    expect(() =>
      pipeline({ name: "p" }, (dag) => {
        const chain = dag.if(eq(dag.task(producer).outputs.text, "a"), (b) => void b.task(producer));
        chain.else((b) => void b.task(producer));
        chain.else((b) => void b.task(producer));
      }),
    ).toThrow("this if-chain was already continued");
  });

  it("refuses tasks added through a scope whose body has returned", () => {
    expect(() =>
      pipeline({ name: "p" }, (dag) => {
        const inner = dag.if(eq(dag.task(producer).outputs.text, "a"), (branch) => branch).results[0];
        inner.task(producer);
      }),
    ).toThrow("this scope's body has already returned");
  });

  it("checks oneOf takes one output per branch of a chain that ends with else", () => {
    pipeline({ name: "p" }, (dag) => {
      const flip = dag.task(producer).outputs.text;
      const [a, b] = dag.if(eq(flip, "a"), (x) => x.task(producer).outputs.text).else((x) => x.task(producer).outputs.text).results;
      expect(oneOf(a, b).type).toBe("STRING");
      expect(() => oneOf(a, a)).toThrow("oneOf takes exactly one output from each of the 2 branches of condition-branches-1");
      expect(() => oneOf(a, flip)).toThrow("oneOf takes task outputs produced inside the branches of one if/elif/else chain");
      const [c, d] = dag.if(eq(flip, "c"), (x) => x.task(producer).outputs.text).elif(eq(flip, "d"), (x) => x.task(producer).outputs.text).results;
      expect(() => oneOf(c, d)).toThrow("oneOf needs the chain condition-branches-4 to end with else");
    });
  });
});

describe("pipeline declarations", () => {
  it("requires declared outputs to be returned, from the top level", () => {
    const p = pipeline({ name: "p", outputs: { a: param.string(), b: param.string() } }, (dag) => {
      const inner = dag.if(eq(dag.task(producer).outputs.text, "x"), (branch) => branch.task(producer)).results[0];
      return { a: inner.outputs.text, c: inner.outputs.text } as never;
    });
    expect(compileProblems(p)).toEqual([
      'output "c": is returned but not declared; allowed: a, b',
      'output "b": is declared but the body does not return it',
      'output "a": returns task "producer-2" output "text", which is not produced at the top level; allowed: outputs of top-level tasks, a top-level oneOf, or collected(...) of an output inside a loop',
    ]);
  });

  it("accepts parameters and artifacts as pipeline inputs, nothing else, and needs at least one task", () => {
    const p = pipeline({ name: "p", inputs: { data: artifact("system.Dataset"), status: taskFinalStatus() } as never }, () => undefined);
    expect(compileProblems(p)).toEqual([
      'input "status": is neither a parameter nor an artifact; allowed: param.string(), …, artifact("system.Dataset")',
      "pipeline: has no tasks; allowed: a body that adds at least one task",
    ]);
  });

  it("rejects a group whose body adds nothing", () => {
    const p = pipeline({ name: "p" }, (dag) => void dag.if(eq(dag.task(producer).outputs.text, "x"), () => undefined));
    expect(compileProblems(p)).toEqual(['group "condition-1": has an empty body; allowed: a body that adds at least one task']);
  });

  it("checks parallelFor arguments", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      dag.parallelFor([], (loop) => void loop.task(producer));
      dag.parallelFor([1.5, 2], (loop) => void loop.task(producer), { parallelism: -1 });
      dag.parallelFor([() => 1] as never, (loop) => void loop.task(producer));
    });
    expect(compileProblems(p)).toEqual([
      "parallelFor: the static list is empty; allowed: a list with at least one item",
      "parallelFor: parallelism -1 is not a whole number ≥ 0; allowed: 0 (unlimited), 1, 2, …",
      "parallelFor: the static list holds values that are not JSON; allowed: strings, numbers, booleans, objects",
    ]);
    expect(() => pipeline({ name: "p" }, (dag) => void dag.parallelFor(dag.importer({ artifactUri: "gs://b/o", schemaTitle: "system.Dataset" }).outputs.artifact as never, () => undefined))).toThrow(
      "parallelFor over a system.Dataset artifact channel is not supported; allowed: a LIST parameter channel, a field of a loop item, or a static list",
    );
  });

  it("runs only components and pipelines as tasks", () => {
    expect(() => pipeline({ name: "p" }, (dag) => void dag.task({ name: "x", inputs: {}, outputs: {} }))).toThrow("dag.task() runs a component() or a pipeline(); got an object");
  });

  it("derives the task name from the component name", () => {
    const spec = compile(pipeline({ name: "p" }, (dag) => void dag.task(component({ name: "Train Model!", image: PINNED }))));
    expect(Object.keys(spec.root.dag?.tasks ?? {})).toEqual(["train-model"]);
    expect(spec.root.dag?.tasks["train-model"].componentRef.name).toBe("comp-train-model");
  });
});
