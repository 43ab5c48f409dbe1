/** Mistakes the types cannot catch are compile errors that say what is wrong and what is allowed. */
import { describe, expect, it } from "vitest";
import { compile, compileToYaml } from "../../../pipelines/compiler";
import { artifact, component, eq, param, pipeline, PipelineDefinitionError, taskFinalStatus } from "../../../pipelines/dsl";
import { compileProblems, consumer, PINNED, producer } from "../helpers/dsl";

describe("pipeline names", () => {
  it.each(["My_Pipeline", "-leading-dash", "", "a".repeat(129), "spaces here"])("rejects %j", (name) => {
    const p = pipeline({ name }, (dag) => void dag.task(producer));
    expect(compileProblems(p)).toEqual([expect.stringMatching(/^name: .* is not a valid pipeline name; allowed: \^\[a-z0-9\]\[a-z0-9-\]\{0,127\}\$/)]);
  });

  it("accepts the longest valid name", () => {
    expect(compileProblems(pipeline({ name: `a${"-".repeat(127)}` }, (dag) => void dag.task(producer)))).toEqual([]);
  });
});

describe("images", () => {
  it.each(["alpine", "python:3.11", "gcr.io/x/y:latest", "gcr.io/x/y@sha256:abc"])("rejects %j, which is not pinned by digest", (image) => {
    const unpinned = component({ name: "tool", image });
    expect(compileProblems(pipeline({ name: "p" }, (dag) => void dag.task(unpinned)))).toEqual([
      `task "tool": image "${image}" of component "tool" is not pinned by digest; allowed: registry/path@sha256:<64 hex digits>, so every run uses the same bytes`,
    ]);
  });

  it("accepts tags only when the caller opts in (SDK parity fixtures)", () => {
    const p = pipeline({ name: "p" }, (dag) => void dag.task(component({ name: "tool", image: "alpine" })));
    expect(() => compile(p, { allowUnpinnedImages: true })).not.toThrow();
  });
});

describe("task names", () => {
  it("rejects a duplicate explicit name and an invalid one", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      dag.task(producer, {}, { name: "fetch" });
      dag.task(producer, {}, { name: "fetch" });
      dag.task(producer, {}, { name: "Fetch_Data" });
    });
    expect(compileProblems(p)).toEqual([
      'task "fetch": duplicate task name; allowed: a name not used by another task of this pipeline',
      'task "Fetch_Data": is not a valid task name; allowed: lower-case letters, digits and single dashes, such as "train-model"',
    ]);
  });

  it("rejects a task named like a group of the same DAG", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      dag.parallelFor(["a"], (loop, item) => void loop.task(consumer, { text: item }));
      dag.task(producer, {}, { name: "for-loop-2" });
    });
    expect(compileProblems(p)).toEqual(['task "for-loop-2": has the name of a group in the same DAG; allowed: a name other than condition-N, for-loop-N, exit-handler-N']);
  });

  it("numbers derived names pipeline-wide instead of failing", () => {
    const spec = compile(pipeline({ name: "p" }, (dag) => {
      dag.task(producer);
      dag.if(eq(dag.task(producer).outputs.text, "x"), (branch) => void branch.task(producer));
    }));
    expect(Object.keys(spec.root.dag?.tasks ?? {}).sort()).toEqual(["condition-1", "producer", "producer-2"]);
    expect(Object.keys(spec.components?.["comp-condition-1"].dag?.tasks ?? {})).toEqual(["producer-3"]);
  });
});

describe("cycles", () => {
  it("reports a cycle made with .after()", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const a = dag.task(producer);
      const b = dag.task(consumer, { text: a.outputs.text });
      a.after(b);
    });
    expect(compileProblems(p)).toEqual([expect.stringMatching(/dependency cycle (producer → consumer → producer|consumer → producer → consumer); allowed: an order without cycles/)]);
  });
});

describe("values used out of scope", () => {
  it("rejects reading a task output from inside a condition, from outside it", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const inner = dag.if(eq(dag.task(producer).outputs.text, "go"), (branch) => branch.task(producer)).results[0];
      dag.task(consumer, { text: inner.outputs.text });
    });
    expect(compileProblems(p)).toEqual([
      'task "consumer": depends on "producer-2" inside condition-1, which may not run; allowed: move the task into condition-1, or use oneOf over an if/elif/else',
    ]);
  });

  it("rejects reading a loop's per-iteration output after the loop, but allows .after()", () => {
    const reading = pipeline({ name: "p" }, (dag) => {
      const inner = dag.parallelFor(["a", "b"], (loop, item) => loop.task(consumer, { text: item }));
      dag.task(consumer, { text: `${inner.name}` });
      dag.task(consumer, { text: dag.parallelFor(["c"], (loop) => loop.task(producer)).outputs.text });
    });
    expect(compileProblems(reading)).toEqual([
      'task "consumer-3": reads an output of "producer" inside for-loop-4, which has one value per iteration; allowed: use it inside the loop, collect every value with collected(...), or order with .after()',
    ]);
    const ordering = pipeline({ name: "q" }, (dag) => {
      const inner = dag.parallelFor(["a"], (loop, item) => loop.task(consumer, { text: item }));
      dag.task(producer).after(inner);
    });
    expect(compile(ordering).root.dag?.tasks.producer.dependentTasks).toEqual(["for-loop-2"]);
  });

  it("rejects a loop item used outside its loop", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const item = dag.parallelFor(["a"], (loop, loopItem) => {
        loop.task(consumer, { text: loopItem });
        return loopItem;
      });
      dag.task(consumer, { text: item });
    });
    expect(compileProblems(p)).toContain('task "consumer-2": reads the item of for-loop-2 outside that loop; allowed: tasks inside for-loop-2');
  });

  it("rejects a value of another pipeline", () => {
    let foreign = "";
    pipeline({ name: "other" }, (dag) => {
      foreign = `${dag.task(producer).outputs.text}`;
    });
    const p = pipeline({ name: "p" }, (dag) => void dag.task(consumer, { text: foreign }));
    expect(compileProblems(p)).toEqual([
      expect.stringMatching(/^task "consumer": input "text" embeds \{\{channel:\d+\}\}, a value of another pipeline; allowed: values of this pipeline \(pass others in as pipeline inputs\)$/),
    ]);
  });
});

describe("exit handlers", () => {
  const reporter = component({ name: "reporter", image: PINNED, inputs: { status: taskFinalStatus() } });

  it("fills the final status only for an exit task", () => {
    expect(compileProblems(pipeline({ name: "p" }, (dag) => void dag.task(reporter)))).toEqual([
      'task "reporter": has a taskFinalStatus() input but is not an exit task; allowed: use the component as the exit task of dag.exitHandler()',
    ]);
  });

  it("rejects an exit task that depends on other tasks, and one nested below the top level", () => {
    const p = pipeline({ name: "p" }, (dag) => {
      const first = dag.task(producer);
      const exit = dag.task(reporter).after(first);
      dag.exitHandler(exit, (guarded) => {
        const inner = guarded.task(reporter);
        guarded.exitHandler(inner, (nested) => void nested.task(producer));
      });
    });
    expect(compileProblems(p)).toEqual([
      'task "reporter-2": exitHandler can only be used at the top level of a pipeline, as in the SDK',
      'task "reporter": is an exit task but depends on other tasks; allowed: pipeline inputs and constants only, as the SDK requires',
    ]);
  });
});

describe("defaults set with withDefaults", () => {
  const p = pipeline({ name: "p", inputs: { text: param.string(), count: param.integer({ choices: [1, 2, 3] }) } }, (dag, inputs) => {
    dag.task(consumer, { text: inputs.text, count: inputs.count });
  });

  it("reports a name that is not an input, a value of the wrong type and one outside the choices, together", () => {
    expect(compileProblems(p.withDefaults({ txt: "x", text: 3, count: 4 }))).toEqual([
      'input "text": default 3 is not of type STRING',
      'input "count": default 4 is not one of its choices; allowed: 1, 2, 3',
      'default for "txt": is not an input of the pipeline; allowed: text, count',
    ]);
  });

  it("leaves the pipeline it was called on unchanged", () => {
    const before = compileToYaml(p);
    p.withDefaults({ text: "x", count: 2 });
    expect(compileToYaml(p)).toBe(before);
    expect(p.parameters.map((q) => q.optional)).toEqual([false, false]);
  });
});

describe("reporting", () => {
  it("lists every problem in one error, each with where it is", () => {
    const p = pipeline({ name: "Bad Name" }, (dag) => {
      dag.task(component({ name: "tool", image: "alpine" }));
      dag.task(consumer, { text: 3 } as never);
    });
    expect(() => compile(p)).toThrow(PipelineDefinitionError);
    expect(() => compile(p)).toThrow(
      [
        'Pipeline "Bad Name" has 3 problems:',
        '  name: "Bad Name" is not a valid pipeline name; allowed: ^[a-z0-9][a-z0-9-]{0,127}$, e.g. "tune-and-evaluate"',
        '  task "tool": image "alpine" of component "tool" is not pinned by digest; allowed: registry/path@sha256:<64 hex digits>, so every run uses the same bytes',
        '  task "consumer": input "text" expects a string (STRING); got 3',
      ].join("\n"),
    );
  });
});

describe("messages for JavaScript callers, whose declarations the types did not check", () => {
  it("names a parameter without a valid type, and reads well where its channel is used", () => {
    expect(() => component({ name: "tool", image: PINNED, outputs: { out: { kind: "parameter" } as never } })).toThrow(
      'Component "tool" has 1 problem:\n  output "out": type undefined is not a parameter type; allowed: STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT',
    );
    const reader = component({ name: "reader", image: PINNED, inputs: { data: artifact("system.Dataset"), n: param.integer() } });
    const p = pipeline({ name: "p", inputs: { x: { kind: "parameter", optional: false } as never } }, (dag, inputs) => {
      dag.task(reader, { data: inputs.x, n: inputs.x } as never);
    });
    expect(compileProblems(p)).toEqual([
      'input "x": type undefined is not a parameter type; allowed: STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT',
      'task "reader": input "data" expects a system.Dataset artifact but got an undefined parameter from pipeline input "x"',
      'task "reader": input "n" expects an integer (NUMBER_INTEGER) but got undefined from pipeline input "x"; allowed: a NUMBER_INTEGER value',
    ]);
    expect(() => pipeline({ name: "p" }, (dag) => void dag.task({ kind: "importer" } as never, {} as never))).toThrow("got an importer");
  });
});
