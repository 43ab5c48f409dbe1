import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { StackFileEdit } from "../../cli/stack-edit";
import { changedLines, project, removeProjects } from "./cli";

afterAll(removeProjects);

const FILE = `# a stack
config:
  llmops:models:
    m:
      versions:
        "1.0.0":
          image: x@sha256:abc # pinned
          source: { run: r }
        # the next one
        "1.1.0":
          image: y
      rollout:
        stable: "1.0.0" # serves
        # trying 1.1.0
        candidate: '1.1.0'
        stage: canary

      flow: { stable: "1.0.0", stages: [{ name: a, weight: 100 }] }
  other: [a, b]
`;

const projects = new Map<string, string>();
/** An edit of a stack file with `text` (nothing is written: the edits stay in memory). */
function edit(text = FILE): StackFileEdit {
  if (!projects.has(text)) projects.set(text, project({ s: text }));
  return new StackFileEdit(projects.get(text)!, "s");
}
const ROLLOUT = ["config", "llmops:models", "m", "rollout"];

describe("StackFileEdit", () => {
  it("replaces a value in place, keeping its quotes and the comment after it", () => {
    const e = edit();
    e.set([...ROLLOUT, "stable"], "1.1.0");
    e.set([...ROLLOUT, "candidate"], "1.2.0");
    expect(changedLines(FILE, e.text)).toEqual({
      removed: ['        stable: "1.0.0" # serves', "        candidate: '1.1.0'"],
      added: ['        stable: "1.1.0" # serves', "        candidate: '1.2.0'"],
    });
  });

  it("adds a key after another, quoted like a sibling, at the mapping's indentation", () => {
    const e = edit(FILE.replace("        # trying 1.1.0\n        candidate: '1.1.0'\n        stage: canary\n", ""));
    e.set([...ROLLOUT, "candidate"], "1.1.0", { after: "stable", like: [...ROLLOUT, "stable"] });
    e.set([...ROLLOUT, "stage"], "canary", { after: "candidate" });
    expect(e.text).toContain('        stable: "1.0.0" # serves\n        candidate: "1.1.0"\n        stage: canary\n\n      flow:');
  });

  it("appends to the end of a mapping whose last value is nested, after its deepest line", () => {
    const e = edit();
    e.set(["config", "llmops:models", "m", "versions", "1.0.0", "released"], "sha256:0123456789abcdef");
    expect(e.text).toContain("          source: { run: r }\n          released: sha256:0123456789abcdef\n        # the next one");
  });

  it("removes a key with the comment lines right above it, and nothing else", () => {
    const e = edit();
    e.remove([...ROLLOUT, "candidate"]);
    expect(changedLines(FILE, e.text)).toEqual({ removed: ["        # trying 1.1.0", "        candidate: '1.1.0'"], added: [] });
  });

  it("copies a pair's lines, comments inside included, re-indented to column 0", () => {
    expect(edit().pairLines(["config", "llmops:models", "m", "versions", "1.0.0"])).toEqual(['"1.0.0":', "  image: x@sha256:abc # pinned", "  source: { run: r }"]);
  });

  it("edits inside a flow mapping by rewriting only that mapping", () => {
    const e = edit();
    const flow = ["config", "llmops:models", "m", "flow"];
    e.set([...flow, "candidate"], "1.1.0", { like: [...flow, "stable"] });
    const { added, removed } = changedLines(FILE, e.text);
    expect(removed).toEqual(['      flow: { stable: "1.0.0", stages: [{ name: a, weight: 100 }] }']);
    expect(added).toHaveLength(1);
    expect(parse(e.text).config["llmops:models"].m.flow).toEqual({ stable: "1.0.0", stages: [{ name: "a", weight: 100 }], candidate: "1.1.0" });
  });

  it("masks secure values in the patch it prints", () => {
    const e = edit(`${FILE}  gcp:token:\n    secure: AAAbase64ciphertext==\n`);
    e.set(["config", "note"], "x");
    expect(e.patch()).not.toContain("AAAbase64ciphertext");
  });

  it("writes any value so that it reads back the same, changing exactly one line", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (value) => {
        const e = edit();
        e.set([...ROLLOUT, "stage"], value);
        expect(parse(e.text).config["llmops:models"].m.rollout.stage).toBe(value);
        const { added, removed } = changedLines(FILE, e.text);
        expect([added.length, removed]).toEqual([1, ["        stage: canary"]]);
      }),
      { numRuns: 200 },
    );
  });
});
