import { POLICIES } from "./registry";
import { GROUPS, type Policy } from "./types";

/**
 * The policy table of the README (between `<!-- policies:begin -->` and `<!-- policies:end -->`),
 * generated from the registry so it cannot drift: a test compares it with this output.
 */
export function policyTable(policies: readonly Policy[] = POLICIES): string {
  const rows = [...policies]
    .sort((a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) || a.name.localeCompare(b.name))
    .map((p) => `| \`${p.name}\` | ${p.group} | ${p.severity} | ${p.mirrors.length ? p.mirrors.join(", ") : "–"} | ${p.enforcement.dev} | ${p.enforcement.prod} | ${p.description} |`);
  return ["| policy | group | severity | mirrors | dev | prod | what must hold |", "| --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

export const TABLE_BEGIN = "<!-- policies:begin -->";
export const TABLE_END = "<!-- policies:end -->";
