/**
 * Python expressions as they appear in a function signature: type annotations (`List[str]`,
 * `Input[Dataset]`, `OutputPath('Dataset')`, `NamedTuple('Outputs', [('a', str)])`) and default
 * values (literals). A recursive-descent parser over the tokens of `tokenize.ts`, for that subset
 * of the grammar; anything else is reported, never guessed.
 */

import type { JsonValue } from "../types";
import { PythonSyntaxError, type Token } from "./tokenize";

export type Expression =
  | { readonly kind: "name"; readonly name: string; readonly line: number }
  | { readonly kind: "attribute"; readonly value: Expression; readonly name: string; readonly line: number }
  | { readonly kind: "string"; readonly value: string; readonly line: number }
  | { readonly kind: "number"; readonly value: number; readonly integer: boolean; readonly line: number }
  | { readonly kind: "unsupported-literal"; readonly what: string; readonly line: number }
  | { readonly kind: "list" | "tuple" | "set"; readonly items: readonly Expression[]; readonly line: number }
  | { readonly kind: "dict"; readonly entries: readonly (readonly [Expression, Expression])[]; readonly line: number }
  | { readonly kind: "subscript"; readonly value: Expression; readonly index: readonly Expression[]; readonly line: number }
  | { readonly kind: "call"; readonly func: Expression; readonly args: readonly Expression[]; readonly keywords: readonly (readonly [string, Expression])[]; readonly line: number }
  | { readonly kind: "unary"; readonly operator: string; readonly operand: Expression; readonly line: number }
  | { readonly kind: "binary"; readonly operator: string; readonly left: Expression; readonly right: Expression; readonly line: number };

/** Parses the tokens of one expression (no NL or COMMENT tokens); all of them must be used. */
export function parseExpression(tokens: readonly Token[]): Expression {
  const parser = new Parser(tokens);
  const expression = parser.expression();
  parser.expectEnd();
  return expression;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expectEnd(): void {
    const token = this.tokens[this.index];
    if (token !== undefined) throw new PythonSyntaxError(`unexpected ${JSON.stringify(token.text)} in an expression`, token.start[0]);
  }

  expression(): Expression {
    const token = this.peek();
    if (token?.type === "NAME" && (token.text === "lambda" || token.text === "yield" || token.text === "await")) this.unsupported(token, `"${token.text}"`);
    const value = this.binary(0);
    const next = this.peek();
    if (next?.type === "NAME" && (next.text === "if" || next.text === "for")) this.unsupported(next, next.text === "if" ? "a conditional expression" : "a comprehension");
    return value;
  }

  /** Binary operators by precedence, lowest first (`or`/`and`/`not`/comparisons are not literals). */
  private static readonly LEVELS: readonly (readonly string[])[] = [["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"], ["*", "/", "//", "%", "@"]];

  private binary(level: number): Expression {
    if (level === Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const token = this.peek();
      if (token?.type !== "OP" || !Parser.LEVELS[level].includes(token.text)) return left;
      this.index++;
      left = { kind: "binary", operator: token.text, left, right: this.binary(level + 1), line: token.start[0] };
    }
  }

  private unary(): Expression {
    const token = this.peek();
    if (token?.type === "OP" && (token.text === "-" || token.text === "+" || token.text === "~")) {
      this.index++;
      return { kind: "unary", operator: token.text, operand: this.unary(), line: token.start[0] };
    }
    const base = this.primary();
    const power = this.peek();
    if (power?.type === "OP" && power.text === "**") {
      this.index++;
      return { kind: "binary", operator: "**", left: base, right: this.unary(), line: power.start[0] };
    }
    return base;
  }

  private primary(): Expression {
    let value = this.atom();
    for (;;) {
      const token = this.peek();
      if (token?.type !== "OP") return value;
      if (token.text === ".") {
        this.index++;
        const name = this.next();
        if (name.type !== "NAME") throw new PythonSyntaxError(`expected a name after "."`, name.start[0]);
        value = value.kind === "name" ? { kind: "name", name: `${value.name}.${name.text}`, line: value.line } : { kind: "attribute", value, name: name.text, line: name.start[0] };
      } else if (token.text === "[") {
        this.index++;
        const index = this.sequence("]");
        value = { kind: "subscript", value, index: index.items, line: token.start[0] };
      } else if (token.text === "(") {
        this.index++;
        value = this.call(value, token);
      } else return value;
    }
  }

  private call(func: Expression, open: Token): Expression {
    const args: Expression[] = [];
    const keywords: [string, Expression][] = [];
    while (!this.at(")")) {
      const token = this.peek();
      if (token === undefined) throw new PythonSyntaxError("unclosed call", open.start[0]);
      if (token.type === "OP" && (token.text === "*" || token.text === "**")) this.unsupported(token, `"${token.text}" unpacking`);
      const following = this.tokens[this.index + 1];
      if (token.type === "NAME" && following?.type === "OP" && following.text === "=") {
        this.index += 2;
        keywords.push([token.text, this.expression()]);
      } else args.push(this.expression());
      if (!this.at(")")) this.expect(",");
    }
    this.expect(")");
    return { kind: "call", func, args, keywords, line: open.start[0] };
  }

  private atom(): Expression {
    const token = this.next();
    const line = token.start[0];
    switch (token.type) {
      case "NAME":
        return { kind: "name", name: token.text, line };
      case "NUMBER":
        return parseNumber(token);
      case "STRING": {
        const parts = [token];
        while (this.peek()?.type === "STRING") parts.push(this.next());
        return parseStrings(parts);
      }
      case "OP":
        if (token.text === "(") {
          if (this.at(")")) {
            this.index++;
            return { kind: "tuple", items: [], line };
          }
          const first = this.expression();
          if (this.at(")")) {
            this.index++;
            return first;
          }
          this.expect(",");
          const rest = this.sequence(")");
          return { kind: "tuple", items: [first, ...rest.items], line };
        }
        if (token.text === "[") return { kind: "list", items: this.sequence("]").items, line };
        if (token.text === "{") return this.braces(token);
        if (token.text === "...") return { kind: "name", name: "...", line };
        break;
    }
    throw new PythonSyntaxError(`unexpected ${JSON.stringify(token.text)} in an expression`, line);
  }

  private braces(open: Token): Expression {
    const line = open.start[0];
    if (this.at("}")) {
      this.index++;
      return { kind: "dict", entries: [], line };
    }
    const first = this.expression();
    if (this.at(":")) {
      const entries: [Expression, Expression][] = [];
      let key = first;
      for (;;) {
        this.expect(":");
        entries.push([key, this.expression()]);
        if (this.at("}")) break;
        this.expect(",");
        if (this.at("}")) break;
        if (this.at("**")) this.unsupported(this.peek() as Token, '"**" unpacking');
        key = this.expression();
      }
      this.expect("}");
      return { kind: "dict", entries, line };
    }
    const items = [first];
    while (!this.at("}")) {
      this.expect(",");
      if (this.at("}")) break;
      items.push(this.expression());
    }
    this.expect("}");
    return { kind: "set", items, line };
  }

  /** Comma-separated expressions up to `close` (consumed); a trailing comma is allowed. */
  private sequence(close: string): { items: Expression[] } {
    const items: Expression[] = [];
    while (!this.at(close)) {
      const token = this.peek();
      if (token?.type === "OP" && token.text === "*") this.unsupported(token, '"*" unpacking');
      if (token?.type === "OP" && token.text === ":" && close === "]") this.unsupported(token, "a slice");
      items.push(this.expression());
      if (!this.at(close)) this.expect(",");
    }
    this.expect(close);
    return { items };
  }

  private at(text: string): boolean {
    const token = this.peek();
    return token?.type === "OP" && token.text === text;
  }

  private expect(text: string): void {
    const token = this.next();
    if (token.type !== "OP" || token.text !== text) throw new PythonSyntaxError(`expected "${text}", found ${JSON.stringify(token.text)}`, token.start[0]);
  }

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }

  private next(): Token {
    const token = this.tokens[this.index++];
    if (token === undefined) {
      const last = this.tokens[this.tokens.length - 1];
      throw new PythonSyntaxError("the expression ends too early", last?.end[0] ?? 0);
    }
    return token;
  }

  private unsupported(token: Token, what: string): never {
    throw new PythonSyntaxError(`${what} is not supported in a signature read by the DSL; allowed: literals and type names`, token.start[0]);
  }
}

function parseNumber(token: Token): Expression {
  const text = token.text.replace(/_/g, "");
  const line = token.start[0];
  if (/[jJ]$/.test(text)) return { kind: "unsupported-literal", what: `complex number ${token.text}`, line };
  if (/^0[xX]/.test(text)) return { kind: "number", value: parseInt(text.slice(2), 16), integer: true, line };
  if (/^0[bB]/.test(text)) return { kind: "number", value: parseInt(text.slice(2), 2), integer: true, line };
  if (/^0[oO]/.test(text)) return { kind: "number", value: parseInt(text.slice(2), 8), integer: true, line };
  const integer = /^[0-9]+$/.test(text);
  return { kind: "number", value: Number(text), integer, line };
}

/** Adjacent string literals, concatenated as Python does; bytes and f-strings are not values here. */
function parseStrings(tokens: readonly Token[]): Expression {
  const line = tokens[0].start[0];
  let value = "";
  for (const token of tokens) {
    const match = /^([a-zA-Z]*)('''|"""|'|")([\s\S]*)\2$/.exec(token.text);
    if (!match) throw new PythonSyntaxError(`malformed string ${token.text}`, token.start[0]);
    const prefix = match[1].toLowerCase();
    if (prefix.includes("b")) return { kind: "unsupported-literal", what: "a bytes literal", line };
    if (prefix.includes("f")) return { kind: "unsupported-literal", what: "an f-string", line };
    value += prefix.includes("r") ? match[3] : unescape(match[3], token.start[0]);
  }
  return { kind: "string", value, line };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\n": "" };

/** The value of a (non-raw) Python string literal's body: its escape sequences resolved. */
function unescape(body: string, line: number): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\" || i === body.length - 1) {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
    else if (/[0-7]/.test(next)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i)) as RegExpExecArray;
      out += String.fromCodePoint(parseInt(digits[0], 8));
      i += digits[0].length - 1;
    } else if (next === "x" || next === "u" || next === "U") {
      const width = next === "x" ? 2 : next === "u" ? 4 : 8;
      const digits = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) throw new PythonSyntaxError(`truncated \\${next} escape`, line);
      out += String.fromCodePoint(parseInt(digits, 16));
      i += width;
    } else if (next === "N") throw new PythonSyntaxError("\\N{...} escapes are not supported; write the character itself", line);
    else out += `\\${next}`;
  }
  return out;
}

/** A module-level name bound to a literal, which defaults may refer to. */
export type Constants = ReadonlyMap<string, Expression>;

/**
 * The JSON value of a literal expression (a default), as the KFP SDK would see the Python value:
 * tuples become lists, dict keys must be strings. Names resolve through `constants`.
 */
export function literalValue(expression: Expression, constants: Constants = new Map(), seen: ReadonlySet<string> = new Set()): { value: JsonValue } | { error: string } {
  switch (expression.kind) {
    case "string":
      return { value: expression.value };
    case "number":
      if (!Number.isFinite(expression.value) || (expression.integer && !Number.isSafeInteger(expression.value))) return { error: `the number ${expression.value} cannot be represented exactly` };
      return { value: expression.value };
    case "unsupported-literal":
      return { error: `${expression.what} is not a parameter value` };
    case "name": {
      if (expression.name === "True") return { value: true };
      if (expression.name === "False") return { value: false };
      if (expression.name === "None") return { value: null };
      const bound = constants.get(expression.name);
      if (bound !== undefined && !seen.has(expression.name)) return literalValue(bound, constants, new Set([...seen, expression.name]));
      return { error: `${expression.name} is not a literal or a module-level constant bound to one` };
    }
    case "unary": {
      const operand = literalValue(expression.operand, constants, seen);
      if ("error" in operand) return operand;
      if (typeof operand.value !== "number" || expression.operator === "~") return { error: `${expression.operator} applies to numbers only here` };
      return { value: expression.operator === "-" ? -operand.value : operand.value };
    }
    case "list":
    case "tuple": {
      const items: JsonValue[] = [];
      for (const item of expression.items) {
        const value = literalValue(item, constants, seen);
        if ("error" in value) return value;
        items.push(value.value);
      }
      return { value: items };
    }
    case "dict": {
      const record: Record<string, JsonValue> = {};
      for (const [keyExpression, valueExpression] of expression.entries) {
        const key = literalValue(keyExpression, constants, seen);
        if ("error" in key) return key;
        if (typeof key.value !== "string") return { error: `dict key ${JSON.stringify(key.value)} is not a string; JSON objects have string keys` };
        const value = literalValue(valueExpression, constants, seen);
        if ("error" in value) return value;
        record[key.value] = value.value;
      }
      return { value: record };
    }
    case "set":
      return { error: "a set is not a parameter value" };
    default:
      return { error: `${describeExpression(expression)} is not a literal` };
  }
}

/** The expression as Python source would show it, for messages. */
export function describeExpression(expression: Expression): string {
  switch (expression.kind) {
    case "name":
      return expression.name;
    case "attribute":
      return `${describeExpression(expression.value)}.${expression.name}`;
    case "string":
      return JSON.stringify(expression.value);
    case "number":
      return String(expression.value);
    case "unsupported-literal":
      return expression.what;
    case "list":
      return `[${expression.items.map(describeExpression).join(", ")}]`;
    case "tuple":
      return `(${expression.items.map(describeExpression).join(", ")}${expression.items.length === 1 ? "," : ""})`;
    case "set":
      return `{${expression.items.map(describeExpression).join(", ")}}`;
    case "dict":
      return `{${expression.entries.map(([k, v]) => `${describeExpression(k)}: ${describeExpression(v)}`).join(", ")}}`;
    case "subscript":
      return `${describeExpression(expression.value)}[${expression.index.map(describeExpression).join(", ")}]`;
    case "call":
      return `${describeExpression(expression.func)}(${[...expression.args.map(describeExpression), ...expression.keywords.map(([k, v]) => `${k}=${describeExpression(v)}`)].join(", ")})`;
    case "unary":
      return `${expression.operator}${describeExpression(expression.operand)}`;
    case "binary":
      return `${describeExpression(expression.left)} ${expression.operator} ${describeExpression(expression.right)}`;
  }
}
