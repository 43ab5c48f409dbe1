/**
 * Input and output descriptions from a component function's docstring, as the KFP SDK assigns
 * them (`extract_component_interface`): parameters described under `Args:` (Google style), outputs
 * under `Returns:`. The SDK parses with `docstring_parser` in automatic mode; this reads the Google
 * style it picks for such docstrings and refuses docstrings written in the other styles (reST
 * `:param x:`, Epydoc `@param x:`, numpydoc underlined sections) rather than describe them wrongly.
 * Sources: kubeflow/pipelines `sdk/python/kfp/dsl/component_factory.py` (sdk-2.14.3) and
 * rr-/docstring_parser `docstring_parser/google.py` and `parser.py` (0.18.0).
 */

import { cleandoc } from "./source";

const SECTIONS: Readonly<Record<string, "multiple" | "singular" | "singular-or-multiple">> = {
  Arguments: "multiple",
  Args: "multiple",
  Parameters: "multiple",
  Params: "multiple",
  Raises: "multiple",
  Exceptions: "multiple",
  Except: "multiple",
  Attributes: "multiple",
  Example: "singular",
  Examples: "singular",
  Returns: "singular-or-multiple",
  Yields: "singular-or-multiple",
};
/** Sections whose entries are parameters (`PARAM_KEYWORDS`). */
const PARAMETER_SECTIONS = new Set(["Arguments", "Args", "Parameters", "Params", "Attributes"]);
const TITLES = new RegExp(`^(${Object.keys(SECTIONS).map((title) => `(${title})`).join("|")}):[ \\t\\r\\f\\v]*$`, "gm");
const TYPED_ARGUMENT = /^\s*(.+?)\s*\(\s*(.*[^\s]+)\s*\)/;

export class DocstringError extends Error {}

/** `arg_name → description` for the inputs and for the outputs, as the SDK would assign them. */
export function docstringDescriptions(docstring: string | undefined): { inputs: ReadonlyMap<string, string>; outputs: ReadonlyMap<string, string> } {
  if (docstring === undefined) return { inputs: new Map(), outputs: new Map() };
  const inputs = autoParameters(docstring);
  let outputs = new Map<string, string>();
  // The SDK renames a Returns section to Args and parses again (`parse_docstring_with_return_as_args`).
  for (const keyword of ["Returns:\n", "Returns\n", "Return:\n", "Return\n"]) {
    if (docstring.includes(keyword)) {
      outputs = autoParameters(docstring.split(keyword.trim()).join("Args:"));
      break;
    }
  }
  return { inputs, outputs };
}

/**
 * `docstring_parser.parse` in automatic mode keeps the style with the most entries, reST first on
 * a tie; without any other style's markers, only the Google parser can find entries.
 */
function autoParameters(docstring: string): Map<string, string> {
  const text = cleandoc(docstring);
  const other = /^:/m.test(text) ? "reST (:param x:)" : /^@/m.test(text) ? "Epydoc (@param x:)" : /^[^\n]+\n[ \t]*-{3,}[ \t]*$/m.test(text) ? "numpydoc (underlined sections)" : undefined;
  if (other !== undefined) {
    throw new DocstringError(`the docstring looks like ${other}; this reader takes input and output descriptions from Google-style Args:/Returns: sections only`);
  }
  const parameters = new Map<string, string>();
  for (const entry of googleEntries(text) ?? []) if (PARAMETER_SECTIONS.has(entry.section)) parameters.set(entry.name, entry.description);
  return parameters;
}

interface Entry {
  readonly section: string;
  readonly name: string;
  readonly description: string;
}

/** `GoogleParser.parse` (entries only); undefined where it raises a ParseError. */
function googleEntries(text: string): Entry[] | undefined {
  const first = new RegExp(TITLES.source, "m").exec(text);
  if (first === null) return [];
  const meta = text.slice(first.index);
  const matches = [...meta.matchAll(new RegExp(TITLES.source, "gm"))];
  // A later section of the same title replaces an earlier one, keeping its place.
  const chunks = new Map<string, string>();
  matches.forEach((match, j) => {
    const start = (match.index as number) + match[0].length;
    const end = j + 1 < matches.length ? (matches[j + 1].index as number) : meta.length;
    let details = meta.slice(start, end);
    const unknown = /\n\S/.exec(details);
    if (unknown !== null) details = details.slice(0, unknown.index);
    chunks.set(match[1], stripNewlines(details));
  });
  const entries: Entry[] = [];
  for (const [title, chunk] of chunks) {
    const indent = (/^\s*/.exec(chunk) as RegExpExecArray)[0];
    // Singular sections (Returns, Examples, …) hold no parameters and never fail to parse.
    if (SECTIONS[title] !== "multiple") continue;
    const starts = [...chunk.matchAll(new RegExp(`^${escapeRegExp(indent)}(?=\\S)`, "gm"))];
    if (starts.length === 0) return undefined;
    for (let j = 0; j < starts.length; j++) {
      const start = (starts[j].index as number) + starts[j][0].length;
      const end = j + 1 < starts.length ? (starts[j + 1].index as number) : chunk.length;
      const entry = splitEntry(stripNewlines(chunk.slice(start, end)));
      if (entry === undefined) return undefined;
      const typed = TYPED_ARGUMENT.exec(entry.before);
      entries.push({ section: title, name: typed !== null ? typed[1] : entry.before, description: entry.description });
    }
  }
  return entries;
}

/** `_build_meta`'s split of `name (type): description`; undefined without a colon (a ParseError). */
function splitEntry(text: string): { before: string; description: string } | undefined {
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  let before = text.slice(0, colon);
  let description = text.slice(colon + 1);
  if (before.includes("\n")) {
    const newline = before.indexOf("\n");
    before = before.slice(0, newline) + cleandoc(before.slice(newline + 1));
  }
  if (description !== "") {
    if (description[0] === " ") description = description.slice(1);
    if (description.includes("\n")) {
      const newline = description.indexOf("\n");
      description = `${description.slice(0, newline)}\n${cleandoc(description.slice(newline + 1))}`;
    }
    description = stripNewlines(description);
  }
  return { before, description };
}

function stripNewlines(text: string): string {
  return text.replace(/^\n+|\n+$/g, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
