/**
 * Wiring mistakes are TypeScript errors: each `@ts-expect-error` below fails the typecheck
 * (`tsc --noEmit`) if the line after it ever compiles. The same mistakes made without types (plain
 * JavaScript, casts) are caught at compile time, which each test also asserts.
 */
import { describe, expect, it } from "vitest";
import { artifact, component, eq, ge, oneOf, param, pipeline } from "../../../pipelines/dsl";
import { compileProblems, PINNED, producer } from "../helpers/dsl";

const models = component({ name: "models", image: PINNED, outputs: { model: artifact("system.Model"), data: artifact("system.Dataset") } });
const train = component({
  name: "train",
  image: PINNED,
  inputs: { steps: param.integer(), note: param.string({ default: "x" }), data: artifact("system.Dataset"), extra: artifact("system.Artifact", { optional: true }) },
  args: ({ inputs }) => ["--steps", inputs.steps, `--note=${inputs.note}`, inputs.data.path],
});

describe("task arguments are typed by the component's inputs", () => {
  it("requires every required input", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      // @ts-expect-error `steps` is required
      dag.task(train, { data: dag.task(models).outputs.data });
    });
    expect(compileProblems(p)).toEqual(['task "train": missing required input "steps"; allowed: an integer (NUMBER_INTEGER)']);
  });

  it("rejects a STRING output for a NUMBER_INTEGER input, and a string literal", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const data = dag.task(models).outputs.data;
      // @ts-expect-error STRING channel into NUMBER_INTEGER
      dag.task(train, { steps: dag.task(producer).outputs.text, data });
      // @ts-expect-error a string literal into NUMBER_INTEGER
      dag.task(train, { steps: "100", data });
    });
    expect(compileProblems(p)).toEqual([
      'task "train": input "steps" expects an integer (NUMBER_INTEGER) but got STRING from task "producer" output "text"; allowed: a NUMBER_INTEGER value',
      'task "train-2": input "steps" expects an integer (NUMBER_INTEGER); got "100"',
    ]);
  });

  it("rejects an artifact of the wrong schema, but lets a system.Artifact input take any", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const made = dag.task(models).outputs;
      // @ts-expect-error system.Model into system.Dataset
      dag.task(train, { steps: 1, data: made.model });
      dag.task(train, { steps: 1, data: made.data, extra: made.model });
    });
    expect(compileProblems(p)).toEqual([
      'task "train": input "data" expects a system.Dataset artifact but got system.Model from task "models" output "model"; allowed: a system.Dataset output',
    ]);
  });

  it("checks a constant against the input's declared choices", () => {
    const pick = component({ name: "pick", image: PINNED, inputs: { mode: param.string({ choices: ["a", "b"] }) } });
    expect(compileProblems(pipeline({ name: "p" }, (dag) => void dag.task(pick, { mode: "c" })))).toEqual(['task "pick": input "mode" does not allow "c"; allowed: "a", "b"']);
  });

  it("rejects unknown inputs", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      // @ts-expect-error `epochs` is not an input of train
      dag.task(train, { steps: 1, data: dag.task(models).outputs.data, epochs: 3 });
    });
    expect(compileProblems(p)).toEqual(['task "train": unknown input "epochs"; allowed: steps, note, data, extra']);
  });
});

describe("control flow is typed", () => {
  it("compares a channel only with values of its own kind", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const out = dag.task(producer).outputs;
      // @ts-expect-error STRING compared with a number
      dag.if(eq(out.text, 3), (branch) => void branch.task(producer));
      // @ts-expect-error LIST values cannot be compared
      dag.if(eq(out.items, "a"), (branch) => void branch.task(producer));
      dag.if(ge(out.count, 0.5), (branch) => void branch.task(producer));
    });
    expect(compileProblems(p)).toEqual([
      'group "condition-1": compares STRING with NUMBER_INTEGER; allowed: operands of one kind (text, numbers, or booleans)',
      'group "condition-2": cannot compare channel producer-items; allowed: STRING, NUMBER_INTEGER, NUMBER_DOUBLE or BOOLEAN values',
    ]);
  });

  it("types loop items from the list's declared item type", () => {
    pipeline({ name: "p" }, (dag) => {
      const data = dag.task(models).outputs.data;
      dag.parallelFor(dag.task(producer).outputs.items, (loop, item) => {
        loop.task(train, { steps: item.field("steps", "NUMBER_INTEGER"), data });
      });
      dag.parallelFor(["a", "b"], (loop, item) => {
        // @ts-expect-error a STRING item into NUMBER_INTEGER
        loop.task(train, { steps: item, data });
        // Any item may have fields (the SDK reads `item.x` of a STRING item too); they are STRING unless stated.
        loop.task(train, { steps: item.field("x", "NUMBER_INTEGER"), data });
        // @ts-expect-error a field is STRING unless its type is stated
        loop.task(train, { steps: item.field("x"), data });
      });
    });
  });

  it("accepts oneOf only over outputs of one type", () => {
    pipeline({ name: "p" }, (dag) => {
      const flip = dag.task(producer).outputs.text;
      const [a, b] = dag.if(eq(flip, "a"), (branch) => branch.task(producer).outputs).else((branch) => branch.task(producer).outputs).results;
      oneOf(a.count, b.count);
      // @ts-expect-error NUMBER_INTEGER and STRING
      expect(() => oneOf(a.count, b.text)).toThrow("oneOf takes outputs of one type; got NUMBER_INTEGER, STRING");
    });
  });
});

describe("pipeline outputs are typed by their declarations", () => {
  it("rejects a returned channel of another type", () => {
    // @ts-expect-error `count` is NUMBER_INTEGER, declared STRING
    const p = pipeline({ name: "p", outputs: { r: param.string() } }, (dag) => ({ r: dag.task(producer).outputs.count }));
    expect(compileProblems(p)).toEqual(['output "r": is declared STRING but the body returns task "producer" output "count" of another type']);
  });
});
