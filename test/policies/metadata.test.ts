import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../lib/json";
import { SECRET as PLAN_SECRET, UNKNOWN as PLAN_UNKNOWN } from "../../lib/plan";
import { packConfig } from "../../policies/config";
import { configSchemaOf } from "../../policies/crossguard";
import { policyTable, TABLE_BEGIN, TABLE_END } from "../../policies/docs";
import { SECRET, UNKNOWN } from "../../policies/lib/values";
import { POLICIES } from "../../policies/registry";
import { ENVIRONMENTS, GROUPS, type Policy } from "../../policies/types";
import { ROOT } from "../helpers/project";

const RULES = path.join(ROOT, "policies/rules");
const ruleFiles = GROUPS.flatMap((group) =>
  fs
    .readdirSync(path.join(RULES, group))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ group, name: f.replace(/\.ts$/, ""), file: path.join(RULES, group, f) })),
);

describe("policy files and metadata", () => {
  it("has one file per policy, named after it, in its group's folder, and the registry lists every one", async () => {
    for (const { group, name, file } of ruleFiles) {
      const policy = ((await import(file)) as { default: Policy }).default;
      expect(policy.name, file).toBe(name);
      expect(policy.group, file).toBe(group);
      expect(POLICIES, `${name} is not in policies/registry.ts`).toContain(policy);
    }
    expect(POLICIES.map((p) => p.name).sort()).toEqual(ruleFiles.map((f) => f.name).sort());
  });

  it("covers about thirty policies in every group", () => {
    expect(POLICIES.length).toBeGreaterThanOrEqual(28);
    for (const group of GROUPS) expect(POLICIES.filter((p) => p.group === group).length, group).toBeGreaterThanOrEqual(4);
  });

  it.each(POLICIES.map((p) => [p.name, p] as const))("%s: well-formed metadata", (_, p) => {
    expect(p.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/);
    expect(p.description).toMatch(/^[A-Z].*\.$/);
    expect(p.remediation.length).toBeGreaterThan(40);
    for (const id of p.mirrors) expect(id).toMatch(/^(CKV2?_(GCP|K8S)_\d+|AVD-(GCP|KSV)-\d{4})$/);
    expect(new Set(p.mirrors).size).toBe(p.mirrors.length);
    for (const env of ENVIRONMENTS) expect(["advisory", "mandatory", "disabled"]).toContain(p.enforcement[env]);
    expect(Boolean(p.resource) !== Boolean(p.stack)).toBe(true);
  });

  it.each(POLICIES.filter((p) => p.settings).map((p) => [p.name, p] as const))("%s: settings have valid defaults and a CrossGuard schema", (_, p) => {
    for (const env of ENVIRONMENTS) expect(p.settings?.schema.safeParse(p.settings.defaults(env)).success, env).toBe(true);
    expect(Object.keys(configSchemaOf(p)?.properties ?? {}).sort()).toEqual(Object.keys(p.settings?.defaults("prod") ?? {}).sort());
  });

  it("spells unknowns and secrets as the plan does", () => {
    expect([UNKNOWN, SECRET]).toEqual([PLAN_UNKNOWN, PLAN_SECRET]);
  });
});

describe("generated files stay in sync", () => {
  it.each(ENVIRONMENTS.map((e) => [e]))("policies/config/%s.json holds the environment's defaults", (env) => {
    const file = path.join(ROOT, "policies/config", `${env}.json`);
    expect(fs.readFileSync(file, "utf8"), `regenerate: npx llmops policy --print-config ${env} > policies/config/${env}.json`).toBe(canonicalJson(packConfig(env)));
  });

  it("the README's policy table is the registry's", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const begin = readme.indexOf(TABLE_BEGIN);
    const end = readme.indexOf(TABLE_END);
    expect(begin, "README.md lacks the policy table markers").toBeGreaterThan(-1);
    const table = readme.slice(begin + TABLE_BEGIN.length, end).trim();
    expect(table, `regenerate: npx tsx -e 'process.stdout.write(require("./policies/docs").policyTable())'`).toBe(policyTable());
  });
});
