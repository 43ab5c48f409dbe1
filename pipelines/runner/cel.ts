/**
 * The CEL that trigger conditions are written in, evaluated as the KFP driver evaluates them
 * (kubeflow/pipelines `backend/src/v2/expression`, over the task's input parameter values): the
 * subset the SDK's compiler writes (`_single_binary_operation_to_cel_condition`): comparisons of
 * `inputs.parameter_values['name']`, string, number and boolean literals, `int(…)`, `double(…)`,
 * `!`, `&&`, `||` and parentheses.
 */

export type CelValue = string | number | boolean;

type Token = { kind: "string" | "number" | "ident" | "op"; text: string };

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "(", ")", "[", "]", "."];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'" || ch === '"') {
      let j = i + 1;
      let text = "";
      while (j < source.length && source[j] !== ch) {
        if (source[j] === "\\" && j + 1 < source.length) j++;
        text += source[j++];
      }
      if (j >= source.length) throw new Error(`unterminated string at ${i} in ${source}`);
      tokens.push({ kind: "string", text });
      i = j + 1;
    } else if (/[0-9]/.test(ch) || (ch === "-" && /[0-9]/.test(source[i + 1] ?? ""))) {
      const match = /^-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: "number", text: match[0] });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ kind: "ident", text: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new Error(`unexpected ${JSON.stringify(ch)} at ${i} in ${source}`);
      tokens.push({ kind: "op", text: op });
      i += op.length;
    }
  }
  return tokens;
}

/** Evaluates `condition` against `parameterValues`; throws on what the subset cannot express. */
export function evaluateCel(condition: string, parameterValues: Readonly<Record<string, unknown>>): boolean {
  const tokens = tokenize(condition);
  let at = 0;
  const peek = () => tokens[at];
  const take = (text?: string): Token => {
    const token = tokens[at];
    if (!token || (text !== undefined && token.text !== text)) throw new Error(`expected ${text ?? "a value"} at token ${at} of ${condition}`);
    at++;
    return token;
  };

  const orExpr = (): CelValue => {
    let value = andExpr();
    while (peek()?.text === "||") {
      take("||");
      const right = andExpr();
      value = truthy(value) || truthy(right);
    }
    return value;
  };
  const andExpr = (): CelValue => {
    let value = unary();
    while (peek()?.text === "&&") {
      take("&&");
      const right = unary();
      value = truthy(value) && truthy(right);
    }
    return value;
  };
  const unary = (): CelValue => {
    if (peek()?.text === "!") {
      take("!");
      return !truthy(unary());
    }
    return comparison();
  };
  const comparison = (): CelValue => {
    const left = primary();
    const op = peek();
    if (op && ["==", "!=", "<", "<=", ">", ">="].includes(op.text)) {
      take();
      return compare(left, op.text, primary());
    }
    return left;
  };
  const primary = (): CelValue => {
    const token = take();
    if (token.kind === "string") return token.text;
    if (token.kind === "number") return Number(token.text);
    if (token.text === "(") {
      const value = orExpr();
      take(")");
      return value;
    }
    if (token.text === "true" || token.text === "false") return token.text === "true";
    if (token.text === "int" || token.text === "double") {
      take("(");
      const value = orExpr();
      take(")");
      const number = typeof value === "number" ? value : Number(value);
      if (typeof value === "boolean" || Number.isNaN(number)) throw new Error(`${token.text}(${JSON.stringify(value)}) is not a number in ${condition}`);
      return token.text === "int" ? Math.trunc(number) : number;
    }
    if (token.text === "inputs") {
      take(".");
      take("parameter_values");
      take("[");
      const name = take();
      if (name.kind !== "string") throw new Error(`expected a parameter name in ${condition}`);
      take("]");
      const value = parameterValues[name.text];
      if (value === undefined || value === null) throw new Error(`the condition reads parameter ${name.text}, which has no value`);
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") throw new Error(`parameter ${name.text} is not a string, number or boolean`);
      return value;
    }
    throw new Error(`unsupported ${JSON.stringify(token.text)} in condition ${condition}`);
  };

  const result = orExpr();
  if (at !== tokens.length) throw new Error(`unexpected ${JSON.stringify(tokens[at].text)} in condition ${condition}`);
  if (typeof result !== "boolean") throw new Error(`condition ${condition} is not a boolean`);
  return result;
}

function truthy(value: CelValue): boolean {
  if (typeof value !== "boolean") throw new Error(`${JSON.stringify(value)} is not a boolean`);
  return value;
}

function compare(left: CelValue, op: string, right: CelValue): boolean {
  if (op === "==") return left === right;
  if (op === "!=") return left !== right;
  if (typeof left !== typeof right || typeof left === "boolean") throw new Error(`cannot order ${JSON.stringify(left)} and ${JSON.stringify(right)}`);
  const [a, b] = [left, right] as [number | string, number | string];
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}
