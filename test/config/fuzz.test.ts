import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { diffLines } from "diff";
import { describe, expect, it } from "vitest";
import { type Document, type Node, Pair, Scalar, isAlias, isCollection, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { promote } from "../../cli/promote";
import { rolloutAdvance } from "../../cli/rollout";
import { parseStackConfig } from "../../infra/settings";
import { readProjectFile, secretInfo, stackFileFromText } from "../../infra/testing/stack-files";
import { ROOT, tempProject } from "../helpers/project";

/** Recorded metrics of the committed dev candidate passing its gates (test/rollout/fixtures): advances are gated. */
const DEV_HEALTHY = path.join(__dirname, "../rollout/fixtures/vertex-healthy.json");

/**
 * Issue 16's fuzz test: stack files made from the committed ones (which cover the schema's every
 * capability) with random mutations — wrong types anywhere, deep unknown keys, aliases, merge
 * keys, CRLF, flow style, comments everywhere — read and validated exactly as `llmops plan`
 * does before it renders. Every outcome is a valid configuration or problems each naming the
 * file and a key; nothing throws, no secret is quoted. Then rollout and promote edits on such
 * files: the file changes only at the edited keys, byte for byte.
 *
 * Valid configurations are not rendered per run (a render takes seconds); the committed stacks'
 * renders are tested in test/cli and test/models.
 *
 * Seeds are fixed, so a run is reproducible. `npm test` runs fast-check's default 100 cases a stack (seconds);
 * LLMOPS_FUZZ_SCALE multiplies every count (the nightly workflow, .github/workflows/fuzz.yml,
 * runs 25 times as many with a fresh seed, LLMOPS_FUZZ_SEED, which a failure prints).
 */
const SCALE = Number(process.env.LLMOPS_FUZZ_SCALE ?? 1);
if (!(SCALE > 0)) throw new Error(`LLMOPS_FUZZ_SCALE must be a positive number, not ${process.env.LLMOPS_FUZZ_SCALE}`);
const runs = (base: number) => Math.max(1, Math.round(base * SCALE));
const SEED = process.env.LLMOPS_FUZZ_SEED ? Number(process.env.LLMOPS_FUZZ_SEED) : 0;
if (!Number.isSafeInteger(SEED)) throw new Error(`LLMOPS_FUZZ_SEED must be an integer, not ${process.env.LLMOPS_FUZZ_SEED}`);
const seed = (fixed: number) => SEED + fixed;

const TEXT = { dev: fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"), prod: fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8") };
/** Parsed once: each case mutates a copy (a third of a parse's time). */
const DOCS = { dev: parseDocument(TEXT.dev, { merge: true }), prod: parseDocument(TEXT.prod, { merge: true }) };
const CIPHERTEXTS = [...TEXT.prod.matchAll(/secure: (\S+)/g)].map((m) => m[1]);
const project = readProjectFile(ROOT);
if (!project.ok) throw new Error("Pulumi.yaml");

type Path = (string | number)[];

/** Every node below `config` with its path (aliases not followed). */
function nodes(doc: Document): { path: Path; node: Node }[] {
  const out: { path: Path; node: Node }[] = [];
  const walk = (node: unknown, at: Path) => {
    if (!node || typeof node !== "object" || isAlias(node)) return;
    out.push({ path: at, node: node as Node });
    if (isMap(node)) for (const p of node.items) if (isScalar(p.key)) walk(p.value, [...at, String(p.key.value)]);
    if (isSeq(node)) node.items.forEach((v, i) => walk(v, [...at, i]));
  };
  walk(doc.getIn(["config"], true), ["config"]);
  return out;
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((p, i) => p === b[i]);

const junk = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("", "[secret]", "0 3 L * *", "/health\nX: 1", "x".repeat(300), "<img src=x onerror=alert(1)>"),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.constant({ secure: "v1:FUZZCIPHER" }),
);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: junk }),
  fc.record({ kind: fc.constant("unknown-key" as const), at: fc.nat(), key: fc.stringMatching(/^[a-zA-Z][\w-]{0,10}$/), value: junk }),
  fc.record({ kind: fc.constant("alias" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("merge" as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("flow" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function apply(doc: Document, m: Mutation, anchors: { n: number }): void {
  const all = nodes(doc).filter((n) => n.path.length > 1);
  if (!all.length) return;
  const target = all[m.at % all.length];
  switch (m.kind) {
    case "replace":
      doc.setIn(target.path, doc.createNode(m.value));
      return;
    case "delete":
      doc.deleteIn(target.path);
      return;
    case "unknown-key": {
      const maps = all.filter((n) => isMap(n.node));
      if (maps.length) (maps[m.at % maps.length].node as any).set(m.key, doc.createNode(m.value));
      return;
    }
    case "flow":
      if (isCollection(target.node)) target.node.flow = true;
      return;
    case "alias":
    case "merge": {
      const sources = all.filter((n) => isCollection(n.node) && (m.kind === "alias" || isMap(n.node)));
      if (!sources.length) return;
      const source = sources[m.to % sources.length];
      if (isPrefix(source.path, target.path) || isPrefix(target.path, source.path)) return;
      source.node.anchor ??= `a${anchors.n++}`;
      const alias = doc.createAlias(source.node as any);
      if (m.kind === "alias") doc.setIn(target.path, alias);
      else if (isMap(target.node)) target.node.items.unshift(new Pair(new Scalar("<<"), alias));
    }
  }
}

/** Text-level mutations: a comment after some lines and above others, then CRLF. */
function decorate(text: string, comments: readonly number[], crlf: boolean): string {
  const lines = text.split("\n");
  const out: string[] = [];
  lines.forEach((line, i) => {
    const marked = comments.includes(i % 37);
    if (marked && line.trim() !== "" && i > 0) out.push(`${line.match(/^ */)![0]}# above ${i}`);
    // A trailing comment needs a space before '#', and a line that is not inside a quoted string.
    out.push(marked && line.trim() !== "" && !line.includes("#") && !/"[^"]*$/.test(line) ? `${line}  # after ${i}` : line);
  });
  const joined = out.join("\n");
  return crlf ? joined.replace(/\n/g, "\r\n") : joined;
}

/** Reads and validates `text` as `llmops plan` does; true when it is a valid configuration. */
function check(text: string): boolean {
  const file = "Pulumi.s.yaml";
  const loaded = stackFileFromText("s", file, text, project.ok ? project.value : (undefined as never));
  const result = loaded.ok ? parseStackConfig(loaded.value.config, "s", secretInfo(loaded.value)) : loaded;
  if (result.ok) return true;
  for (const p of result.problems) {
    // The parse names the stack file by stack ("Pulumi.s.yaml" either way here).
    expect(p.file).toBe(file);
    expect(typeof p.key === "string" && p.key.length > 0, JSON.stringify(p)).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.message).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    for (const secret of [...CIPHERTEXTS, "v1:FUZZCIPHER"]) expect(p.message).not.toContain(secret);
  }
  return false;
}

describe("fuzz: mutated stack files are a valid configuration or problems naming file and key", () => {
  it.each(["dev", "prod"] as const)(`over ${runs(100)} mutated %s files`, (base) => {
    let valid = 0;
    let invalid = 0;
    fc.assert(
      fc.property(fc.constant(base), fc.array(mutation, { minLength: 0, maxLength: 4 }), fc.array(fc.nat(36), { maxLength: 5 }), fc.boolean(), (stack, mutations, comments, crlf) => {
        const doc = DOCS[stack].clone();
        const anchors = { n: 0 };
        for (const m of mutations) apply(doc, m, anchors);
        let yaml: string;
        try {
          yaml = doc.toString({ lineWidth: 0 });
        } catch {
          // The generator put an alias before its anchor, which the stringifier refuses to write.
          return;
        }
        if (check(decorate(yaml, comments, crlf))) valid++;
        else invalid++;
      }),
      { numRuns: runs(100), seed: seed(1616) },
    );
    // Both outcomes are exercised: not every mutation breaks a file, and most do.
    expect(valid).toBeGreaterThan(runs(100) * 0.025);
    expect(invalid).toBeGreaterThan(runs(100) * 0.25);
  });
});

/** Every line of `after` that is not in `before`, and the reverse (line-level, CRLF kept). */
function changed(before: string, after: string): { added: string[]; removed: string[] } {
  const added: string[] = [];
  const removed: string[] = [];
  for (const part of diffLines(before, after)) {
    const lines = part.value.split(/(?<=\n)/);
    if (part.added) added.push(...lines);
    if (part.removed) removed.push(...lines);
  }
  return { added, removed };
}

const ROLLOUT_BLOCK = '      rollout:\n        stable: "1.2.0"\n        # 1.3.0 is being tried on a tenth of dev traffic.\n        candidate: "1.3.0"\n        stage: canary\n';

describe("fuzz: rollout and promote change only the keys they edit, byte for byte", () => {
  it("rollout advance on decorated dev files (comments, CRLF, flow-style rollout, shared anchors elsewhere)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(36), { maxLength: 6 }), fc.boolean(), fc.boolean(), fc.boolean(), (comments, crlf, flow, sharedSlo) => {
        let text = TEXT.dev;
        if (flow) text = text.replace(ROLLOUT_BLOCK, '      rollout: { stable: "1.2.0", candidate: "1.3.0", stage: canary }  # flow\n');
        // An anchor shared by two models away from the edited keys must not block the edit.
        if (sharedSlo) text = text.replace("      slo: { availability: 99, latencyP99Ms: 6000 }\n", "      slo: &dev-slo { availability: 99, latencyP99Ms: 6000 }\n").replace("      slo: { availability: 99, latencyP99Ms: 10000 }\n", "      slo: *dev-slo\n");
        const before = decorate(text, comments, crlf);
        const dir = tempProject({ dev: before });
        rolloutAdvance({ dir, stack: "dev", model: "support-assistant", evidence: DEV_HEALTHY });
        const after = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
        fs.rmSync(dir, { recursive: true, force: true });
        const { added, removed } = changed(before, after);
        expect(removed).toHaveLength(1);
        expect(added).toEqual([removed[0].replace(/stage: canary/, "stage: partial")]);
      }),
      { numRuns: runs(25), seed: seed(1617) },
    );
  });

  it("promote dev → prod on decorated files: the source gains its released line, the target the version and its candidate", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(36), { maxLength: 6 }), fc.array(fc.nat(36), { maxLength: 6 }), fc.boolean(), (devComments, prodComments, crlf) => {
        const dir = tempProject({ dev: decorate(TEXT.dev, devComments, crlf), prod: decorate(TEXT.prod, prodComments, crlf) });
        rolloutAdvance({ dir, stack: "dev", model: "support-assistant", to: "full", evidence: DEV_HEALTHY });
        const read = (s: string) => fs.readFileSync(path.join(dir, `Pulumi.${s}.yaml`), "utf8");
        const before = { dev: read("dev"), prod: read("prod") };
        promote({ dir, model: "support-assistant", version: "1.3.0", from: "dev", to: "prod" });
        const after = { dev: read("dev"), prod: read("prod") };
        fs.rmSync(dir, { recursive: true, force: true });
        const eol = crlf ? "\r\n" : "\n";
        const dev = changed(before.dev, after.dev);
        expect(dev.removed).toEqual([]);
        expect(dev.added).toHaveLength(1);
        expect(dev.added[0]).toMatch(new RegExp(`^ {10}released: sha256:[0-9a-f]{16}${eol}$`));
        const prod = changed(before.prod, after.prod);
        expect(prod.removed).toEqual([]);
        // Only added lines: the version's block (as dev wrote it, comments included) and the rollout's two keys.
        expect(prod.added.filter((l) => /^ {8}(candidate: "1\.3\.0"|stage: canary)\r?\n$/.test(l))).toHaveLength(2);
        const versionLines = prod.added.filter((l) => !/^ {8}(candidate|stage):/.test(l));
        expect(versionLines[0]).toBe(`        "1.3.0":${eol}`);
        for (const l of versionLines) expect(l.endsWith(eol) && (eol === "\n" ? !l.endsWith("\r\n") : true)).toBe(true);
      }),
      { numRuns: runs(10), seed: seed(1618) },
    );
  });
});
