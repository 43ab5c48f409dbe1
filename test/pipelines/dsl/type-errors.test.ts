/**
 * The TypeScript errors a wrong task argument gives name the input and say what it takes. The
 * snippets below are type-checked with the TypeScript compiler itself, and the exact messages
 * asserted (`@ts-expect-error` in `types.test.ts` only proves that some error occurs).
 */
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const VIRTUAL = path.join(__dirname, "virtual-type-errors.ts");

const PRELUDE = `
import { artifact, collected, component, param, pipeline } from "../../../pipelines/dsl";
const models = component({ name: "models", image: "x", outputs: { model: artifact("system.Model"), text: param.string() } });
const train = component({
  name: "train",
  image: "x",
  inputs: { steps: param.integer(), data: artifact("system.Dataset"), many: artifact("system.Dataset", { list: true }), note: param.string({ optional: true }) },
});
`;

const parsedFiles = new Map<string, ts.SourceFile>();
let lastProgram: ts.Program | undefined;

/** The diagnostics of `body` (inside a pipeline body with `dag`, `made` and `data` in scope), one line each. */
function typeErrors(body: string): string[] {
  const text = `${PRELUDE}\npipeline({ name: "p" }, (dag) => {\n  const made = dag.task(models).outputs;\n  const data = dag.importer({ artifactUri: "gs://b/o", schemaTitle: "system.Dataset" }).outputs.artifact;\n  void made; void data; void collected;\n${body}\n});\n`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, esModuleInterop: true, skipLibCheck: true, types: ["node"], lib: ["lib.es2023.d.ts"] };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  // Every file but the snippet is the same from one call to the next: parsed once, and the last
  // program handed to the next as TypeScript's incremental compilers do (seconds per call before).
  host.getSourceFile = (file, language, onError) => {
    if (path.resolve(file) === VIRTUAL) return ts.createSourceFile(file, text, language);
    let parsed = parsedFiles.get(file);
    if (!parsed) {
      parsed = original(file, language, onError);
      if (parsed) parsedFiles.set(file, parsed);
    }
    return parsed;
  };
  const program = ts.createProgram({ rootNames: [VIRTUAL], options, host, oldProgram: lastProgram });
  lastProgram = program;
  const prelude = PRELUDE.split("\n").length + 4;
  // The snippet's own diagnostics only: the checker then checks what the snippet reaches, not the
  // body of every file the program holds (the DSL's sources, @types/node), which no call asserts.
  const snippet = program.getSourceFile(VIRTUAL)!;
  return [...program.getSyntacticDiagnostics(snippet), ...program.getSemanticDiagnostics(snippet)]
    .filter((diagnostic) => diagnostic.file !== undefined && path.resolve(diagnostic.file.fileName) === VIRTUAL)
    .map((diagnostic) => {
      const line = (diagnostic.file as ts.SourceFile).getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1 - prelude;
      return `${line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, " | ")}`;
    });
}

describe("type errors of task arguments", { timeout: 120_000 }, () => {
  it("name the input and what it takes: a parameter of another type, a literal, an artifact of another schema", () => {
    expect(
      typeErrors(
        [
          "  dag.task(train, { steps: made.text, data, many: collected(data) });",
          '  dag.task(train, { steps: "100", data, many: collected(data) });',
          "  dag.task(train, { steps: 1, data: made.model, many: collected(data) });",
          "  dag.task(train, { steps: 1, data, many: data });",
          "  dag.task(train, { steps: 1, data, many: collected(data), note: 3 });",
        ].join("\n"),
      ),
    ).toEqual([
      `1: Type 'ParameterChannel<"STRING", never, never>' is not assignable to type '"input 'steps' takes an integer, or a NUMBER_INTEGER channel"'.`,
      `2: Type '"100"' is not assignable to type '"input 'steps' takes an integer, or a NUMBER_INTEGER channel"'.`,
      `3: Type 'ArtifactChannel<"system.Model", false>' is not assignable to type '"input 'data' takes a system.Dataset artifact: a task output, an importer or a pipeline input"'.`,
      `4: Type 'ArtifactChannel<"system.Dataset", false>' is not assignable to type '"input 'many' takes a list of system.Dataset artifacts: collected(...) of a loop output, or a list output"'.`,
      `5: Type 'number' is not assignable to type '"input 'note' takes a string, or a STRING channel"'.`,
    ]);
  });

  it("name an input that is missing, and one that does not exist", () => {
    expect(typeErrors(["  dag.task(train, { data, many: collected(data) });", "  dag.task(train, { steps: 1, data, many: collected(data), epochs: 3 });"].join("\n"))).toEqual([
      expect.stringMatching(/^1: .*Property 'steps' is missing in type .* but required in type '\{ readonly steps: "input 'steps' is required; it takes an integer, or a NUMBER_INTEGER channel"; \}'\.$/),
      `2: Type 'number' is not assignable to type '"'epochs' is not an input of this component"'.`,
    ]);
  });

  it("never point at a hidden `this` type: item.field() exists on every loop item", () => {
    expect(typeErrors('  dag.parallelFor(["a"], (loop, item) => void loop.task(train, { steps: item.field("n", "NUMBER_INTEGER"), data, many: collected(data), note: item.field("m") }));')).toEqual([]);
  });
});
