import * as fs from "node:fs";
import * as path from "node:path";
import { createPatch } from "diff";
import { type Document, type Node, type Pair, type Scalar, type YAMLMap, isAlias, isMap, isPair, isScalar, isSeq, parse, parseDocument, stringify } from "yaml";
import { type StackSettings, formatProblems, parseStackConfig } from "../infra/settings";
import { listStacks, readProjectFile, secretInfo, stackFileFromText, stackFilePath, stackNameProblem } from "../infra/testing/stack-files";
import { UserError } from "./project";

export type KeyPath = readonly string[];

/** A node found in the document, with the keys that lead to it from the root (aliases not followed). */
interface Located {
  readonly node: Node;
  readonly keys: readonly (string | number)[];
}

const isMergeKey = (p: Pair) => isScalar(p.key) && typeof p.key.value === "symbol" && (p.key as Scalar).source === "<<";

/**
 * Edits of a stack file that change only the bytes they mean to. The `yaml` Document API finds
 * each node and its place in the source; the edit itself splices text there, because
 * re-serialising a whole document re-flows strings and flow lists that nobody touched. Every
 * edit re-parses, so later edits see earlier ones. Block and flow mappings edit alike, new lines
 * take the line ending of the line they follow (a CRLF file stays CRLF), and nothing is edited
 * through a YAML alias, an anchor another key shares, or a merge key: an edit there would change
 * more than the key it names.
 */
export class StackFileEdit {
  readonly file: string;
  readonly original: string;
  private source: string;
  private parsed: { source: string; doc: Document.Parsed } | undefined;

  constructor(
    readonly dir: string,
    readonly stack: string,
  ) {
    const bad = stackNameProblem(stack);
    if (bad) throw new UserError(`--stack ${bad}`);
    this.file = stackFilePath(dir, stack);
    if (!fs.existsSync(this.file)) throw new UserError(`unknown stack "${stack}": no ${path.basename(this.file)} in ${dir}; stacks here: ${listStacks(dir).join(", ") || "none"}`);
    const stat = fs.lstatSync(this.file);
    if (!stat.isFile()) throw new UserError(`${path.basename(this.file)} is ${stat.isSymbolicLink() ? "a symbolic link" : "not a regular file"}; llmops reads and edits only regular stack files in the project folder`);
    this.original = this.source = fs.readFileSync(this.file, "utf8");
    const errors = this.doc().errors;
    if (errors.length) throw new UserError(`${path.basename(this.file)} is not valid YAML: ${errors[0].message.split("\n")[0]}`);
  }

  get name(): string {
    return path.basename(this.file);
  }

  get text(): string {
    return this.source;
  }

  get changed(): boolean {
    return this.source !== this.original;
  }

  /**
   * The text as parsed, for reading only: parsed once per text, since each step of an edit reads
   * it (the fuzz test spent most of its time parsing the same file again).
   */
  doc(): Document.Parsed {
    if (this.parsed?.source !== this.source) this.parsed = { source: this.source, doc: parseDocument(this.source, { merge: true, uniqueKeys: true }) };
    return this.parsed.doc;
  }

  /** The node at `keys` (the `yaml` node, with its source range), or undefined. Never through an alias. */
  node(keys: KeyPath): unknown {
    return this.doc().getIn(keys, true);
  }

  private map(keys: KeyPath): YAMLMap {
    this.refuseShared(keys);
    const node = this.node(keys);
    if (!isMap(node)) throw new UserError(`${this.name}: expected a mapping at ${keys.join(".")}`);
    return node;
  }

  private splice(start: number, end: number, text: string): void {
    this.source = this.source.slice(0, start) + text + this.source.slice(end);
    const errors = this.doc().errors;
    if (errors.length) throw new Error(`editing ${this.name} produced invalid YAML (a bug): ${errors[0].message}`);
  }

  private lineStart(offset: number): number {
    return this.source.lastIndexOf("\n", offset - 1) + 1;
  }

  private indentAt(offset: number): number {
    return offset - this.lineStart(offset);
  }

  /** The line ending of the line holding `offset` (the file's own: CRLF stays CRLF), else the file's first. */
  private eolAt(offset: number): string {
    const next = this.source.indexOf("\n", offset);
    if (next > 0) return this.source[next - 1] === "\r" ? "\r\n" : "\n";
    const before = this.source.lastIndexOf("\n", offset - 1);
    if (before > 0) return this.source[before - 1] === "\r" ? "\r\n" : "\n";
    return /\r\n/.test(this.source) ? "\r\n" : "\n";
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

  /** Every node of the document with its keys, aliases not followed (the document as written). */
  private locateAll(doc: Document.Parsed): Located[] {
    const out: Located[] = [];
    const walk = (node: unknown, keys: (string | number)[]) => {
      if (!node || typeof node !== "object") return;
      out.push({ node: node as Node, keys });
      if (isMap(node)) for (const p of node.items) walk(p.value, [...keys, isScalar(p.key) ? String(p.key.value) : "?"]);
      else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...keys, i]));
    };
    walk(doc.contents, []);
    return out;
  }

  /** `model gemma-chat` for a place under llmops:models, else the key path. */
  private describe(keys: readonly (string | number)[]): string {
    if (keys[0] === "config" && (keys[1] === "llmops:models" || keys[1] === "models") && keys.length > 2) {
      const rest = keys.slice(3).join(".");
      return `model ${keys[2]}${rest ? ` (${rest})` : ""}`;
    }
    return keys.join(".");
  }

  private line(node: unknown): number {
    const range = (node as { range?: [number, number, number] }).range;
    return range ? this.source.slice(0, range[0]).split("\n").length : 0;
  }

  /**
   * Refuses an edit at `keys` that would reach further than `keys`: through an alias (`*x`,
   * which would edit the anchor's owner), of a node whose anchor (`&x`) another key uses, or of
   * a mapping with a merge key (`<<: *x`, whose merged keys belong to the anchor). Names both
   * places, so the user can write the shared part out in full.
   */
  refuseShared(keys: KeyPath): void {
    const doc = this.doc();
    const all = this.locateAll(doc);
    const aliases = all.filter((l) => isAlias(l.node));
    let node: unknown = doc.contents;
    const walked: (string | number)[] = [];
    const here = () => this.describe(keys.slice(0, Math.max(walked.length, 1)));
    for (let i = 0; i <= keys.length; i++) {
      if (isAlias(node)) {
        const source = node.resolve(doc);
        const owner = all.find((l) => l.node === source);
        throw new UserError(
          `${this.name}: ${keys.slice(0, walked.length).join(".")} is the YAML alias *${node.source} (line ${this.line(node)}), shared with ${owner ? this.describe(owner.keys) : "another key"} (&${node.source}, line ${this.line(source)}); ` +
            `editing it would change both. Write ${here()} out in full instead of the alias, then run this again`,
        );
      }
      if (node && typeof node === "object" && (node as { anchor?: string }).anchor) {
        const users = aliases.filter((a) => (a.node as unknown as { resolve(d: Document): unknown }).resolve(doc) === node);
        if (users.length) {
          const anchor = (node as { anchor: string }).anchor;
          throw new UserError(
            `${this.name}: ${here()} carries the YAML anchor &${anchor} (line ${this.line(node)}), which ${users.map((u) => `${this.describe(u.keys)} (line ${this.line(u.node)})`).join(" and ")} also use${users.length === 1 ? "s" : ""}; ` +
              `editing it would change them too. Write ${users.map((u) => this.describe(u.keys)).join(" and ")} out in full instead of *${anchor}, then run this again`,
          );
        }
      }
      if (isMap(node) && node.items.some(isMergeKey)) {
        throw new UserError(
          `${this.name}: ${here()} merges another mapping (<<:, line ${this.line(node)}); its merged keys belong to that mapping, so editing them here would be ambiguous. Write ${here()} out in full, then run this again`,
        );
      }
      if (i === keys.length) break;
      if (!isMap(node)) return;
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === keys[i]);
      if (!pair) return;
      walked.push(keys[i]);
      node = pair.value;
    }
  }

  /** A scalar as the file would spell it: in the quoting of `like`, plain where that reads back the same. */
  static scalarText(value: string, like?: Scalar): string {
    if (like?.type === "QUOTE_DOUBLE") return JSON.stringify(value);
    if (like?.type === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
    const plain = /^[A-Za-z0-9][\w.:/@-]*$/.test(value) && parse(value) === value;
    return plain ? value : JSON.stringify(value);
  }

  /**
   * Sets a scalar: replaces the value in place (keeping its quoting and any comment after it), or
   * adds `key: value` to the mapping after the key `after` (default: at the end), quoted like
   * `like` names.
   */
  set(keys: KeyPath, value: string, place: { after?: string; like?: KeyPath } = {}): void {
    this.refuseShared(keys);
    const { pair } = this.pair(keys);
    const like = place.like ? this.node(place.like) : undefined;
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [start, end] = pair.value.range;
      this.splice(start, end, StackFileEdit.scalarText(value, pair.value));
      return;
    }
    if (pair && (pair.value === null || pair.value === undefined)) {
      // `key:` with no value: the value goes right after the colon.
      const colon = this.source.indexOf(":", (pair.key as Scalar).range![1]);
      this.splice(colon + 1, colon + 1, ` ${StackFileEdit.scalarText(value, isScalar(like) ? like : undefined)}`);
      return;
    }
    if (pair) throw new UserError(`${this.name}: ${keys.join(".")} is not a single value; edit it by hand`);
    const text = `${keys[keys.length - 1]}: ${StackFileEdit.scalarText(value, isScalar(like) ? like : undefined)}`;
    this.insertLines(keys.slice(0, -1), [text], place.after ?? null);
  }

  /**
   * Inserts lines (a `key: value` pair, with any lines below it indented relative to its first
   * line) into the mapping at `keys`, after the pair `after` or, with null, after the last pair.
   */
  insertLines(keys: KeyPath, lines: readonly string[], after: string | null): void {
    const map = this.map(keys);
    if (map.flow) return this.insertFlow(map, lines, after);
    const anchor = after === null ? map.items[map.items.length - 1] : map.items.find((p) => isScalar(p.key) && String(p.key.value) === after);
    if (!anchor) throw new Error(`no key ${after} under ${keys.join(".")} to insert after`);
    const indent = " ".repeat(this.indentAt((map.items[0].key as Scalar).range![0]));
    const at = this.pairEnd(anchor);
    const eol = this.eolAt(Math.max(0, at - 1));
    const text = lines.map((l) => (l === "" ? l : `${indent}${l}`)).join(eol);
    this.splice(at, at, `${at > 0 && this.source[at - 1] !== "\n" ? eol : ""}${text}${eol}`);
  }

  /**
   * A flow mapping (`rollout: { stable: "1.2.0" }  # note`) takes `, key: value` after the pair
   * `after` (or the last one): nothing else of the line changes, its comment included. Block
   * lines become one flow value (their comments cannot come along).
   */
  private insertFlow(map: YAMLMap, lines: readonly string[], after: string | null): void {
    const parsed = parseDocument(lines.join("\n"), { merge: true });
    if (!isMap(parsed.contents) || parsed.errors.length) throw new Error("insertLines takes one mapping entry");
    const entries = parsed.contents.items.map((p: Pair) => {
      const key = StackFileEdit.scalarText(String((p.key as Scalar).value));
      // A scalar keeps the quoting its line was given (`set` quotes like a sibling); the rest goes flow.
      const value =
        p.value === null ? "null" : isScalar(p.value) && typeof p.value.value === "string" ? StackFileEdit.scalarText(p.value.value, p.value) : stringify((p.value as Node).toJS(parsed), { collectionStyle: "flow", lineWidth: 0 }).trim();
      return `${key}: ${value}`;
    });
    const anchor = after === null ? map.items[map.items.length - 1] : map.items.find((p) => isScalar(p.key) && String(p.key.value) === after);
    if (after !== null && !anchor) throw new Error(`no key ${after} in the flow mapping to insert after`);
    if (!anchor) {
      // `{}`: the entries go inside the braces.
      const open = map.range![0];
      this.splice(open + 1, open + 1, ` ${entries.join(", ")} `);
      return;
    }
    const end = this.flowPairEnd(anchor);
    this.splice(end, end, `, ${entries.join(", ")}`);
  }

  /** The end of a flow pair's text (its value, or its key when the value is empty). */
  private flowPairEnd(pair: Pair): number {
    const value = pair.value as { range?: [number, number, number] } | null;
    return value?.range ? value.range[1] : (pair.key as Scalar).range![1];
  }

  /** The source lines of a pair, its key line first, re-indented to column 0 (comments above excluded), without line endings. */
  pairLines(keys: KeyPath): string[] {
    const { map, pair } = this.pair(keys);
    if (!pair) throw new Error(`no ${keys.join(".")}`);
    if (map.flow) {
      const value = isPair(pair) && pair.value ? (pair.value as Node).toJS(this.doc()) : null;
      return [`${StackFileEdit.scalarText(keys[keys.length - 1])}: ${stringify(value, { collectionStyle: "flow", lineWidth: 0 }).trim()}`];
    }
    const start = this.lineStart((pair.key as Scalar).range![0]);
    const indent = this.indentAt((pair.key as Scalar).range![0]);
    return this.source
      .slice(start, this.pairEnd(pair))
      .replace(/\r?\n$/, "")
      .split(/\r?\n/)
      .map((l) => (l.trim() === "" ? "" : l.slice(Math.min(indent, l.length - l.trimStart().length))));
  }

  /** Removes a pair, with the comment lines directly above it (they describe it). */
  remove(keys: KeyPath): void {
    this.refuseShared(keys);
    const { map, pair } = this.pair(keys);
    if (!pair) return;
    if (map.flow) return this.removeFlow(map, pair);
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

  /** Removes `key: value` from a flow mapping with one comma beside it. */
  private removeFlow(map: YAMLMap, pair: Pair): void {
    const i = map.items.indexOf(pair);
    const start = (pair.key as Scalar).range![0];
    const end = this.flowPairEnd(pair);
    if (i + 1 < map.items.length) {
      // Up to the next pair's key: the comma and the space after it go too.
      this.splice(start, (map.items[i + 1].key as Scalar).range![0], "");
    } else if (i > 0) {
      // The last pair: from the end of the previous one, its comma included.
      this.splice(this.flowPairEnd(map.items[i - 1]), end, "");
    } else {
      this.splice(start, end, "");
    }
  }

  /** The unified diff of the edits, secure values masked. */
  patch(): string {
    return createPatch(this.name, this.original, this.source, "", "", { context: 3 })
      .split("\n")
      .filter((l) => !l.startsWith("Index: ") && !/^=+$/.test(l))
      .map((l) => l.replace(/(secure:\s*)[^\s,}]+/g, "$1[secret]"))
      .join("\n");
  }

  /**
   * The file's settings as edited, or a `UserError` listing every problem (nothing is written
   * then). `before` says what the user was about to do, for a file that was invalid already.
   */
  validate(before?: string): StackSettings {
    const project = readProjectFile(this.dir);
    if (!project.ok) throw new UserError(formatProblems(project.problems));
    const loaded = stackFileFromText(this.stack, this.name, this.source, project.value);
    const parsed = loaded.ok ? parseStackConfig(loaded.value.config, this.stack, secretInfo(loaded.value)) : loaded;
    if (!parsed.ok) {
      const what = this.changed ? `the edit would leave ${this.name} invalid, so nothing was written` : `${this.name} is invalid; fix it before ${before ?? "editing it"}`;
      throw new UserError(`${what}.\n${formatProblems(parsed.problems)}`);
    }
    return parsed.settings;
  }

  /** Writes the file atomically (a half-written stack file must never be what CI deploys). */
  write(): void {
    writeAll([this]);
  }
}

/** The file operations `writeAll` uses; tests inject failures through them. */
export interface WriteOps {
  writeFile(file: string, text: string, mode: number): void;
  rename(from: string, to: string): void;
  unlink(file: string): void;
}

const NODE_OPS: WriteOps = {
  writeFile(file, text, mode) {
    const fd = fs.openSync(file, "w", mode);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // The umask may have narrowed it: the stack file keeps exactly its own mode.
    fs.chmodSync(file, mode);
  },
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (file) => fs.rmSync(file, { force: true }),
};

/**
 * Writes every changed edit, or none. Each file is checked first (still a regular file, writable,
 * unchanged on disk since it was read), each new text goes to a temporary file beside it with the
 * file's own mode, and only then are they renamed into place, in the given order. A rename that
 * fails rolls back the ones before it (their original text, written the same way), so an error
 * leaves both files as they were. What remains is a crash (power loss, SIGKILL) between two
 * renames: callers order the edits so that the earlier ones are harmless alone (`promote` stamps
 * the source `released` first, which running promote again completes).
 */
export function writeAll(edits: readonly StackFileEdit[], ops: WriteOps = NODE_OPS): void {
  const changed = edits.filter((e) => e.changed);
  const modes = new Map<StackFileEdit, number>();
  for (const edit of changed) {
    const stat = fs.lstatSync(edit.file, { throwIfNoEntry: false });
    if (!stat || !stat.isFile()) throw new UserError(`${edit.name} is no longer a regular file; nothing was written`);
    if ((stat.mode & 0o200) === 0) {
      throw new UserError(`${edit.name} is read-only (mode ${(stat.mode & 0o777).toString(8).padStart(4, "0")}), so nothing was written: make it writable (chmod u+w ${edit.name}) if it is meant to change`);
    }
    if (fs.readFileSync(edit.file, "utf8") !== edit.original) throw new UserError(`${edit.name} changed on disk since llmops read it; nothing was written: run the command again`);
    modes.set(edit, stat.mode & 0o7777);
  }
  const temp = (edit: StackFileEdit, what: string) => `${edit.file}.llmops-${what}-${process.pid}`;
  const written: StackFileEdit[] = [];
  try {
    for (const edit of changed) {
      ops.writeFile(temp(edit, "new"), edit.text, modes.get(edit)!);
      written.push(edit);
    }
  } catch (err) {
    for (const edit of written) ops.unlink(temp(edit, "new"));
    throw new UserError(`could not write ${changed.map((e) => e.name).join(" and ")} (${(err as Error).message}); nothing was written`);
  }
  const renamed: StackFileEdit[] = [];
  for (const edit of changed) {
    try {
      ops.rename(temp(edit, "new"), edit.file);
      renamed.push(edit);
    } catch (err) {
      for (const rest of changed.filter((e) => !renamed.includes(e))) ops.unlink(temp(rest, "new"));
      const failed: string[] = [];
      for (const done of renamed.reverse()) {
        try {
          ops.writeFile(temp(done, "undo"), done.original, modes.get(done)!);
          ops.rename(temp(done, "undo"), done.file);
        } catch {
          failed.push(done.name);
        }
      }
      const state = failed.length ? `; restoring ${failed.join(" and ")} failed too: it holds the edit, the other files do not` : "; nothing was changed";
      throw new UserError(`could not replace ${edit.name} (${(err as Error).message})${state}`);
    }
  }
}
