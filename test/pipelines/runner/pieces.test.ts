/** The local runner's pieces that decide what a step sees and how a run reads: no Python needed. */
import { describe, expect, it } from "vitest";
import { evaluateCel, parseOutputParameter, resolveCommandLine, stepError, type ExecutorInput } from "../../../pipelines/runner";
import { defaultRunId, parseParams } from "../../../pipelines/runner/local";

describe("trigger conditions (the CEL the SDK writes)", () => {
  const values = { "pipelinechannel--evaluate-model-score": 0.857, "pipelinechannel--min_eval_score": 0.8, "pipelinechannel--tuning_method": "gemini-sft" };

  it.each([
    ["inputs.parameter_values['pipelinechannel--evaluate-model-score'] >= inputs.parameter_values['pipelinechannel--min_eval_score']", true],
    ["inputs.parameter_values['pipelinechannel--evaluate-model-score'] < inputs.parameter_values['pipelinechannel--min_eval_score']", false],
    ["inputs.parameter_values['pipelinechannel--tuning_method'] == 'gemini-sft'", true],
    ["!(inputs.parameter_values['pipelinechannel--tuning_method'] == 'gemini-sft')", false],
    ["int(inputs.parameter_values['pipelinechannel--evaluate-model-score']) == 0 && true || false", true],
  ])("%s is %s", (condition, expected) => {
    expect(evaluateCel(condition, values)).toBe(expected);
  });

  it("refuses what it cannot evaluate, naming the condition, instead of guessing", () => {
    expect(() => evaluateCel("inputs.parameter_values['missing'] == 'x'", values)).toThrow("the condition reads parameter missing, which has no value");
    expect(() => evaluateCel("inputs.parameter_values['pipelinechannel--tuning_method'] > 1", values)).toThrow('cannot order "gemini-sft" and 1');
    expect(() => evaluateCel("size(inputs.parameter_values['x']) > 1", values)).toThrow(/unsupported "size"/);
    expect(() => evaluateCel("'a'", values)).toThrow("condition 'a' is not a boolean");
  });
});

describe("command lines, as the launcher resolves them", () => {
  const input: ExecutorInput = {
    inputs: { parameterValues: { text: "a b", count: 3, empty: null }, artifacts: { data: { artifacts: [{ name: "data", uri: "/root/data", metadata: { rows: 2 }, type: { schemaTitle: "system.Dataset" } }] } } },
    outputs: { parameters: { out: { outputFile: "/task/outputs/out" } }, artifacts: {}, outputFile: "/task/executor_output.json" },
  };

  it("resolves parameters (strings as they are, the rest as JSON), artifacts, output files, IfPresent and system values", () => {
    const line = resolveCommandLine(
      [
        "python3",
        "{{$.inputs.parameters['text']}}",
        "{{$.inputs.parameters['count']}}",
        "{{$.inputs.artifacts['data'].path}}",
        "{{$.inputs.artifacts['data'].metadata['rows']}}",
        "{{$.outputs.parameters['out'].output_file}}",
        '{"IfPresent": {"InputName": "empty", "Then": ["--empty"], "Else": ["--none"]}}',
        '{"Concat": ["run=", "{{$.pipeline_job_name}}"]}',
      ],
      input,
      { pipeline_job_name: "run-1" },
    );
    expect(line).toEqual(["python3", "a b", "3", "/root/data", "2", "/task/outputs/out", "--none", "run=run-1"]);
  });

  it("fails on a placeholder it does not know rather than passing it through", () => {
    expect(() => resolveCommandLine(["{{$.inputs.parameters['nope']}}"], input, {})).toThrow("input parameter nope has no value");
    expect(() => resolveCommandLine(["{{$.pipeline_root_x}}"], input, {})).toThrow("unsupported placeholder {{$.pipeline_root_x}}");
  });
});

describe("a step's outputs and errors", () => {
  it("reads output parameter files by their declared type, and names a wrong one", () => {
    expect(parseOutputParameter("0.5\n", "NUMBER_DOUBLE", "score")).toBe(0.5);
    expect(parseOutputParameter("a b\n", "STRING", "name")).toBe("a b\n");
    expect(parseOutputParameter('["x"]', "LIST", "uris")).toEqual(["x"]);
    expect(() => parseOutputParameter("high", "NUMBER_DOUBLE", "score")).toThrow('output parameter score is "high", not a number');
    expect(() => parseOutputParameter("1.5", "NUMBER_INTEGER", "n")).toThrow("not an integer");
  });

  it("reports the step's own error line, not its traceback", () => {
    expect(stepError("Traceback …\nerror: gs://b/x.jsonl:3: not JSON\n", 1, null)).toBe("gs://b/x.jsonl:3: not JSON (exited with code 1)");
    expect(stepError("", null, "SIGKILL")).toBe("killed by SIGKILL");
  });
});

describe("--param and run ids", () => {
  it("splits at the first '=', so values may contain one", () => {
    expect(parseParams(["a=b=c", "empty="])).toEqual({ a: "b=c", empty: "" });
  });

  it("names a run after its pipeline and UTC start time", () => {
    expect(defaultRunId("data-preparation", new Date("2026-03-01T04:05:06.789Z"))).toBe("data-preparation-local-20260301-040506");
  });
});
