/**
 * Reads one function out of a Python module's source the way the KFP SDK sees it:
 *
 * - its text, as `_get_function_source_definition` embeds it in the container (`inspect.getsource`,
 *   then `textwrap.dedent`, then the lines before `def` dropped);
 * - its signature: each parameter's name, annotation and default, and the return annotation;
 * - its docstring (`inspect.getdoc`);
 * - the module's top-level constants and `NamedTuple` classes, which annotations and defaults may
 *   name.
 *
 * Sources: kubeflow/pipelines `sdk/python/kfp/dsl/component_factory.py` (sdk-2.14.3) and CPython
 * 3.11 `Lib/inspect.py` (`findsource`, `BlockFinder`, `getblock`, `cleandoc`), `Lib/textwrap.py`.
 */

import { literalValue, parseExpression, type Constants, type Expression } from "./expression";
import { generateTokens, PythonSyntaxError, sourceLines, tokenize, type Token } from "./tokenize";

export interface PythonParameter {
  readonly name: string;
  readonly annotation?: Expression;
  readonly default?: Expression;
  readonly line: number;
}

export interface NamedTupleField {
  readonly name: string;
  readonly annotation: Expression;
}

export interface PythonFunction {
  readonly name: string;
  /** The line of `def`. */
  readonly line: number;
  /** The text the SDK embeds: the dedented function, from `def` on, ending with a line break. */
  readonly source: string;
  readonly parameters: readonly PythonParameter[];
  readonly returns?: Expression;
  /** `inspect.getdoc`: the cleaned docstring, if the body starts with one. */
  readonly docstring?: string;
  /** Top-level names bound to expressions (`X = ...`), for defaults. */
  readonly constants: Constants;
  /** Top-level `class X(NamedTuple)` definitions and `X = NamedTuple(...)` bindings, by name. */
  readonly namedTuples: ReadonlyMap<string, readonly NamedTupleField[]>;
}

/** Finds `def <name>` in `source` and reads it; throws a `PythonSyntaxError` saying what is wrong. */
export function readFunction(source: string, name: string): PythonFunction {
  const lines = sourceLines(source);
  const tokens = tokenize(lines);
  const definitions = tokens.flatMap((token, index) => (token.type === "NAME" && token.text === "def" && tokens[index + 1]?.text === name ? [index] : []));
  if (definitions.length === 0) {
    const names = tokens.flatMap((token, index) => (token.type === "NAME" && token.text === "def" ? [tokens[index + 1]?.text] : []));
    throw new PythonSyntaxError(`no function named "${name}"; functions defined: ${names.join(", ") || "none"}`, 1);
  }
  if (definitions.length > 1) {
    throw new PythonSyntaxError(`"${name}" is defined ${definitions.length} times (lines ${definitions.map((i) => tokens[i].start[0]).join(", ")}); allowed: one definition`, tokens[definitions[1]].start[0]);
  }
  const defIndex = definitions[0];
  const defToken = tokens[defIndex];
  if (tokens[defIndex - 1]?.text === "async") throw new PythonSyntaxError(`"${name}" is an async function; allowed: a plain def, which the KFP executor calls`, defToken.start[0]);
  const firstLine = firstDecoratorLine(tokens, defIndex);
  const blockLength = blockLineCount(lines.slice(firstLine - 1));
  const text = dedent(lines.slice(firstLine - 1, firstLine - 1 + blockLength).join(""));
  const kept = text.split("\n");
  const defAt = kept.findIndex((line) => line.startsWith("def"));
  const { parameters, returns, bodyStart } = readSignature(tokens, defIndex);
  const docstring = readDocstring(tokens, bodyStart);
  return {
    name,
    line: defToken.start[0],
    source: (defAt < 0 ? [] : kept.slice(defAt)).join("\n"),
    parameters,
    ...(returns !== undefined ? { returns } : {}),
    ...(docstring !== undefined ? { docstring } : {}),
    ...moduleDefinitions(tokens),
  };
}

/** The line `inspect.findsource` starts a decorated function at: its first decorator. */
function firstDecoratorLine(tokens: readonly Token[], defIndex: number): number {
  // The first token of every logical line before `def`; blank and comment-only lines make none.
  const starts: Token[] = [];
  let atStart = true;
  for (let index = 0; index < defIndex; index++) {
    const token = tokens[index];
    if (token.type === "NEWLINE") atStart = true;
    else if (atStart && !["NL", "COMMENT", "INDENT", "DEDENT"].includes(token.type)) {
      starts.push(token);
      atStart = false;
    }
  }
  let line = tokens[defIndex].start[0];
  for (let i = starts.length - 1; i >= 0 && starts[i].type === "OP" && starts[i].text === "@"; i--) line = starts[i].start[0];
  return line;
}

/** `inspect.getblock`: how many lines, from the first, the block at the top of `lines` spans. */
function blockLineCount(lines: readonly string[]): number {
  let indent = 0;
  let started = false;
  let passLine = false;
  let inDecorator = false;
  let last = 1;
  let bodyColumn: number | undefined;
  try {
    for (const token of generateTokens(lines)) {
      if (!started && !inDecorator) {
        if (token.text === "@") inDecorator = true;
        else if (token.text === "def" || token.text === "class" || token.text === "lambda") started = true;
        passLine = true;
      } else if (token.type === "NEWLINE") {
        passLine = false;
        last = token.start[0];
        if (inDecorator) inDecorator = false;
      } else if (passLine) {
        // Skipping to the end of the line.
      } else if (token.type === "INDENT") {
        if (bodyColumn === undefined && started) bodyColumn = token.end[1];
        indent++;
        passLine = true;
      } else if (token.type === "DEDENT") {
        indent--;
        if (indent <= 0) break;
      } else if (token.type === "COMMENT") {
        // Comments at least as indented as the body belong to it.
        if (bodyColumn !== undefined && token.start[1] >= bodyColumn) last = token.start[0];
      } else if (indent === 0 && token.type !== "NL") break;
    }
  } catch (error) {
    // `getblock` stops quietly at an IndentationError; other tokenizer errors propagate.
    if (!(error instanceof PythonSyntaxError && /unindent/.test(error.message))) throw error;
  }
  return last;
}

/** `textwrap.dedent`: blank lines emptied, then the longest common leading whitespace removed. */
export function dedent(text: string): string {
  const cleaned = text.replace(/^[ \t]+$/gm, "");
  let margin: string | undefined;
  for (const match of cleaned.matchAll(/^([ \t]*)[^ \t\n]/gm)) {
    const indent = match[1];
    if (margin === undefined) margin = indent;
    else if (indent.startsWith(margin)) continue;
    else if (margin.startsWith(indent)) margin = indent;
    else {
      let common = 0;
      while (common < margin.length && common < indent.length && margin[common] === indent[common]) common++;
      margin = margin.slice(0, common);
    }
  }
  if (!margin) return cleaned;
  const prefix = margin;
  return cleaned.replace(/^[^\n]*/gm, (line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line));
}

/** `def name(<parameters>) -> <returns>:` starting at the `def` token. */
function readSignature(tokens: readonly Token[], defIndex: number): { parameters: PythonParameter[]; returns?: Expression; bodyStart: number } {
  let index = defIndex + 2;
  const open = tokens[index];
  if (open?.text !== "(") throw new PythonSyntaxError(`expected "(" after the function name`, tokens[defIndex].start[0]);
  let depth = 0;
  const inner: Token[] = [];
  for (index++; ; index++) {
    const token = tokens[index];
    if (token === undefined) throw new PythonSyntaxError("unclosed parameter list", open.start[0]);
    if (token.type === "OP" && "([{".includes(token.text)) depth++;
    if (token.type === "OP" && ")]}".includes(token.text)) {
      if (depth === 0) break;
      depth--;
    }
    if (token.type !== "NL" && token.type !== "COMMENT") inner.push(token);
  }
  index++;
  let returns: Expression | undefined;
  if (tokens[index]?.text === "->") {
    const annotation: Token[] = [];
    for (index++; tokens[index] !== undefined && !(tokens[index].type === "OP" && tokens[index].text === ":" && depthOf(annotation) === 0); index++) {
      if (tokens[index].type !== "NL" && tokens[index].type !== "COMMENT") annotation.push(tokens[index]);
    }
    returns = parseExpression(annotation);
  }
  if (tokens[index]?.text !== ":") throw new PythonSyntaxError(`expected ":" after the signature`, tokens[defIndex].start[0]);
  return { parameters: splitParameters(inner), ...(returns !== undefined ? { returns } : {}), bodyStart: index + 1 };
}

function depthOf(tokens: readonly Token[]): number {
  let depth = 0;
  for (const token of tokens) {
    if (token.type === "OP" && "([{".includes(token.text)) depth++;
    if (token.type === "OP" && ")]}".includes(token.text)) depth--;
  }
  return depth;
}

/** Top-level comma-separated items of `tokens`. */
function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const items: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (token.type === "OP" && "([{".includes(token.text)) depth++;
    if (token.type === "OP" && ")]}".includes(token.text)) depth--;
    if (depth === 0 && token.type === "OP" && token.text === ",") items.push([]);
    else items[items.length - 1].push(token);
  }
  return items.filter((item) => item.length > 0);
}

function splitParameters(tokens: readonly Token[]): PythonParameter[] {
  const parameters: PythonParameter[] = [];
  for (const item of splitTopLevel(tokens)) {
    const first = item[0];
    const line = first.start[0];
    if (first.type === "OP" && (first.text === "/" || first.text === "*") && item.length === 1) continue;
    if (first.type === "OP" && (first.text === "*" || first.text === "**")) {
      throw new PythonSyntaxError(`"${first.text}${item[1]?.text ?? ""}" collects extra arguments; allowed: named parameters only, which become the component's inputs`, line);
    }
    if (first.type !== "NAME") throw new PythonSyntaxError(`unexpected ${JSON.stringify(first.text)} in the parameter list`, line);
    let at = 1;
    let annotation: Expression | undefined;
    let defaultValue: Expression | undefined;
    if (item[at]?.text === ":") {
      const end = findTopLevel(item, "=", at + 1);
      annotation = parseExpression(item.slice(at + 1, end));
      at = end;
    }
    if (item[at]?.text === "=") {
      defaultValue = parseExpression(item.slice(at + 1));
      at = item.length;
    }
    if (at < item.length) throw new PythonSyntaxError(`unexpected ${JSON.stringify(item[at].text)} after parameter "${first.text}"`, line);
    parameters.push({ name: first.text, line, ...(annotation !== undefined ? { annotation } : {}), ...(defaultValue !== undefined ? { default: defaultValue } : {}) });
  }
  return parameters;
}

function findTopLevel(tokens: readonly Token[], text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "OP" && "([{".includes(token.text)) depth++;
    if (token.type === "OP" && ")]}".includes(token.text)) depth--;
    if (depth === 0 && token.type === "OP" && token.text === text) return i;
  }
  return tokens.length;
}

/** The first statement of the body, if it is a plain string literal: `inspect.getdoc`, cleaned. */
function readDocstring(tokens: readonly Token[], bodyStart: number): string | undefined {
  let index = bodyStart;
  while (["NEWLINE", "NL", "COMMENT", "INDENT"].includes(tokens[index]?.type ?? "")) index++;
  const parts: Token[] = [];
  while (tokens[index]?.type === "STRING" || tokens[index]?.type === "NL" || tokens[index]?.type === "COMMENT") {
    if (tokens[index].type === "STRING") parts.push(tokens[index]);
    index++;
  }
  const end = tokens[index];
  if (parts.length === 0 || (end !== undefined && end.type !== "NEWLINE" && !(end.type === "OP" && end.text === ";"))) return undefined;
  const value = parseExpression(parts);
  return value.kind === "string" ? cleandoc(value.value) : undefined;
}

/** `inspect.cleandoc`: tabs expanded, common indentation of the later lines removed, blank ends trimmed. */
export function cleandoc(doc: string): string {
  const lines = expandTabs(doc).split("\n");
  let margin = Infinity;
  for (const line of lines.slice(1)) {
    const content = pythonLstrip(line).length;
    if (content > 0) margin = Math.min(margin, line.length - content);
  }
  if (lines.length > 0) lines[0] = pythonLstrip(lines[0]);
  if (margin < Infinity) for (let i = 1; i < lines.length; i++) lines[i] = lines[i].slice(margin);
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  while (lines.length > 0 && lines[0] === "") lines.shift();
  return lines.join("\n");
}

/** `str.expandtabs(8)`. */
function expandTabs(text: string): string {
  let out = "";
  let column = 0;
  for (const ch of text) {
    if (ch === "\t") {
      const spaces = 8 - (column % 8);
      out += " ".repeat(spaces);
      column += spaces;
    } else {
      out += ch;
      column = ch === "\n" || ch === "\r" ? 0 : column + 1;
    }
  }
  return out;
}

/** Python's `str.lstrip()`: removes leading whitespace as `str.isspace` defines it. */
function pythonLstrip(text: string): string {
  return text.replace(/^[\s\x1c-\x1f\x85]+/u, "");
}

/** Top-level `NAME = <expression>` statements and `class NAME(NamedTuple):` bodies. */
function moduleDefinitions(tokens: readonly Token[]): { constants: Constants; namedTuples: ReadonlyMap<string, readonly NamedTupleField[]> } {
  const constants = new Map<string, Expression>();
  const namedTuples = new Map<string, readonly NamedTupleField[]>();
  let depth = 0;
  let statement: Token[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.type === "INDENT") depth++;
    else if (token.type === "DEDENT") depth--;
    else if (token.type === "NEWLINE") {
      if (depth === 0 && statement.length > 0) {
        if (statement[0].text === "class") {
          const fields = namedTupleClass(statement, tokens, index);
          if (fields !== undefined) namedTuples.set(statement[1].text, fields);
        } else if (statement[0].type === "NAME" && statement[1]?.text === "=" && findTopLevel(statement, "=", 2) === statement.length) {
          try {
            const value = parseExpression(statement.slice(2));
            constants.set(statement[0].text, value);
            const fields = namedTupleCall(value);
            if (fields !== undefined) namedTuples.set(statement[0].text, fields);
          } catch {
            // Not an expression this reader handles: the name stays unknown.
          }
        }
      }
      statement = [];
    } else if (token.type !== "NL" && token.type !== "COMMENT" && depth === 0) statement.push(token);
  }
  return { constants, namedTuples };
}

/** `class X(NamedTuple):` (or `typing.NamedTuple`) followed by `field: annotation` lines. */
function namedTupleClass(header: readonly Token[], tokens: readonly Token[], newlineIndex: number): NamedTupleField[] | undefined {
  const bases = header.slice(2).map((token) => token.text).join("");
  if (!/^\((typing\.)?NamedTuple\):$/.test(bases)) return undefined;
  if (tokens[newlineIndex + 1]?.type !== "INDENT") return undefined;
  const fields: NamedTupleField[] = [];
  let depth = 0;
  let statement: Token[] = [];
  for (let index = newlineIndex + 1; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.type === "INDENT") depth++;
    else if (token.type === "DEDENT") {
      depth--;
      if (depth === 0) break;
    } else if (token.type === "NEWLINE") {
      if (depth === 1 && statement[0]?.type === "NAME" && statement[1]?.text === ":") {
        const end = findTopLevel(statement, "=", 2);
        fields.push({ name: statement[0].text, annotation: parseExpression(statement.slice(2, end)) });
      }
      statement = [];
    } else if (token.type !== "NL" && token.type !== "COMMENT") statement.push(token);
  }
  return fields;
}

/** `NamedTuple('Outputs', [('a', str), ...])` or `NamedTuple('Outputs', a=str, ...)`: its fields. */
export function namedTupleCall(expression: Expression): NamedTupleField[] | undefined {
  if (expression.kind !== "call" || expression.func.kind !== "name" || !/^(typing\.)?NamedTuple$/.test(expression.func.name)) return undefined;
  const fields: NamedTupleField[] = [];
  const list = expression.args[1];
  if (list !== undefined) {
    if (list.kind !== "list" && list.kind !== "tuple") return undefined;
    for (const item of list.items) {
      if (item.kind !== "tuple" || item.items.length !== 2) return undefined;
      const name = literalValue(item.items[0]);
      if ("error" in name || typeof name.value !== "string") return undefined;
      fields.push({ name: name.value, annotation: item.items[1] });
    }
  }
  for (const [name, annotation] of expression.keywords) fields.push({ name, annotation });
  return fields;
}
