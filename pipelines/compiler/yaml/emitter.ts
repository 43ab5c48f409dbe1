/**
 * A YAML writer that reproduces PyYAML's `yaml.dump(data, sort_keys=True)` byte for byte, which
 * is how the KFP SDK writes pipeline specs. The `yaml` package formats correct YAML but quotes,
 * folds and indents differently, so diffs against SDK output would never be empty.
 *
 * This follows PyYAML's `Emitter` (block style, indent 2, width 80, no unicode) for the node kinds
 * a pipeline spec contains: mappings, sequences and scalars; empty collections are flow style.
 */

import { analyzeScalar, isPrintableAscii, LINE_BREAKS, type ScalarAnalysis } from "./analysis";
import { plainResolvesToString } from "./resolver";

export type YamlNode =
  | { readonly kind: "scalar"; readonly text: string; readonly isString: boolean }
  | { readonly kind: "sequence"; readonly items: readonly YamlNode[] }
  | { readonly kind: "mapping"; readonly entries: readonly (readonly [YamlNode, YamlNode])[] };

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
const ESCAPES: Record<string, string> = {
  "\0": "0", "\x07": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r",
  "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P",
};

interface Context {
  readonly mapping?: boolean;
  readonly simpleKey?: boolean;
}

/** Writes one YAML document the way PyYAML's default `Dumper` does. */
export function emitDocument(root: YamlNode): string {
  const emitter = new Emitter(new Map());
  emitter.node(root, {});
  emitter.writeIndent();
  return emitter.output();
}

/** A scalar's characters (code points) and analysis: a spec repeats its keys hundreds of times. */
interface Scanned {
  readonly chars: readonly string[];
  readonly analysis: ScalarAnalysis;
  /** `chars[start..end)` as a string. */
  readonly slice: (start: number, end: number) => string;
}
type Scans = Map<string, Scanned>;

function scan(text: string, scans: Scans): Scanned {
  let scanned = scans.get(text);
  if (!scanned) {
    const chars = Array.from(text);
    // Without characters outside the BMP, code point and UTF-16 indexes are the same.
    const slice = chars.length === text.length ? (start: number, end: number) => text.slice(start, end) : (start: number, end: number) => chars.slice(start, end).join("");
    scans.set(text, (scanned = { chars, analysis: analyzeScalar(chars), slice }));
  }
  return scanned;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** Columns a string takes: its code points, as PyYAML counts them. */
function width(data: string): number {
  return SURROGATE.test(data) ? Array.from(data).length : data.length;
}

class Emitter {
  constructor(private readonly scans: Scans) {}

  private readonly chunks: string[] = [];
  private indent: number | undefined;
  private readonly indents: (number | undefined)[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;

  output(): string {
    return this.chunks.join("");
  }

  node(node: YamlNode, context: Context): void {
    if (node.kind === "scalar") this.scalar(node, context);
    else if (node.kind === "sequence") {
      if (node.items.length === 0) this.emptyFlow("[", "]");
      else this.blockSequence(node.items, context);
    } else if (node.entries.length === 0) this.emptyFlow("{", "}");
    else this.blockMapping(node.entries);
  }

  private emptyFlow(open: string, close: string): void {
    this.writeIndicator(open, true, true);
    this.writeIndicator(close, false);
  }

  private blockSequence(items: readonly YamlNode[], context: Context): void {
    this.increaseIndent(false, Boolean(context.mapping) && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator("-", true, false, true);
      this.node(item, {});
    }
    this.indent = this.indents.pop();
  }

  private blockMapping(entries: readonly (readonly [YamlNode, YamlNode])[]): void {
    this.increaseIndent(false, false);
    for (const [key, value] of entries) {
      this.writeIndent();
      if (isSimpleKey(key, this.scans)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(":", false);
      } else {
        this.writeIndicator("?", true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(":", true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.indent = this.indents.pop();
  }

  private scalar(node: { readonly text: string; readonly isString: boolean }, context: Context): void {
    this.increaseIndent(true, false);
    const scanned = scan(node.text, this.scans);
    const split = !context.simpleKey;
    const style = chooseStyle(node, scanned.analysis, Boolean(context.simpleKey));
    if (style === "plain") this.writePlain(scanned, split);
    else if (style === "single") this.writeSingleQuoted(scanned, split);
    else this.writeDoubleQuoted(scanned, split);
    this.indent = this.indents.pop();
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent === undefined) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private write(data: string): void {
    this.chunks.push(data);
    this.column += width(data);
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWhitespace ? indicator : ` ${indicator}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(" ".repeat(indent - this.column));
    }
  }

  private writeLineBreak(data = "\n"): void {
    this.whitespace = true;
    this.indention = true;
    this.chunks.push(data);
    this.column = 0;
  }

  private writePlain({ chars, slice }: Scanned, split: boolean): void {
    if (chars.length === 0) return;
    if (!this.whitespace) this.write(" ");
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(slice(start, end));
          start = end;
        }
      } else if (ch === undefined || ch === " " || LINE_BREAKS.includes(ch)) {
        this.write(slice(start, end));
        start = end;
      }
      if (ch !== undefined) spaces = ch === " ";
    }
  }

  private writeSingleQuoted({ chars, slice }: Scanned, split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (spaces) {
        if (ch === undefined || ch !== " ") {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== chars.length) {
            this.writeIndent();
          } else this.write(slice(start, end));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !LINE_BREAKS.includes(ch)) {
          if (chars[start] === "\n") this.writeLineBreak();
          for (const br of chars.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ch === " " || LINE_BREAKS.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(slice(start, end));
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === " ";
        breaks = LINE_BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  private writeDoubleQuoted({ chars, slice }: Scanned, split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    for (let end = 0; end <= chars.length; end++) {
      const ch = end < chars.length ? chars[end] : undefined;
      if (ch === undefined || '"\\\x85\u2028\u2029\ufeff'.includes(ch) || !isPrintableAscii(ch)) {
        if (start < end) {
          this.write(slice(start, end));
          start = end;
        }
        if (ch !== undefined) {
          this.write(`\\${ESCAPES[ch] ?? numericEscape(ch)}`);
          start = end + 1;
        }
      }
      if (end > 0 && end < chars.length - 1 && (ch === " " || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        this.write(`${slice(start, end)}\\`);
        if (start < end) start = end;
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (chars[start] === " ") this.write("\\");
      }
    }
    this.writeIndicator('"', false);
  }
}

function isSimpleKey(key: YamlNode, scans: Scans): boolean {
  if (key.kind !== "scalar") return key.kind === "sequence" ? key.items.length === 0 : key.entries.length === 0;
  const { chars, analysis } = scan(key.text, scans);
  return chars.length < 128 && !analysis.empty && !analysis.multiline;
}

function chooseStyle(node: { readonly text: string; readonly isString: boolean }, analysis: ScalarAnalysis, simpleKey: boolean) {
  // Non-string scalars are always written plain; strings only when they read back as strings.
  const plainImplicit = !node.isString || plainResolvesToString(node.text);
  if (plainImplicit && !(simpleKey && (analysis.empty || analysis.multiline)) && analysis.allowBlockPlain) return "plain";
  if (analysis.allowSingleQuoted && !(simpleKey && analysis.multiline)) return "single";
  return "double";
}

function numericEscape(ch: string): string {
  const code = ch.codePointAt(0) as number;
  if (code <= 0xff) return `x${code.toString(16).toUpperCase().padStart(2, "0")}`;
  if (code <= 0xffff) return `u${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `U${code.toString(16).toUpperCase().padStart(8, "0")}`;
}
