import { compile } from "../../../pipelines/compiler";
import { component, param, PipelineDefinitionError, type Pipeline } from "../../../pipelines/dsl";

export const PINNED = `us-docker.pkg.dev/p/r/tool@sha256:${"ab".repeat(32)}`;

export const producer = component({
  name: "producer",
  image: PINNED,
  outputs: { text: param.string(), count: param.integer(), score: param.double(), items: param.list({ items: "STRUCT" }) },
});

export const consumer = component({
  name: "consumer",
  image: PINNED,
  inputs: { text: param.string(), count: param.integer({ default: 1 }) },
  args: ({ inputs }) => [inputs.text, inputs.count],
});

/** The problems `compile` reports for `pipeline`, or [] if it compiles. */
export function compileProblems(pipeline: Pipeline): string[] {
  try {
    compile(pipeline);
    return [];
  } catch (error) {
    if (!(error instanceof PipelineDefinitionError)) throw error;
    return error.problems.map((problem) => `${problem.where}: ${problem.message}`);
  }
}
