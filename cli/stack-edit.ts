import * as fs from "node:fs";
import * as path from "node:path";
import { createPatch } from "diff";
import { type Document, type Pair, type Scalar, type YAMLMap, isMap, isScalar, parse, parseDocument, stringify } from "yaml";
import { type StackSettings, formatProblems, parseStackConfig } from "../infra/settings";
import { listStacks, readProjectFile, stackFileFromText, stackFilePath } from "../infra/testing/stack-files";
import { UserError } from "./project";

export type KeyPath = readonly string[];

/**
 * Edits of a stack file that change only the lines they mean to. The `yaml` Document API finds
 * each node and its place in the source; the edit itself splices text there, because
 * re-serialising a whole document re-flows strings and flow lists that nobody touched. Every
 * edit re-parses, so later edits see earlier ones.
 */
export class StackFileEdit {
  readonly file: string;
  readonly original: string;
  private source: string;

  constructor(
    readonly dir: string,
    readonly stack: string,
  ) {
    this.file = stackFilePath(dir, stack);
    if (!fs.existsSync(this.file)) throw new UserError(`unknown stack "${stack}": no ${path.basename(this.file)} in ${dir}; stacks here: ${listStacks(dir).join(", ") || "none"}`);
    this.original = this.source = fs.readFileSync(this.file, "utf8");
    if (this.doc().errors.length) throw new UserError(`${path.basename(this.file)} is not valid YAML: ${this.doc().errors[0].message.split("\n")[0]}`);
  }

  get text(): string {
    return this.source;
  }

  get changed(): boolean {
    return this.source !== this.original;
  }

  doc(): Document.Parsed {
    return parseDocument(this.source);
  }

  /** The node at `keys` (the `yaml` node, with its source range), or undefined. */
  node(keys: KeyPath): unknown {
    return this.doc().getIn(keys, true);
  }

  private map(keys: KeyPath): YAMLMap {
    const node = this.node(keys);
    if (!isMap(node)) throw new UserError(`${path.basename(this.file)}: expected a mapping at ${keys.join(".")}`);
    return node;
  }

  private splice(start: number, end: number, text: string): void {
    this.source = this.source.slice(0, start) + text + this.source.slice(end);
    const errors = this.doc().errors;
    if (errors.length) throw new Error(`editing ${path.basename(this.file)} produced invalid YAML (a bug): ${errors[0].message}`);
  }

  private lineStart(offset: number): number {
    return this.source.lastIndexOf("\n", offset - 1) + 1;
  }

  private indentAt(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** Where a block-map pair's text ends: after its last line that is indented deeper than its key. */
  private pairEnd(pair: Pair): number {
    const keyStart = (pair.key as Scalar).range![0];
    const indent = this.indentAt(keyStart);
    let end = this.source.indexOf("\n", keyStart);
    end = end < 0 ? this.source.length : end + 1;
    for (let at = end; at < this.source.length; ) {
      const next = this.source.indexOf("\n", at);
      const lineEnd = next < 0 ? this.source.length : next + 1;
      const line = this.source.slice(at, lineEnd);
      if (line.trim() !== "") {
        if (line.length - line.trimStart().length <= indent) break;
        end = lineEnd;
      }
      at = lineEnd;
    }
    return end;
  }

  private pair(keys: KeyPath): { map: YAMLMap; pair: Pair | undefined } {
    const map = this.map(keys.slice(0, -1));
    const key = keys[keys.length - 1];
    return { map, pair: map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) };
  }

  /** A scalar as the file would spell it: in the quoting of `like`, plain where that reads back the same. */
  static scalarText(value: string, like?: Scalar): string {
    if (like?.type === "QUOTE_DOUBLE") return JSON.stringify(value);
    if (like?.type === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
    const plain = /^[A-Za-z0-9][\w.:/@-]*$/.test(value) && parse(value) === value;
    return plain ? value : JSON.stringify(value);
  }

  /**
   * Sets a scalar: replaces the value in place (keeping its quoting), or adds `key: value` to the
   * mapping after the key `after` (default: at the end), quoted like `like` names.
   */
  set(keys: KeyPath, value: string, place: { after?: string; like?: KeyPath } = {}): void {
    const { pair } = this.pair(keys);
    const like = place.like ? this.node(place.like) : undefined;
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [start, end] = pair.value.range;
      this.splice(start, end, StackFileEdit.scalarText(value, pair.value));
      return;
    }
    if (pair) throw new UserError(`${path.basename(this.file)}: ${keys.join(".")} is not a single value; edit it by hand`);
    const text = `${keys[keys.length - 1]}: ${StackFileEdit.scalarText(value, isScalar(like) ? like : undefined)}`;
    this.insertLines(keys.slice(0, -1), [text], place.after ?? null);
  }

  /**
   * Inserts lines (a `key: value` pair, with any lines below it indented relative to its first
   * line) into the mapping at `keys`, after the pair `after` or, with null, after the last pair.
   */
  insertLines(keys: KeyPath, lines: readonly string[], after: string | null): void {
    const map = this.map(keys);
    if (map.flow) {
      // A flow mapping (`rollout: { stable: "1.2.0" }`) is rewritten whole: one line either way.
      const parsed = parseDocument(lines.join("\n")).contents;
      if (!isMap(parsed)) throw new Error("insertLines takes one mapping entry");
      for (const p of parsed.items) map.items.push(p);
      this.splice(map.range![0], map.range![1], stringify(map, { lineWidth: 0 }).trimEnd());
      return;
    }
    const anchor = after === null ? map.items[map.items.length - 1] : map.items.find((p) => isScalar(p.key) && String(p.key.value) === after);
    if (!anchor) throw new Error(`no key ${after} under ${keys.join(".")} to insert after`);
    const indent = " ".repeat(this.indentAt((map.items[0].key as Scalar).range![0]));
    const at = this.pairEnd(anchor);
    const text = lines.map((l) => (l === "" ? l : `${indent}${l}`)).join("\n");
    this.splice(at, at, `${at > 0 && this.source[at - 1] !== "\n" ? "\n" : ""}${text}\n`);
  }

  /** The source lines of a pair, its key line first, re-indented to column 0 (comments above excluded). */
  pairLines(keys: KeyPath): string[] {
    const { pair } = this.pair(keys);
    if (!pair) throw new Error(`no ${keys.join(".")}`);
    const start = this.lineStart((pair.key as Scalar).range![0]);
    const indent = this.indentAt((pair.key as Scalar).range![0]);
    return this.source
      .slice(start, this.pairEnd(pair))
      .replace(/\n$/, "")
      .split("\n")
      .map((l) => (l.trim() === "" ? "" : l.slice(Math.min(indent, l.length - l.trimStart().length))));
  }

  /** Removes a pair, with the comment lines directly above it (they describe it). */
  remove(keys: KeyPath): void {
    const { pair } = this.pair(keys);
    if (!pair) return;
    const keyStart = (pair.key as Scalar).range![0];
    const indent = this.indentAt(keyStart);
    let start = this.lineStart(keyStart);
    for (;;) {
      if (start === 0) break;
      const above = this.lineStart(start - 1);
      const line = this.source.slice(above, start);
      if (!line.trimStart().startsWith("#") || line.length - line.trimStart().length !== indent) break;
      start = above;
    }
    this.splice(start, this.pairEnd(pair), "");
  }

  /** The unified diff of the edits, secure values masked. */
  patch(): string {
    const name = path.basename(this.file);
    return createPatch(name, this.original, this.source, "", "", { context: 3 })
      .split("\n")
      .filter((l) => !l.startsWith("Index: ") && !/^=+$/.test(l))
      .map((l) => l.replace(/(secure:\s*)\S+/, "$1[secret]"))
      .join("\n");
  }

  /**
   * The file's settings as edited, or a `UserError` listing every problem (nothing is written
   * then). `before` says what the user was about to do, for a file that was invalid already.
   */
  validate(before?: string): StackSettings {
    const project = readProjectFile(this.dir);
    if (!project.ok) throw new UserError(formatProblems(project.problems));
    const loaded = stackFileFromText(this.stack, path.basename(this.file), this.source, project.value);
    const parsed = loaded.ok ? parseStackConfig(loaded.value.config, this.stack) : loaded;
    if (!parsed.ok) {
      const what = this.changed ? `the edit would leave ${path.basename(this.file)} invalid, so nothing was written` : `${path.basename(this.file)} is invalid; fix it before ${before ?? "editing it"}`;
      throw new UserError(`${what}.\n${formatProblems(parsed.problems)}`);
    }
    return parsed.settings;
  }

  /** Writes the file atomically (a half-written stack file must never be what CI deploys). */
  write(): void {
    if (!this.changed) return;
    const tmp = `${this.file}.llmops-${process.pid}`;
    fs.writeFileSync(tmp, this.source, { mode: fs.statSync(this.file).mode });
    fs.renameSync(tmp, this.file);
  }
}

