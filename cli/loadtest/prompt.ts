/**
 * The version's `promptTemplate` applied to one dataset record: `{field}` placeholders, `{{` and
 * `}}` for literal braces — the subset of Python's `str.format` the stack files use. It must match
 * the pipelines' Python formatter (training and batch prediction format prompts the same way), so
 * a load test sends what production sends; anything beyond plain field names is refused rather
 * than guessed.
 */
export function formatPrompt(template: string, record: Readonly<Record<string, unknown>>): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "{" && template[i + 1] === "{") {
      out += "{";
      i++;
    } else if (ch === "}" && template[i + 1] === "}") {
      out += "}";
      i++;
    } else if (ch === "{") {
      const end = template.indexOf("}", i);
      const field = end < 0 ? "" : template.slice(i + 1, end);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`promptTemplate has an unsupported placeholder at ${i}: "${template.slice(i, end < 0 ? i + 10 : end + 1)}"; allowed: {field}, {{ and }}`);
      if (!(field in record)) throw new Error(`the record has no "${field}", which promptTemplate needs; fields: ${Object.keys(record).join(", ") || "none"}`);
      const value = record[field];
      out += typeof value === "string" ? value : JSON.stringify(value);
      i = end;
    } else if (ch === "}") {
      throw new Error(`promptTemplate has a single "}" at ${i}; write }} for a literal brace`);
    } else out += ch;
  }
  return out;
}
