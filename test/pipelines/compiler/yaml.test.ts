/** The PyYAML-compatible writer and the Python text forms behind byte-for-byte parity. */
import { describe, expect, it } from "vitest";
import type { JsonValue } from "../../../pipelines/dsl";
import { dumpYaml, pythonFloatRepr, pythonJsonDumps, pythonStr } from "../../../pipelines/compiler/yaml";
import { hasSamples, parseFirstDocument, readSample, sampleNames } from "../helpers/samples";

const floats = () => false;
const dump = (value: JsonValue) => dumpYaml(value, floats);

describe.skipIf(!hasSamples())("dumpYaml on every SDK sample (skipped: ../shared/kfp/samples not found)", () => {
  // Only retry counts and parallelism limits are int32 in the proto; every other number is a double.
  const isInt32 = (path: readonly (string | number)[]) =>
    ["maxRetryCount", "parallelismLimit"].includes(String(path[path.length - 1])) && path[0] !== "deploymentSpec";

  it.each(sampleNames())("re-emits %s byte for byte", (name) => {
    const text = readSample(name);
    const body = text.split("\n---\n")[0].replace(/^#.*\n/gm, "");
    expect(dumpYaml(parseFirstDocument(text) as JsonValue, isInt32)).toBe(body.endsWith("\n") ? body : `${body}\n`);
  });
});

describe("dumpYaml scalar styles", () => {
  it("quotes strings that would read back as another type, and only those", () => {
    expect(dump({ a: "1", b: "true", c: "", d: "null", e: "1.0", f: "2.1.0", g: "0s", h: "1000m", i: "yes", j: "2024-01-01" })).toBe(
      "a: '1'\nb: 'true'\nc: ''\nd: 'null'\ne: '1.0'\nf: 2.1.0\ng: 0s\nh: 1000m\ni: 'yes'\nj: '2024-01-01'\n",
    );
  });

  // Expected texts below are what PyYAML 6.0 writes for the same values.
  it("single-quotes leading indicators; double-quotes control and non-ASCII characters", () => {
    expect(dump(["{{$}}", "it's", "- a", "a: b", "#x", "tab\there", "café"])).toBe(`- '{{$}}'\n- it's\n- '- a'\n- 'a: b'\n- '#x'\n- "tab\\there"\n- "caf\\xE9"\n`);
  });

  it("writes multi-line strings single-quoted with blank lines for breaks", () => {
    expect(dump({ k: "set -e\necho hi\n" })).toBe("k: 'set -e\n\n  echo hi\n\n  '\n");
  });

  it("folds long plain, single- and double-quoted strings past 80 columns", () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    const lines = "word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11 word12\n  word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23 word24\n  word25 word26 word27 word28 word29";
    expect(dump({ key: words })).toBe(`key: ${lines}\n`);
    expect(dump({ key: `\n${words}` })).toBe(`key: '\n\n  ${lines}'\n`);
    expect(dump({ key: `\n ${words}` })).toBe(
      'key: "\\n word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11\\\n  \\ word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23\\\n  \\ word24 word25 word26 word27 word28 word29"\n',
    );
  });

  it("escapes characters outside the BMP as one code point each, and folds counting code points", () => {
    const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    expect(dump({ key: `😀 ${words} 𝄞 end` })).toBe(
      'key: "\\U0001F600 word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10\\\n  \\ word11 word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22\\\n  \\ word23 word24 word25 word26 word27 word28 word29 \\U0001D11E end"\n',
    );
  });

  it("writes sorted keys, sequences flush with their key, and empty collections in flow style", () => {
    expect(dump({ b: [], a: { d: {}, c: ["x"] } })).toBe("a:\n  c:\n  - x\n  d: {}\nb: []\n");
  });

  it("prints numbers as the proto field kinds require", () => {
    expect(dumpYaml({ retry: 3, factor: 2 }, (path) => path[0] === "retry")).toBe("factor: 2.0\nretry: 3\n");
    expect(dump([0.268435456, 1e-5, 1e16, 100])).toBe("- 0.268435456\n- 1.0e-05\n- 1.0e+16\n- 100.0\n");
  });
});

describe("Python text forms", () => {
  it("repr of floats matches Python", () => {
    expect([1, 0.1, 1e-4, 1e-5, 1e16, 123456789.5, -2.5, 1 / 3].map(pythonFloatRepr)).toEqual([
      "1.0", "0.1", "0.0001", "1e-05", "1e+16", "123456789.5", "-2.5", "0.3333333333333333",
    ]);
  });

  it("str() of protobuf values matches Python", () => {
    expect(pythonStr(["a", "b"])).toBe("['a', 'b']");
    expect(pythonStr({ B: 2, A: 1 })).toBe("{'A': 1.0, 'B': 2.0}");
    expect(pythonStr([true, null, "it's"])).toBe(`[True, None, "it's"]`);
  });

  it("json.dumps uses Python's separators and escapes non-ASCII", () => {
    expect(pythonJsonDumps({ b: [1, 2.5], a: "é\n" }, true)).toBe('{"a": "\\u00e9\\n", "b": [1, 2.5]}');
    expect(pythonJsonDumps({ b: 1, a: 2 })).toBe('{"b": 1, "a": 2}');
  });
});
