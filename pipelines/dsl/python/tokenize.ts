/**
 * A Python tokenizer, as far as reading a component's function needs: the token stream of CPython's
 * `tokenize` module (NAME, NUMBER, STRING, OP, COMMENT, NEWLINE, NL, INDENT, DEDENT), with the same
 * positions, so that the function's extent can be found the way `inspect.getsource` finds it.
 * Source: CPython 3.11 `Lib/tokenize.py` (`_tokenize`), re-implemented; f-strings are one STRING
 * token, as before Python 3.12.
 */

export type TokenType = "NAME" | "NUMBER" | "STRING" | "OP" | "COMMENT" | "NEWLINE" | "NL" | "INDENT" | "DEDENT" | "ERRORTOKEN";

export interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** 1-based line, 0-based column (in characters), as `tokenize` reports them. */
  readonly start: readonly [number, number];
  readonly end: readonly [number, number];
}

export class PythonSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
    this.name = "PythonSyntaxError";
  }
}

const TAB_SIZE = 8;
const STRING_PREFIX = "(?:[bB][rR]?|[rR][bB]?|[uU]|[fF][rR]?|[rR][fF])?";
const NUMBER =
  "(?:0[xX](?:_?[0-9a-fA-F])+|0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|" +
  "(?:(?:[0-9](?:_?[0-9])*\\.(?:[0-9](?:_?[0-9])*)?|\\.[0-9](?:_?[0-9])*)(?:[eE][-+]?[0-9](?:_?[0-9])*)?|[0-9](?:_?[0-9])*[eE][-+]?[0-9](?:_?[0-9])*)[jJ]?|" +
  "[0-9](?:_?[0-9])*[jJ]|(?:0(?:_?0)*|[1-9](?:_?[0-9])*))";
const OPERATORS = [
  "**=", "//=", ">>=", "<<=", "...", "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=", "<<", "<=", "==", ">=", ">>", "@=", "^=", "|=",
  "%", "&", "(", ")", "*", "+", ",", "-", ".", "/", ":", ";", "<", "=", ">", "@", "[", "]", "^", "{", "|", "}", "~",
];
const NAME = "[\\p{L}\\p{Nl}_][\\p{L}\\p{Nl}\\p{Mn}\\p{Mc}\\p{Nd}\\p{Pc}]*";
/** One token after optional blanks; a single-quoted string may end the line with a backslash. */
const PSEUDO_TOKEN = new RegExp(
  "[ \\f\\t]*(" +
    [
      "\\\\\\r?\\n|$",
      "#[^\\r\\n]*",
      `${STRING_PREFIX}(?:'''|""")`,
      NUMBER,
      OPERATORS.map((op) => op.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
      "\\r?\\n",
      `${STRING_PREFIX}'[^\\n'\\\\]*(?:\\\\.[^\\n'\\\\]*)*(?:'|\\\\\\r?\\n)`,
      `${STRING_PREFIX}"[^\\n"\\\\]*(?:\\\\.[^\\n"\\\\]*)*(?:"|\\\\\\r?\\n)`,
      NAME,
    ].join("|") +
    ")",
  "uy",
);
const TRIPLE_START = new RegExp(`^${STRING_PREFIX}(?:'''|""")$`);
const SINGLE_START = new RegExp(`^${STRING_PREFIX}['"]`);
const END_PATTERNS: Readonly<Record<string, RegExp>> = {
  "'": /[^\n'\\]*(?:\\.[^\n'\\]*)*'/y,
  '"': /[^\n"\\]*(?:\\.[^\n"\\]*)*"/y,
  "'''": /[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''/y,
  '"""': /[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""/y,
};

/** The lines of `source` as Python reads a file (universal newlines), each with its line break. */
export function sourceLines(source: string): string[] {
  const text = source.replace(/\r\n?/g, "\n");
  const lines = text.split(/(?<=\n)/);
  return lines.length > 0 && lines[lines.length - 1] === "" ? lines.slice(0, -1) : lines;
}

/** The token stream `tokenize.generate_tokens` yields for `lines` (without ENCODING and ENDMARKER). */
export function tokenize(lines: readonly string[]): Token[] {
  return [...generateTokens(lines)];
}

/**
 * Lazily, like `tokenize.generate_tokens`: a reader that stops early (as `inspect.getblock` does at
 * the end of a function) never sees a syntax error further down the file.
 */
export function* generateTokens(lines: readonly string[]): Generator<Token, void, undefined> {
  const make = (type: TokenType, text: string, start: readonly [number, number], end: readonly [number, number]): Token => ({ type, text, start, end });
  let parenLevel = 0;
  let continued = false;
  const indents = [0];
  let pending: { text: string; start: readonly [number, number]; end: RegExp; needContinuation: boolean } | undefined;
  let lineNumber = 0;
  let lastLine = "";
  for (const line of [...lines, ""]) {
    lineNumber++;
    let pos = 0;
    const max = line.length;
    if (pending !== undefined) {
      if (line === "") throw new PythonSyntaxError("end of file inside a multi-line string", pending.start[0]);
      pending.end.lastIndex = 0;
      const match = pending.end.exec(line);
      if (match) {
        pos = match.index + match[0].length;
        yield make("STRING", pending.text + line.slice(0, pos), pending.start, [lineNumber, pos]);
        pending = undefined;
      } else if (pending.needContinuation && !line.endsWith("\\\n")) {
        throw new PythonSyntaxError("unterminated string", pending.start[0]);
      } else {
        pending.text += line;
        lastLine = line;
        continue;
      }
    } else if (parenLevel === 0 && !continued) {
      if (line === "") break;
      let column = 0;
      while (pos < max) {
        const ch = line[pos];
        if (ch === " ") column++;
        else if (ch === "\t") column = (Math.floor(column / TAB_SIZE) + 1) * TAB_SIZE;
        else if (ch === "\f") column = 0;
        else break;
        pos++;
      }
      if (pos === max) break;
      if ("#\r\n".includes(line[pos])) {
        if (line[pos] === "#") {
          const comment = line.slice(pos).replace(/[\r\n]+$/, "");
          yield make("COMMENT", comment, [lineNumber, pos], [lineNumber, pos + comment.length]);
          pos += comment.length;
        }
        yield make("NL", line.slice(pos), [lineNumber, pos], [lineNumber, line.length]);
        lastLine = line;
        continue;
      }
      if (column > indents[indents.length - 1]) {
        indents.push(column);
        yield make("INDENT", line.slice(0, pos), [lineNumber, 0], [lineNumber, pos]);
      }
      while (column < indents[indents.length - 1]) {
        if (!indents.includes(column)) throw new PythonSyntaxError("unindent does not match any outer indentation level", lineNumber);
        indents.pop();
        yield make("DEDENT", "", [lineNumber, pos], [lineNumber, pos]);
      }
    } else {
      if (line === "") throw new PythonSyntaxError("end of file inside a statement (an unclosed bracket?)", lineNumber - 1);
      continued = false;
    }
    while (pos < max) {
      PSEUDO_TOKEN.lastIndex = pos;
      const match = PSEUDO_TOKEN.exec(line);
      if (!match) {
        yield make("ERRORTOKEN", line[pos], [lineNumber, pos], [lineNumber, pos + 1]);
        pos++;
        continue;
      }
      const text = match[1];
      const start = match.index + match[0].length - text.length;
      const end = start + text.length;
      pos = end;
      if (start === end) continue;
      const initial = text[0];
      if (/[0-9]/.test(initial) || (initial === "." && text !== "." && text !== "...")) yield make("NUMBER", text, [lineNumber, start], [lineNumber, end]);
      else if (initial === "\r" || initial === "\n") yield make(parenLevel > 0 ? "NL" : "NEWLINE", text, [lineNumber, start], [lineNumber, end]);
      else if (initial === "#") yield make("COMMENT", text, [lineNumber, start], [lineNumber, end]);
      else if (TRIPLE_START.test(text)) {
        const quote = text.slice(-3);
        const endPattern = END_PATTERNS[quote];
        endPattern.lastIndex = pos;
        const endMatch = endPattern.exec(line);
        if (endMatch) {
          pos = endMatch.index + endMatch[0].length;
          yield make("STRING", line.slice(start, pos), [lineNumber, start], [lineNumber, pos]);
        } else {
          pending = { text: line.slice(start), start: [lineNumber, start], end: new RegExp(endPattern.source, "y"), needContinuation: false };
          break;
        }
      } else if (SINGLE_START.test(text)) {
        if (text.endsWith("\n")) {
          const quote = text.replace(/^[a-zA-Z]*/, "")[0];
          pending = { text: line.slice(start), start: [lineNumber, start], end: new RegExp(END_PATTERNS[quote].source, "y"), needContinuation: true };
          break;
        }
        yield make("STRING", text, [lineNumber, start], [lineNumber, end]);
      } else if (/[\p{L}\p{Nl}_]/u.test(initial)) yield make("NAME", text, [lineNumber, start], [lineNumber, end]);
      else if (initial === "\\") continued = true;
      else {
        if ("([{".includes(initial)) parenLevel++;
        else if (")]}".includes(initial)) parenLevel--;
        yield make("OP", text, [lineNumber, start], [lineNumber, end]);
      }
    }
    lastLine = line;
  }
  if (pending !== undefined) throw new PythonSyntaxError("end of file inside a multi-line string", pending.start[0]);
  if (lastLine !== "" && !lastLine.endsWith("\n") && !lastLine.trim().startsWith("#")) {
    yield make("NEWLINE", "", [lineNumber - 1, lastLine.length], [lineNumber - 1, lastLine.length + 1]);
  }
  for (let i = 1; i < indents.length; i++) yield make("DEDENT", "", [lineNumber, 0], [lineNumber, 0]);
}
